package dev.updraft.sim;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One entry of the device's bundle registry, shaped like the plugin's {@code <id>_info} JSON (spec §8.5):
 * {@code {"id","version","downloaded","checksum","status"}}.
 *
 * @param id         10 random characters of {@code [0-9A-Za-z]}, or {@code "builtin"}
 * @param version    the version name the server gave it
 * @param downloaded when it was registered, {@code yyyy-MM-dd'T'HH:mm:ss.SSSZ}
 * @param checksum   the plain SHA-256 hex of the zip, {@code ""} for the built-in bundle
 * @param status     its status
 */
public record BundleInfo(String id, String version, String downloaded, String checksum, BundleStatus status) {
    /** The reserved id of the web assets shipped inside the app. */
    public static final String BUILTIN_ID = "builtin";

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    /** The built-in bundle: its version name is the native {@code version_build} ({@code "builtin"} if that is empty; §1.4). */
    public static BundleInfo builtin(String versionBuild) {
        return new BundleInfo(
                BUILTIN_ID,
                versionBuild == null || versionBuild.isEmpty() ? "builtin" : versionBuild,
                "",
                "",
                BundleStatus.SUCCESS);
    }

    public boolean isBuiltin() {
        return BUILTIN_ID.equals(id);
    }

    public BundleInfo withStatus(BundleStatus s) {
        return new BundleInfo(id, version, downloaded, checksum, s);
    }

    public BundleInfo withChecksum(String c) {
        return new BundleInfo(id, version, downloaded, c, status);
    }

    static String formatDate(long epochMillis) {
        return DATE.format(Instant.ofEpochMilli(epochMillis));
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("id", id)
                .put("version", version)
                .put("downloaded", downloaded)
                .put("checksum", checksum)
                .put("status", status.wire());
    }

    public static BundleInfo fromJson(JsonObject o) {
        return new BundleInfo(
                o.getString("id"),
                o.getString("version"),
                o.getString("downloaded", ""),
                o.getString("checksum", ""),
                BundleStatus.parse(o.getString("status", "pending")));
    }

    @Override
    public String toString() {
        return version + " (" + id + ", " + status.wire() + ")";
    }
}
