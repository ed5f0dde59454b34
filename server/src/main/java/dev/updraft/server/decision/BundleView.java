package dev.updraft.server.decision;

import dev.updraft.protocol.ManifestEntry;
import dev.updraft.protocol.Semver;
import dev.updraft.protocol.UpdateOffer;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * A bundle as the update check sees it, with its update answer serialized once when the snapshot is built.
 *
 * @param sessionKey {@code ""} for an unencrypted bundle
 * @param keyId      the key that encrypted it; {@code ""} for an unencrypted bundle
 */
public record BundleView(
        String version,
        String url,
        String checksum,
        String sessionKey,
        String keyId,
        List<ManifestEntry> manifest,
        Semver minUpdateVersion,
        String link,
        String comment,
        boolean breaking,
        Semver semver,
        boolean urlUsable,
        byte[] updateJson) {

    public static BundleView of(String version, String url, String checksum, String sessionKey, String keyId,
                                List<ManifestEntry> manifest, String minUpdateVersion, String link, String comment, boolean breaking) {
        String sk = sessionKey == null ? "" : sessionKey;
        String kid = sk.isEmpty() || keyId == null ? "" : keyId;
        List<ManifestEntry> mf = manifest == null ? List.of() : List.copyOf(manifest);
        String u = url == null ? "" : url;
        return new BundleView(version, u, checksum == null ? "" : checksum, sk, kid, mf,
                minUpdateVersion == null ? null : Semver.parse(minUpdateVersion).orElse(null),
                link, comment, breaking, Semver.parse(version).orElse(null), isUsableUrl(u),
                new UpdateOffer(version, u, sk, checksum, mf, link, comment, breaking).toJson());
    }

    public boolean encrypted() {
        return !sessionKey.isEmpty();
    }

    /** Neither a download URL nor a manifest: there is nothing a device could download. */
    public boolean hasNothingToServe() {
        return url.isBlank() && manifest.isEmpty();
    }

    /** An absolute http(s) URL, as the plugin's {@code new URL(url)} check wants. */
    public static boolean isUsableUrl(String url) {
        if (url == null || url.isBlank()) {
            return false;
        }
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return u.isAbsolute() && (scheme.equals("https") || scheme.equals("http")) && u.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }
}
