package dev.updraft.crypto;

import dev.updraft.crypto.zip.BundleArchiveException;
import dev.updraft.crypto.zip.SafeUnzip;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.brotli.dec.BrotliInputStream;

/**
 * The device side of a delta (manifest) bundle, one file at a time (docs/protocol.md §7.4): every payload of the
 * bundle is encrypted with the bundle's own session key and IV (when it is encrypted), Brotli-compressed first when
 * its {@code file_name} ends in {@code .br}, and its {@code file_hash} is the SHA-256 of the final file (the V3
 * signed form when the bundle is encrypted). {@link #file} checks an entry before anything is downloaded;
 * {@link DeltaFile#read} decrypts, decodes and hashes a payload and publishes the file under its final name only
 * when the hash matched. Callers never see the key, the IV or unchecked plaintext.
 *
 * <p>Failures are {@link CryptoException}s; {@link CryptoException.Failure#manifestStat()} is the stat the plugin
 * sends for them ({@code download_manifest_checksum_fail}, {@code download_manifest_brotli_fail},
 * {@code manifest_path_fail}, {@code download_manifest_file_fail}).
 */
public final class DeltaPayloadReader {
    /** Where entry names are checked before there is a bundle folder: any absolute folder gives the same verdict. */
    private static final Path CHECK_ROOT = Path.of("").toAbsolutePath().resolve("bundle");

    private final SessionKey sessionKey; // null: the bundle is not encrypted
    private final BundlePublicKey publicKey;

    private DeltaPayloadReader(SessionKey sessionKey, BundlePublicKey publicKey) {
        this.sessionKey = sessionKey;
        this.publicKey = publicKey;
    }

    /**
     * For a device with a public key and a bundle with a {@code session_key}: payloads are decrypted with the
     * bundle's key and IV, and every {@code file_hash} is a signed checksum recovered with the public key.
     */
    public static DeltaPayloadReader forEncrypted(String ivSessionKey, BundlePublicKey publicKey)
            throws CryptoException {
        return new DeltaPayloadReader(
                SessionKey.unwrap(ivSessionKey, Objects.requireNonNull(publicKey, "publicKey")), publicKey);
    }

    /**
     * For an unencrypted bundle: payloads are taken as they are and every {@code file_hash} is a plain SHA-256 in hex.
     * (Both plugins recover the hashes only when the answer has a {@code session_key}.)
     */
    public static DeltaPayloadReader forPlain() {
        return new DeltaPayloadReader(null, null);
    }

    public boolean encrypted() {
        return sessionKey != null;
    }

    /**
     * Checks one manifest entry as the plugin does before any download: the file name (without {@code .br}) follows
     * the plugin's path rules (docs/protocol.md §8.3), and the hash is a plain SHA-256 or, for an encrypted bundle, a
     * signed checksum of this public key.
     *
     * @throws CryptoException {@code MANIFEST_ENTRY_INVALID} for a bad name or an empty hash; the checksum failures
     *     ({@code CHECKSUM_MALFORMED}, {@code CHECKSUM_WRONG_KEY}, ...) for a hash that cannot be recovered
     */
    public DeltaFile file(String fileName, String fileHash) throws CryptoException {
        if (fileName == null || fileName.isEmpty()) {
            throw invalid("a manifest entry has no file_name");
        }
        boolean brotli = fileName.endsWith(DeltaPayloadWriter.BROTLI_SUFFIX);
        String path = brotli
                ? fileName.substring(0, fileName.length() - DeltaPayloadWriter.BROTLI_SUFFIX.length())
                : fileName;
        try {
            SafeUnzip.resolveInside(CHECK_ROOT, path);
        } catch (BundleArchiveException e) {
            throw invalid("the manifest entry '" + fileName + "' cannot be installed: "
                    + e.getMessage().replace("the zip entry", "the path"));
        }
        if (fileHash == null || fileHash.isEmpty()) {
            throw invalid("the manifest entry '" + fileName + "' has no file_hash");
        }
        BundleChecksum expected;
        try {
            expected = sessionKey == null
                    ? BundleChecksum.parse(fileHash)
                    : SignedChecksum.parse(fileHash).recover(publicKey);
        } catch (CryptoException e) {
            throw new CryptoException(e.failure(), "the file_hash of '" + fileName + "': " + e.getMessage(), e);
        }
        return new DeltaFile(fileName, path, brotli, expected);
    }

    private static CryptoException invalid(String message) {
        return new CryptoException(CryptoException.Failure.MANIFEST_ENTRY_INVALID, message);
    }

    /** One checked manifest entry. */
    public final class DeltaFile {
        private final String fileName;
        private final String path;
        private final boolean brotli;
        private final BundleChecksum checksum;

        private DeltaFile(String fileName, String path, boolean brotli, BundleChecksum checksum) {
            this.fileName = fileName;
            this.path = path;
            this.brotli = brotli;
            this.checksum = checksum;
        }

        /** The entry's {@code file_name} as sent ({@code .br} included). */
        public String fileName() {
            return fileName;
        }

        /** Where the file goes in the bundle: the {@code file_name} without {@code .br}. */
        public String path() {
            return path;
        }

        /** Whether the payload is Brotli-compressed ({@code file_name} ends in {@code .br}). */
        public boolean brotli() {
            return brotli;
        }

        /** The plain SHA-256 the final file must have. */
        public BundleChecksum checksum() {
            return checksum;
        }

        /** Where this file goes inside {@code bundleDir}, by the plugin's path rules. */
        public Path target(Path bundleDir) throws CryptoException {
            try {
                return SafeUnzip.resolveInside(bundleDir.toAbsolutePath().normalize(), path);
            } catch (BundleArchiveException e) {
                throw invalid(e.getMessage()); // checked in file(): only a different folder could change the verdict
            }
        }

        /**
         * Reads the payload to its end (without closing it): decrypts it with the bundle's key and IV, Brotli-decodes
         * it for a {@code .br} name, hashes the result, and only when the hash matches publishes it as
         * {@link #target(Path)} inside {@code bundleDir} (parent folders are created). On any failure nothing new is
         * under the final name and no temporary file is left.
         *
         * @return the SHA-256 of the file
         * @throws CryptoException {@code CHECKSUM_MISMATCH}, {@code BROTLI_CORRUPT}, or a decryption failure
         *     ({@code CIPHERTEXT_TRUNCATED}, {@code CIPHERTEXT_CORRUPT}); the message names the file
         */
        public BundleChecksum read(InputStream payload, Path bundleDir) throws IOException, CryptoException {
            Path target = target(bundleDir);
            Files.createDirectories(target.getParent());
            try {
                if (!brotli) {
                    return BundleVerifier.pump(
                            payload, BundleSink.open(sessionKey, checksum, target), ProgressListener.NONE);
                }
                if (sessionKey == null) {
                    return decode(payload, target);
                }
                // Decrypt first (the plugin's order), then decode: the compressed plaintext waits in an owner-only
                // file beside the target, so memory stays fixed whatever the payload's size.
                Path compressed = Files.createTempFile(target.getParent(), ".updraft-br-", ".tmp");
                try {
                    BundleVerifier.pump(payload, BundleSink.open(sessionKey, null, compressed), ProgressListener.NONE);
                    try (InputStream in = Files.newInputStream(compressed)) {
                        return decode(in, target);
                    }
                } finally {
                    Files.deleteIfExists(compressed);
                }
            } catch (CryptoException e) {
                throw new CryptoException(e.failure(), fileName + ": " + e.getMessage(), e);
            }
        }

        /** Brotli-decodes {@code compressed} into the checksum gate of {@code target}. */
        private BundleChecksum decode(InputStream compressed, Path target) throws IOException, CryptoException {
            BundleSink sink = BundleSink.open(null, checksum, target);
            try {
                BrotliInputStream decoded = new BrotliInputStream(new BufferedInputStream(compressed));
                return BundleVerifier.pump(decoded, sink, ProgressListener.NONE);
            } catch (IOException e) {
                sink.discard();
                if (e.getCause() instanceof RuntimeException) { // org.brotli.dec wraps its decoding errors so
                    throw new CryptoException(
                            CryptoException.Failure.BROTLI_CORRUPT,
                            "the payload does not Brotli-decode (" + e.getMessage()
                                    + "): it was altered, or is not Brotli",
                            e);
                }
                throw e;
            }
        }

        @Override
        public String toString() {
            return fileName;
        }
    }
}
