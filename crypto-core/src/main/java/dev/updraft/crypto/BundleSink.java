package dev.updraft.crypto;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The checksum gate of a downloaded bundle ({@link BundleVerifier#newSink(Path)}): the bytes written here, in order,
 * are decrypted (an encrypted bundle), hashed, and written as plaintext to a temporary file beside the plain zip's
 * final name. {@link #close()} finishes the work: it decrypts the last block, compares the checksum, and only when it
 * matches moves the file to its final name. After any failure, and after {@link #discard()}, the temporary file is
 * gone and nothing new is under the final name (a file already there is left as it was).
 *
 * <p>The pieces are small streams that each do one job: {@link DecryptingOutputStream} on the caller's thread, then
 * {@link OffThreadOutputStream} hands the plaintext to a helper thread for {@link HashingOutputStream} and the file,
 * so decrypting one chunk overlaps with hashing and writing the previous one. Fixed buffers: memory does not grow
 * with the bundle. One writer at a time.
 */
public final class BundleSink implements AutoCloseable {
    private static final int FILE_BUFFER = 64 * 1024;

    private enum State {
        OPEN,
        DONE,
        FAILED
    }

    private final Path target; // null: check only, the plaintext is not kept
    private final Path temp;
    private final BundleChecksum expected; // null: decrypt only, no checksum to compare
    private final HashingOutputStream hashed;
    private final OutputStream head;
    private State state = State.OPEN;
    private long bytesIn;
    private BundleChecksum checksum;

    private BundleSink(Path target, Path temp, BundleChecksum expected, HashingOutputStream hashed, OutputStream head) {
        this.target = target;
        this.temp = temp;
        this.expected = expected;
        this.hashed = hashed;
        this.head = head;
    }

    /**
     * @param sessionKey null for an unencrypted bundle
     * @param expected   null to decrypt without a verdict on the checksum
     * @param target     where the plain zip appears once it passed; null to keep nothing
     */
    static BundleSink open(SessionKey sessionKey, BundleChecksum expected, Path target) throws IOException {
        Path absolute = target == null ? null : target.toAbsolutePath();
        Path temp = absolute == null
                ? null
                : Files.createTempFile(absolute.getParent(), ".updraft-dec-", ".tmp"); // owner-only
        try {
            OutputStream file = temp == null
                    ? OutputStream.nullOutputStream()
                    : new BufferedOutputStream(Files.newOutputStream(temp), FILE_BUFFER);
            HashingOutputStream hashed = new HashingOutputStream(file);
            OutputStream head = sessionKey == null
                    ? hashed
                    : sessionKey.decrypting(
                            new OffThreadOutputStream(hashed, SessionKey.BUFFER + 2 * SessionKey.IV_BYTES));
            return new BundleSink(absolute, temp, expected, hashed, head);
        } catch (IOException | RuntimeException e) {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
            throw e;
        }
    }

    /** Takes the next bytes of the (encrypted or plain) bundle. A failure here discards everything. */
    public void write(byte[] b, int off, int len) throws IOException {
        if (state != State.OPEN) {
            throw new IllegalStateException(
                    state == State.DONE ? "the sink is closed" : "the sink failed or was discarded");
        }
        try {
            head.write(b, off, len);
            bytesIn += len;
        } catch (IOException | RuntimeException e) {
            discard();
            throw e;
        }
    }

    /** Bytes written so far (the encrypted size, for an encrypted bundle). */
    public long bytesIn() {
        return bytesIn;
    }

    /** Stops without a verdict: nothing is published, the temporary file is deleted; {@link #close()} then does nothing. */
    public void discard() {
        if (state != State.OPEN) {
            return;
        }
        state = State.FAILED;
        try {
            head.close();
        } catch (IOException e) {
            // the bytes are thrown away anyway
        }
        deleteTemp();
    }

    /**
     * Finishes: ends the decryption, compares the SHA-256 of the plaintext with the expected checksum, and moves the
     * plain zip to its final name only if it matches. Does nothing after {@link #discard()}, a failed write or an
     * earlier close.
     *
     * @throws CryptoException {@code CIPHERTEXT_TRUNCATED} if the ciphertext is not whole blocks,
     *     {@code CIPHERTEXT_CORRUPT} if the padding is wrong, {@code NOT_ENCRYPTED} for a plain zip where an encrypted
     *     bundle was expected, {@code CHECKSUM_MISMATCH} if the hash differs
     */
    @Override
    public void close() throws IOException, CryptoException {
        if (state != State.OPEN) {
            return;
        }
        state = State.FAILED; // until published
        try {
            head.close();
            BundleChecksum actual = hashed.checksum();
            if (expected != null && !expected.equals(actual)) {
                throw new CryptoException(
                        CryptoException.Failure.CHECKSUM_MISMATCH,
                        "checksum mismatch: the bundle's SHA-256 is " + actual.hex() + " but its checksum says "
                                + expected.hex() + " (the file was altered or is not this bundle)");
            }
            if (target != null) {
                publish();
            }
            checksum = actual;
            state = State.DONE;
        } catch (CryptoIOException e) {
            throw e.crypto();
        } finally {
            if (state != State.DONE) {
                deleteTemp();
            }
        }
    }

    /** The SHA-256 of the plaintext, once {@link #close()} succeeded. */
    public BundleChecksum checksum() {
        if (checksum == null) {
            throw new IllegalStateException("the bundle has not passed its check: close() first");
        }
        return checksum;
    }

    private void publish() throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void deleteTemp() {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // an owner-only temporary file beside the target; nothing is published either way
            }
        }
    }
}
