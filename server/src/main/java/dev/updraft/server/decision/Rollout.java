package dev.updraft.server.decision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * A channel's rollout: a second bundle that a share of the channel's devices gets instead of the stable one
 * (docs/protocol.md §2.11).
 *
 * <p>Whether a device is in the share is a pure function of (device id, rollout id, share): the device's bucket, a
 * number from 0 to 9,999 taken from SHA-256 of the rollout id and the device id, is below the share in basis points.
 * No per-device state, so every instance and every restart agree; raising the share keeps every device that was in
 * (its bucket is still below); lowering it takes out the highest buckets first, the devices that came in last. A new
 * rollout (a new id) draws new buckets, so the same devices are not always the first to get a release.
 *
 * @param id       identifies this rollout; a new one for every rollout bundle
 * @param bundle   the bundle the share gets
 * @param shareBps the share in basis points, 0 to 10,000 (10,000 = every device)
 * @param paused   no device joins while paused; devices that already run the bundle keep it
 */
public record Rollout(String id, BundleView bundle, int shareBps, boolean paused) {
    public static final int ALL_BPS = 10_000;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    });

    public Rollout {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a rollout needs an id");
        }
        if (bundle == null) {
            throw new IllegalArgumentException("a rollout needs a bundle");
        }
        if (shareBps < 0 || shareBps > ALL_BPS) {
            throw new IllegalArgumentException("a rollout share is 0 to 10000 basis points, not " + shareBps);
        }
    }

    /** Whether the device's bucket is inside the share, paused or not. */
    public boolean includes(String deviceId) {
        return bucket(id, deviceId) < shareBps;
    }

    /**
     * The device's bucket for a rollout, 0 to 9,999: the first 8 bytes of SHA-256({@code rolloutId "\n" deviceId}),
     * unsigned, modulo 10,000. Device ids are compared in lower case (they are UUIDs, which iOS sends in upper case).
     */
    public static int bucket(String rolloutId, String deviceId) {
        MessageDigest sha = SHA256.get();
        sha.reset();
        sha.update(rolloutId.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
        byte[] d = sha.digest(deviceId.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xff);
        }
        return (int) Long.remainderUnsigned(v, ALL_BPS);
    }
}
