package dev.updraft.server.decision;

import dev.updraft.protocol.GzipBody;
import dev.updraft.protocol.ManifestEntry;
import dev.updraft.protocol.PluginCapabilities;
import dev.updraft.protocol.Semver;
import dev.updraft.protocol.UpdateOffer;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bundle as the update check sees it, with its update answer serialized once when the snapshot is built, and
 * gzip-compressed once ({@link #gzipped}).
 *
 * @param url          the zip's URL as registered; {@code ""} for a manifest without a zip
 * @param sessionKey   {@code ""} for an unencrypted bundle
 * @param keyId        the key that encrypted it; {@code ""} for an unencrypted bundle
 * @param payloadSizes every manifest entry by {@link #sizeKey}: its payload's size as stored, {@link #SIZE_UNKNOWN} when
 *                     it was registered without one
 * @param otherKeys    the same release encrypted for other keys, one variant per key id (docs/protocol.md §2.9, rule
 *                     7): each with its own URL, session key, checksum and key id; empty for most releases
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
        byte[][] offerJson,
        Map<String, Long> payloadSizes,
        AtomicReferenceArray<byte[]> offerGzip,
        List<BundleView> otherKeys) {

    /** A manifest entry registered without its payload's size. */
    public static final long SIZE_UNKNOWN = -1;

    public static BundleView of(
            String version,
            String url,
            String checksum,
            String sessionKey,
            String keyId,
            List<ManifestEntry> manifest,
            String minUpdateVersion,
            String link,
            String comment,
            boolean breaking) {
        return of(version, url, checksum, sessionKey, keyId, manifest, null, minUpdateVersion, link, comment, breaking);
    }

    /** @param sizes the payload size of each manifest entry, in the manifest's order ({@code null} entries: unknown), or null */
    public static BundleView of(
            String version,
            String url,
            String checksum,
            String sessionKey,
            String keyId,
            List<ManifestEntry> manifest,
            List<Long> sizes,
            String minUpdateVersion,
            String link,
            String comment,
            boolean breaking) {
        String sk = sessionKey == null ? "" : sessionKey;
        String kid = sk.isEmpty() || keyId == null ? "" : keyId;
        List<ManifestEntry> mf = manifest == null ? List.of() : List.copyOf(manifest);
        String u = url == null ? "" : url;
        // A manifest without a zip still needs a valid url (the plugin checks it, then never fetches it when a manifest
        // is
        // present): its first payload's, a real object on the team's store (docs/protocol.md §12).
        String offered = u.isBlank() && !mf.isEmpty() ? mf.get(0).downloadUrl() : u;
        String sum = checksum == null ? "" : checksum;
        UpdateOffer offer = new UpdateOffer(version, offered, sk, sum, mf, link, comment, breaking);
        byte[][] json = new byte[4][];
        for (int variant = 0; variant < 4; variant++) {
            json[variant] = variant(offer, variant).toJson();
        }
        Map<String, Long> payloadSizes = new HashMap<>();
        for (int i = 0; i < mf.size(); i++) {
            Long size = sizes == null || i >= sizes.size() ? null : sizes.get(i);
            payloadSizes.put(sizeKey(mf.get(i).fileName(), mf.get(i).fileHash()), size == null ? SIZE_UNKNOWN : size);
        }
        // The manifest answers are compressed here, while the snapshot is built off the event loop; the others on first
        // use.
        AtomicReferenceArray<byte[]> gzip = new AtomicReferenceArray<>(4);
        for (int variant = 1; variant < 4 && !mf.isEmpty(); variant += 2) {
            if (json[variant].length >= GzipBody.MIN_BYTES && (variant == 1 || link != null || comment != null)) {
                gzip.set(variant, GzipBody.compress(json[variant]));
            }
        }
        return new BundleView(
                version,
                u,
                sum,
                sk,
                kid,
                mf,
                minUpdateVersion == null ? null : Semver.parse(minUpdateVersion).orElse(null),
                link,
                comment,
                breaking,
                Semver.parse(version).orElse(null),
                isUsableUrl(u),
                offer,
                json,
                Map.copyOf(payloadSizes),
                gzip,
                List.of());
    }

    /**
     * This release with its variants for other keys (each made by {@link #of} with this version and metadata and its
     * own URL, session key, checksum and key id).
     */
    public BundleView withOtherKeys(List<BundleView> variants) {
        for (BundleView v : variants) {
            if (!v.version.equals(version) || !v.encrypted() || !v.otherKeys.isEmpty()) {
                throw new IllegalArgumentException("a key variant is the same version, encrypted, without variants");
            }
        }
        return new BundleView(
                version,
                url,
                checksum,
                sessionKey,
                keyId,
                manifest,
                minUpdateVersion,
                link,
                comment,
                breaking,
                semver,
                urlUsable,
                offer,
                offerJson,
                payloadSizes,
                offerGzip,
                List.copyOf(variants));
    }

    /** The variant encrypted for this key id (this one or one of {@link #otherKeys}), or {@code null} when none is. */
    public BundleView forKey(String deviceKeyId) {
        if (keyId.equals(deviceKeyId)) {
            return this;
        }
        for (BundleView v : otherKeys) {
            if (v.keyId.equals(deviceKeyId)) {
                return v;
            }
        }
        return null;
    }

    /**
     * The variant for a device whose key is unknown (its plugin sends no key id, or the 4 characters every key shares):
     * the app's default key's when the release has one, else the release's first (registered) variant.
     */
    public BundleView forUnknownKey(String defaultKeyId) {
        BundleView chosen = defaultKeyId == null || defaultKeyId.isEmpty() ? null : forKey(defaultKeyId);
        return chosen != null ? chosen : this;
    }

    /** One of the four answers: with or without the manifest (bit 0), with or without link and comment (bit 1). */
    private static UpdateOffer variant(UpdateOffer full, int variant) {
        boolean withManifest = (variant & 1) != 0;
        boolean withMetadata = (variant & 2) != 0;
        return new UpdateOffer(
                full.version(),
                full.url(),
                full.sessionKey(),
                full.checksum(),
                withManifest ? full.manifest() : List.of(),
                withMetadata ? full.link() : null,
                withMetadata ? full.comment() : null,
                full.breaking());
    }

    /**
     * The offer behind one of this bundle's update answers ({@code updateJson} as {@link #updateJson} returned it), for
     * the device API to serialise again with presigned URLs.
     */
    public UpdateOffer offerOf(byte[] updateJson) {
        for (int variant = 0; variant < offerJson.length; variant++) {
            if (offerJson[variant] == updateJson) {
                return variant(offer, variant);
            }
        }
        throw new IllegalArgumentException("not one of this bundle's update answers");
    }

    /** The key of {@link #payloadSizes}: a device names a payload by its {@code file_name} and {@code file_hash}. */
    public static String sizeKey(String fileName, String fileHash) {
        return fileName + '\n' + fileHash;
    }

    /** Whether devices that install manifests can be served: a manifest, even without a zip. */
    public boolean servesManifest() {
        return !manifest.isEmpty() && isUsableUrl(offer.url());
    }

    /**
     * The gzip form of one of this bundle's update answers ({@code updateJson} as {@link #updateJson} returned it),
     * compressed when the snapshot was built (manifest answers) or on first use, and kept with the snapshot;
     * {@code null} when the answer is too small to be worth it.
     */
    public byte[] gzipped(byte[] updateJson) {
        if (updateJson.length < GzipBody.MIN_BYTES) {
            return null;
        }
        for (int variant = 0; variant < offerJson.length; variant++) {
            if (offerJson[variant] == updateJson) {
                byte[] done = offerGzip.get(variant);
                if (done == null) {
                    done = GzipBody.compress(updateJson);
                    offerGzip.compareAndSet(
                            variant, null, done); // two first requests at once compress twice, harmlessly
                }
                return done;
            }
        }
        return null;
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
