package dev.updraft.server.decision;

import dev.updraft.protocol.Semver;
import dev.updraft.server.web.JsonText;

import java.net.URI;
import java.nio.charset.StandardCharsets;
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

    public record ManifestEntry(String fileName, String fileHash, String downloadUrl) {
    }

    public static BundleView of(String version, String url, String checksum, String sessionKey, String keyId,
                                List<ManifestEntry> manifest, String minUpdateVersion, String link, String comment, boolean breaking) {
        String sk = sessionKey == null ? "" : sessionKey;
        String kid = sk.isEmpty() || keyId == null ? "" : keyId;
        List<ManifestEntry> mf = manifest == null ? List.of() : List.copyOf(manifest);
        String u = url == null ? "" : url;
        return new BundleView(version, u, checksum == null ? "" : checksum, sk, kid, mf,
                minUpdateVersion == null ? null : Semver.parse(minUpdateVersion).orElse(null),
                link, comment, breaking, Semver.parse(version).orElse(null), isUsableUrl(u),
                updateAnswer(version, u, checksum == null ? "" : checksum, sk, mf, link, comment, breaking));
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

    /** {@code {version, url, session_key, checksum[, manifest][, link][, comment][, breaking]}}; never error/kind/message. */
    private static byte[] updateAnswer(String version, String url, String checksum, String sessionKey, List<ManifestEntry> manifest,
                                       String link, String comment, boolean breaking) {
        StringBuilder sb = new StringBuilder(256 + checksum.length() + sessionKey.length());
        sb.append('{');
        JsonText.field(sb, true, "version", version);
        JsonText.field(sb, false, "url", url);
        JsonText.field(sb, false, "session_key", sessionKey);
        JsonText.field(sb, false, "checksum", checksum);
        if (!manifest.isEmpty()) {
            sb.append(",\"manifest\":[");
            for (int i = 0; i < manifest.size(); i++) {
                ManifestEntry e = manifest.get(i);
                sb.append(i == 0 ? "{" : ",{");
                JsonText.field(sb, true, "file_name", e.fileName());
                JsonText.field(sb, false, "file_hash", e.fileHash());
                JsonText.field(sb, false, "download_url", e.downloadUrl());
                sb.append('}');
            }
            sb.append(']');
        }
        if (link != null) {
            JsonText.field(sb, false, "link", link);
        }
        if (comment != null) {
            JsonText.field(sb, false, "comment", comment);
        }
        if (breaking) {
            sb.append(",\"breaking\":true");
        }
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }
}
