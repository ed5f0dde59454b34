package dev.updraft.crypto;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Encodes one file of a delta (manifest) bundle into the payload devices download, as the Capgo CLI does
 * (docs/protocol.md §7.2): Brotli first when it pays (the name then gets {@code .br}), then AES-128-CBC with the
 * bundle's own session key and IV when the bundle is encrypted; and gives the {@code file_hash} as sent: the plain
 * SHA-256 (64 lowercase hex), or its V3 signed form (512 hex) for an encrypted bundle.
 *
 * <p>An unencrypted writer comes from {@link #unencrypted(boolean)}; an encrypted one only from
 * {@link DeltaEncryption#payloads(boolean)}, so the key and IV never leave crypto-core. Thread-safe: every call
 * has its own cipher and buffers, so payloads can be written in parallel.
 */
public final class DeltaPayloadWriter {
    /** Files smaller than this are never compressed (§7.2). */
    static final long BROTLI_MIN_SIZE = 8192;
    /** The compressed file must be at least this many bytes smaller, or the plain bytes are sent (§7.2). */
    static final long BROTLI_MIN_SAVING = 11;
    /** The suffix that tells the plugin to Brotli-decode a payload. */
    public static final String BROTLI_SUFFIX = dev.updraft.protocol.ManifestEntry.BROTLI_SUFFIX;
    /** Node's {@code createBrotliCompress} defaults: quality 11, window 22, generic mode. */
    private static final Encoder.Parameters BROTLI =
            new Encoder.Parameters().setQuality(11).setWindow(22).setMode(Encoder.Mode.GENERIC);

    private static final int BUFFER = 64 * 1024;

    private final SessionKey sessionKey; // null: unencrypted
    private final BundlePrivateKey signer; // null: unencrypted
    private final boolean brotli;

    DeltaPayloadWriter(SessionKey sessionKey, BundlePrivateKey signer, boolean brotli) {
        this.sessionKey = sessionKey;
        this.signer = signer;
        this.brotli = brotli;
    }

    /**
     * A writer for an unencrypted bundle.
     *
     * @param brotli whether files may be Brotli-compressed at all ({@code false}: {@code --disable-brotli})
     */
    public static DeltaPayloadWriter unencrypted(boolean brotli) {
        return new DeltaPayloadWriter(null, null, brotli);
    }

    /** Whether this machine can Brotli-compress (the encoder is native code shipped for the common platforms). */
    public static boolean brotliAvailable() {
        return Brotli4jLoader.isAvailable();
    }

    /** Why Brotli is unavailable here, for a message; null when it is available. */
    public static String brotliUnavailableReason() {
        Throwable cause = Brotli4jLoader.getUnavailabilityCause();
        return cause == null
                ? null
                : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /**
     * One payload as written.
     *
     * @param fileName   the manifest's {@code file_name}: the relative path, with {@code .br} when compressed
     * @param fileHash   the manifest's {@code file_hash}: plain SHA-256 hex, or the V3 signed form when encrypted
     * @param plain      the SHA-256 of the file itself (what a device checks after decoding)
     * @param size       the payload's size in bytes, as stored and downloaded
     * @param compressed whether the payload is Brotli-compressed
     */
    public record Payload(String fileName, String fileHash, BundleChecksum plain, long size, boolean compressed) {}

    /** Whether a file of this size is tried with Brotli (§7.2 rule 1). */
    static boolean triesBrotli(long plainSize, boolean allowed) {
        return allowed && plainSize >= BROTLI_MIN_SIZE;
    }

    /** Whether the compressed result is kept (§7.2 rule 3: at least 11 bytes smaller). */
    static boolean keepsBrotli(long plainSize, long compressedSize) {
        return plainSize - compressedSize >= BROTLI_MIN_SAVING;
    }

    public boolean encrypted() {
        return sessionKey != null;
    }

    /**
     * Encodes {@code file} into {@code out} (created or replaced).
     *
     * @param name        the file's path relative to the build folder, with {@code /} separators
     * @param mayCompress false when the file is excluded from Brotli ({@code --no-brotli-patterns})
     */
    public Payload write(Path file, String name, boolean mayCompress, Path out) throws IOException {
        long plainSize = Files.size(file);
        boolean tries = brotli && triesBrotli(plainSize, mayCompress) && brotliAvailable();
        Path compressed = tries ? Files.createTempFile(out.toAbsolutePath().getParent(), ".updraft-br-", ".tmp") : null;
        try {
            BundleChecksum plain = tries ? compress(file, compressed) : BundleChecksum.of(file);
            boolean keep = tries && keepsBrotli(plainSize, Files.size(compressed));
            Path source = keep ? compressed : file;
            try (InputStream in = Files.newInputStream(source);
                    OutputStream os = Files.newOutputStream(out)) {
                if (sessionKey != null) {
                    sessionKey.encrypt(in, os, ProgressListener.NONE);
                } else {
                    in.transferTo(os);
                }
            }
            String hash = signer == null ? plain.hex() : plain.sign(signer).hex();
            return new Payload(keep ? name + BROTLI_SUFFIX : name, hash, plain, Files.size(out), keep);
        } finally {
            if (compressed != null) {
                Files.deleteIfExists(compressed);
            }
        }
    }

    /** Brotli-compresses {@code file} into {@code to} and returns the file's SHA-256, in one pass. */
    private static BundleChecksum compress(Path file, Path to) throws IOException {
        HashingOutputStream hashed;
        try (InputStream in = Files.newInputStream(file);
                OutputStream os = Files.newOutputStream(to);
                BrotliOutputStream br = new BrotliOutputStream(os, BROTLI, BUFFER)) {
            hashed = new HashingOutputStream(br);
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) > 0; ) {
                hashed.write(buf, 0, n);
            }
        }
        return hashed.checksum();
    }
}
