package dev.updraft.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

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
        return encryptVerified(zip, expected, out, progress, () -> {});
    }

    /**
     * Like {@link #encryptVerified(Path, BundleChecksum, Path, ProgressListener)}, with {@code check} (e.g. the
     * bundle layout check, which reads the whole zip too) run on a second thread while the zip is encrypted: the
     * output appears only if the check passed too. A failure of the check stops the encryption and is what this
     * throws, also when the encryption failed too or the checksum does not match (the check comes first, as if it
     * ran before); a failure of the encryption stops the check. Nothing is written either way.
     */
    public EncryptedBundle encryptVerified(
            Path zip, BundleChecksum expected, Path out, ProgressListener progress, Check check)
            throws IOException, CryptoException {
        return encrypt(zip, out, Objects.requireNonNull(expected, "expected"), SessionKey.generate(), progress, check);
    }

    /** A check of the zip that runs beside its encryption; its exception refuses the bundle. */
    @FunctionalInterface
    public interface Check {
        void run() throws IOException;
    }

    /** @param expected null: nothing to compare (only {@link #encrypt(Path, Path, ProgressListener)} passes null) */
    EncryptedBundle encrypt(
            Path zip, Path out, BundleChecksum expected, SessionKey sessionKey, ProgressListener progress)
            throws IOException, CryptoException {
        return encrypt(zip, out, expected, sessionKey, progress, () -> {});
    }

    private EncryptedBundle encrypt(
            Path zip, Path out, BundleChecksum expected, SessionKey sessionKey, ProgressListener progress, Check check)
            throws IOException, CryptoException {
        // The second thread also wraps the session key: an RSA private-key operation that needs nothing of the zip.
        CompletableFuture<String> side = new CompletableFuture<>();
        Thread sideThread = new Thread(
                () -> {
                    try {
                        check.run();
                        side.complete(sessionKey.wrap(key));
                    } catch (Throwable e) {
                        side.completeExceptionally(e);
                    }
                },
                "updraft-check");
        sideThread.setDaemon(true);
        sideThread.start();
        Path target = out.toAbsolutePath();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(target.getParent(), ".updraft-enc-", ".tmp");
            BundleChecksum actual;
            try (InputStream in = Files.newInputStream(zip);
                    OutputStream os = Files.newOutputStream(tmp)) {
                actual = sessionKey.encrypt(in, os, done -> {
                    if (side.isCompletedExceptionally()) {
                        throw new CheckFailed(); // stop reading: the check's failure is thrown below
                    }
                    progress.advanced(done);
                });
            }
            String ivSessionKey = sideResult(side);
            if (expected != null && !expected.equals(actual)) {
                throw new CryptoException(
                        CryptoException.Failure.CHECKSUM_MISMATCH,
                        "the checksum given (" + expected.hex() + ") is not the SHA-256 of " + zip.getFileName() + " ("
                                + actual.hex() + "): devices would reject this bundle");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            return new EncryptedBundle(target, Files.size(target), ivSessionKey, actual.sign(key), actual);
        } catch (IOException | RuntimeException e) {
            if (side.isCompletedExceptionally() || e instanceof CheckFailed) {
                sideResult(side); // the check's failure comes first, as if it had run before
            }
            sideThread.interrupt(); // the encryption failed: stop the check
            throw e;
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Stops the encryption from its progress callback once the check failed. */
    private static final class CheckFailed extends RuntimeException {
        CheckFailed() {
            super("the check beside the encryption failed", null, false, false);
        }
    }

    /** Waits for the second thread; rethrows the check's failure as it was thrown. */
    private static String sideResult(CompletableFuture<String> side) throws IOException {
        try {
            return side.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the check beside the encryption");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("the check beside the encryption failed", cause);
        }
    }
}
