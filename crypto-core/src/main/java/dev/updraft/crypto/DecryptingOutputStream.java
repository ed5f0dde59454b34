package dev.updraft.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;

/**
 * Decrypts AES-128-CBC (PKCS#7 padding) as the ciphertext is written and writes the plaintext on, in chunks of at
 * most {@link SessionKey#BUFFER} bytes. {@link #close()} ends the ciphertext: it removes the padding and closes the
 * stream it wraps; a ciphertext that is not whole blocks or whose padding is wrong fails there, with a
 * {@link CryptoIOException}. One writer at a time.
 */
final class DecryptingOutputStream extends OutputStream {
    /** The first bytes of every zip: a plain bundle where an encrypted one was expected. */
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private final Cipher cipher;
    private final OutputStream out;
    private final byte[] plain = new byte[SessionKey.BUFFER + 2 * SessionKey.IV_BYTES];
    private final byte[] head = new byte[ZIP_MAGIC.length];
    private long bytesIn;
    private boolean closed;

    DecryptingOutputStream(Cipher cipher, OutputStream out) {
        this.cipher = cipher;
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("the stream is closed");
        }
        for (int i = 0; i < len && bytesIn + i < head.length; i++) {
            head[(int) bytesIn + i] = b[off + i];
        }
        bytesIn += len;
        while (len > 0) {
            int chunk = Math.min(len, SessionKey.BUFFER);
            int n = Slices.update(cipher, b, off, chunk, plain);
            if (n > 0) {
                out.write(plain, 0, n);
            }
            off += chunk;
            len -= chunk;
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Decrypts the last block, removes the padding, and closes the stream it wraps (also when that fails). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (out) {
            if (bytesIn == 0 || bytesIn % SessionKey.IV_BYTES != 0) {
                throw failure(
                        CryptoException.Failure.CIPHERTEXT_TRUNCATED,
                        "the encrypted bundle is " + bytesIn
                                + " bytes, not a whole number of 16-byte AES blocks: the file is truncated",
                        null);
            }
            int n;
            try {
                n = cipher.doFinal(plain, 0);
            } catch (GeneralSecurityException e) {
                throw failure(
                        CryptoException.Failure.CIPHERTEXT_CORRUPT,
                        "the encrypted bundle does not decrypt (bad padding): it was altered, or encrypted with another session key",
                        e);
            }
            out.write(plain, 0, n);
        }
    }

    /** The failure to report; a plain zip gets its own, since "truncated" or "altered" would mislead. */
    private CryptoIOException failure(CryptoException.Failure failure, String message, Throwable cause) {
        if (bytesIn >= ZIP_MAGIC.length && java.util.Arrays.equals(head, ZIP_MAGIC)) {
            return new CryptoIOException(new CryptoException(
                    CryptoException.Failure.NOT_ENCRYPTED,
                    "the file is a plain zip, not an encrypted bundle: it was not made by 'bundle encrypt'",
                    cause));
        }
        return new CryptoIOException(new CryptoException(failure, message, cause));
    }
}
