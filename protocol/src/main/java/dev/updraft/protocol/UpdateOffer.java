package dev.updraft.protocol;

import java.util.List;

/**
 * The "update available" answer of {@code POST /updates} (docs/protocol.md §2.2 A):
 * {@code {version, url, session_key, checksum[, manifest][, link][, comment][, breaking]}}. It never holds
 * {@code error}, {@code kind} or {@code message}: the plugin would read any of them, even as {@code null}, as "no
 * update".
 *
 * @param sessionKey {@code ""} for an unencrypted bundle
 * @param manifest   empty for a zip bundle
 * @param link       absent when {@code null}
 * @param comment    absent when {@code null}
 * @param breaking   {@code breaking:true} (the app's breaking-update events) only when set
 */
public record UpdateOffer(
        String version,
        String url,
        String sessionKey,
        String checksum,
        List<ManifestEntry> manifest,
        String link,
        String comment,
        boolean breaking) {

    public UpdateOffer {
        sessionKey = sessionKey == null ? "" : sessionKey;
        checksum = checksum == null ? "" : checksum;
        url = url == null ? "" : url;
        manifest = manifest == null ? List.of() : List.copyOf(manifest);
    }

    /** A zip bundle without metadata. */
    public static UpdateOffer of(String version, String url, String sessionKey, String checksum) {
        return new UpdateOffer(version, url, sessionKey, checksum, List.of(), null, null, false);
    }

    /**
     * This answer as a device of that plugin version may get it (docs/protocol.md §11): without {@code manifest} for a
     * plugin that cannot install one (it downloads the zip at {@code url}), and with {@code link} and {@code comment}
     * only when the app exposes its bundles' metadata and the plugin shows it.
     */
    public UpdateOffer readableBy(PluginCapabilities plugin, boolean appExposesMetadata) {
        boolean metadata = appExposesMetadata && plugin.showsMetadata();
        return new UpdateOffer(
                version,
                url,
                sessionKey,
                checksum,
                plugin.understandsManifest() ? manifest : List.of(),
                metadata ? link : null,
                metadata ? comment : null,
                breaking);
    }

    /** The answer's JSON. Servers serialise it once per bundle and keep the bytes. */
    public byte[] toJson() {
        JsonOut o = new JsonOut(256 + checksum.length() + sessionKey.length())
                .beginObject()
                .field("version", version)
                .field("url", url)
                .field("session_key", sessionKey)
                .field("checksum", checksum);
        if (!manifest.isEmpty()) {
            o.name("manifest").beginArray();
            manifest.forEach(e -> e.write(o));
            o.endArray();
        }
        o.fieldIfPresent("link", link).fieldIfPresent("comment", comment);
        if (breaking) {
            o.field("breaking", true);
        }
        return o.endObject().toBytes();
    }
}
