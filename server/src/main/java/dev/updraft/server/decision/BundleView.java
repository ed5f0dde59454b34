package dev.updraft.server.decision;

import dev.updraft.protocol.ManifestEntry;
import dev.updraft.protocol.PluginCapabilities;
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
        UpdateOffer offer,
        byte[][] offerJson) {

    public static BundleView of(String version, String url, String checksum, String sessionKey, String keyId,
                                List<ManifestEntry> manifest, String minUpdateVersion, String link, String comment, boolean breaking) {
        String sk = sessionKey == null ? "" : sessionKey;
        String kid = sk.isEmpty() || keyId == null ? "" : keyId;
        List<ManifestEntry> mf = manifest == null ? List.of() : List.copyOf(manifest);
        String u = url == null ? "" : url;
        UpdateOffer offer = new UpdateOffer(version, u, sk, checksum, mf, link, comment, breaking);
        byte[][] json = new byte[4][];
        for (int variant = 0; variant < 4; variant++) {
            boolean withManifest = (variant & 1) != 0;
            boolean withMetadata = (variant & 2) != 0;
            json[variant] = new UpdateOffer(version, u, sk, checksum, withManifest ? mf : List.of(), withMetadata ? link : null,
                    withMetadata ? comment : null, breaking).toJson();
        }
        return new BundleView(version, u, checksum == null ? "" : checksum, sk, kid, mf,
                minUpdateVersion == null ? null : Semver.parse(minUpdateVersion).orElse(null),
                link, comment, breaking, Semver.parse(version).orElse(null), isUsableUrl(u), offer, json);
    }

    /**
     * The update answer as this device may read it ({@link UpdateOffer#readableBy}), serialised when the snapshot was
     * built: one of four variants, with or without {@code manifest}, with or without {@code link}/{@code comment}.
     */
    public byte[] updateJson(PluginCapabilities plugin, boolean appExposesMetadata) {
        UpdateOffer read = offer.readableBy(plugin, appExposesMetadata);
        return offerJson[(read.manifest().isEmpty() ? 0 : 1) | (read.link() == null && read.comment() == null ? 0 : 2)];
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
