package dev.updraft.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * What {@code bundle encrypt} does: a fresh session key, AES-128-CBC over the whole zip, the key wrapped and the
 * checksum signed with the private key. Byte-compatible with the Capgo CLI, and stricter: the zip is hashed in the
 * same pass, and a checksum that is not the zip's own SHA-256 is refused instead of producing a bundle no device
 * can install.
 */
public final class BundleEncryptor {
    private final BundlePrivateKey key;

    public BundleEncryptor(BundlePrivateKey key) {
        this.key = key;
    }

    /** The result: the encrypted file and the two strings the server hands to devices. */
    public record EncryptedBundle(
            Path file, long size, String ivSessionKey, SignedChecksum checksum, BundleChecksum plainChecksum) {}

    /**
     * Encrypts {@code zip} into {@code out}, hashing it in the same pass. The output appears only when everything
     * succeeded.
     */
    public EncryptedBundle encrypt(Path zip, Path out, ProgressListener progress) throws IOException {
        try {
            return encrypt(zip, out, null, SessionKey.generate(), progress);
        } catch (CryptoException e) {
            throw new IllegalStateException("no checksum to compare, so no mismatch", e);
        }
    }

    /**
     * Encrypts {@code zip} into {@code out} if its SHA-256 is {@code expected} (what {@code bundle zip} printed).
     * The output appears only when everything succeeded.
     *
     * @throws CryptoException {@code CHECKSUM_MISMATCH} if {@code expected} is not the zip's SHA-256 (nothing is written)
     */
    public EncryptedBundle encryptVerified(Path zip, BundleChecksum expected, Path out, ProgressListener progress)
            throws IOException, CryptoException {
        return encrypt(zip, out, Objects.requireNonNull(expected, "expected"), SessionKey.generate(), progress);
    }

    /** @param expected null: nothing to compare (only {@link #encrypt(Path, Path, ProgressListener)} passes null) */
    EncryptedBundle encrypt(
            Path zip, Path out, BundleChecksum expected, SessionKey sessionKey, ProgressListener progress)
            throws IOException, CryptoException {
        Path target = out.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), ".updraft-enc-", ".tmp");
        try {
            BundleChecksum actual;
            try (InputStream in = Files.newInputStream(zip);
                    OutputStream os = Files.newOutputStream(tmp)) {
                actual = sessionKey.encrypt(in, os, progress);
            }
            if (expected != null && !expected.equals(actual)) {
                throw new CryptoException(
                        CryptoException.Failure.CHECKSUM_MISMATCH,
                        "the checksum given (" + expected.hex() + ") is not the SHA-256 of " + zip.getFileName() + " ("
                                + actual.hex() + "): devices would reject this bundle");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            return new EncryptedBundle(target, Files.size(target), sessionKey.wrap(key), actual.sign(key), actual);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
