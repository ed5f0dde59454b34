package dev.updraft.crypto;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;

/**
 * One pass over a downloaded bundle: bytes written here are decrypted (when the bundle is encrypted), hashed and
 * passed on as plaintext. {@link #finish()} completes the decryption and checks the checksum. Fixed buffers; memory
 * does not grow with the bundle. For an encrypted bundle, a helper thread hashes and writes one decrypted chunk
 * while the caller's thread decrypts the next (two alternating buffers). Not thread-safe: one writer at a time.
 */
public final class VerifyingSink implements Closeable {
    private final Cipher cipher; // null for an unencrypted bundle
    private final OutputStream plainOut;
    private final BundleChecksum expected; // null: decrypt and report, do not judge
    private final MessageDigest md = BundleChecksum.newDigest();
    private final byte[][] out = {new byte[SessionKey.BUFFER + 2 * SessionKey.IV_BYTES], new byte[SessionKey.BUFFER + 2 * SessionKey.IV_BYTES]};
    private final SideThread side = new SideThread();
    private int current;
    private long bytesIn;
    private long bytesOut;
    private boolean finished;

    VerifyingSink(Cipher cipher, OutputStream plainOut, BundleChecksum expected) {
        this.cipher = cipher;
        this.plainOut = plainOut;
        this.expected = expected;
    }

    /** Takes the next bytes of the (encrypted or plain) bundle. */
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IllegalStateException("the sink is finished");
        }
        bytesIn += len;
        while (len > 0) {
            int chunk = Math.min(len, SessionKey.BUFFER);
            if (cipher == null) {
                emit(b, off, chunk); // the caller's buffer: done before returning
            } else {
                byte[] plain = out[current];
                int n = SessionKey.update(cipher, b, off, chunk, plain);
                if (n > 0) {
                    bytesOut += n;
                    side.submit(() -> hashAndWrite(plain, n));
                    current ^= 1;
                }
            }
            off += chunk;
            len -= chunk;
        }
    }

    private void emit(byte[] b, int off, int len) throws IOException {
        if (len > 0) {
            hashAndWrite(b, off, len);
            bytesOut += len;
        }
    }

    private void hashAndWrite(byte[] b, int len) throws IOException {
        hashAndWrite(b, 0, len);
    }

    private void hashAndWrite(byte[] b, int off, int len) throws IOException {
        SessionKey.digest(md, b, off, len);
        plainOut.write(b, off, len);
    }

    /**
     * Ends the stream: removes the padding, flushes the plaintext and compares its SHA-256 with the expected
     * checksum, if there is one.
     *
     * @return the SHA-256 of the plaintext
     * @throws CryptoException {@code CIPHERTEXT_TRUNCATED} if the ciphertext is not whole blocks,
     *     {@code CIPHERTEXT_CORRUPT} if the padding is wrong, {@code CHECKSUM_MISMATCH} if the hash differs
     */
    public BundleChecksum finish() throws IOException, CryptoException {
        if (finished) {
            throw new IllegalStateException("the sink is finished");
        }
        finished = true;
        side.await();
        side.close();
        if (cipher != null) {
            if (bytesIn == 0 || bytesIn % SessionKey.IV_BYTES != 0) {
                throw new CryptoException(CryptoException.Failure.CIPHERTEXT_TRUNCATED, "the encrypted bundle is " + bytesIn
                        + " bytes, not a whole number of 16-byte AES blocks: the file is truncated");
            }
            try {
                emit(out[0], 0, cipher.doFinal(out[0], 0));
            } catch (GeneralSecurityException e) {
                throw new CryptoException(CryptoException.Failure.CIPHERTEXT_CORRUPT,
                        "the encrypted bundle does not decrypt (bad padding): it was altered, or encrypted with another session key", e);
            }
        }
        plainOut.flush();
        BundleChecksum actual = BundleChecksum.ofDigest(md.digest());
        if (expected != null && !expected.equals(actual)) {
            throw new CryptoException(CryptoException.Failure.CHECKSUM_MISMATCH, "checksum mismatch: the bundle's SHA-256 is "
                    + actual.hex() + " but its checksum says " + expected.hex() + " (the file was altered or is not this bundle)");
        }
        return actual;
    }

    /** Bytes written to this sink so far (the encrypted size, for an encrypted bundle). */
    public long bytesIn() {
        return bytesIn;
    }

    /** Plaintext bytes passed on so far. */
    public long bytesOut() {
        return bytesOut;
    }

    /** Closes the plaintext stream. Does not verify: call {@link #finish()} first. */
    @Override
    public void close() throws IOException {
        try {
            side.await();
        } finally {
            side.close();
            plainOut.close();
        }
    }
}
