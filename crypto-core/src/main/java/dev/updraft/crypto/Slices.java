package dev.updraft.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;

/**
 * {@code Cipher.update} and {@code MessageDigest.update} in slices of {@link #SLICE} bytes. HotSpot swaps in its
 * AES-NI and SHA-NI code only once the inner methods are compiled, which takes thousands of calls: with 256 KiB
 * calls a 100 MB bundle would be done before that happens, with small slices it happens within the first megabytes.
 */
final class Slices {
    static final int SLICE = 8 * 1024;

    private Slices() {}

    /** {@code cipher.update} of {@code in[off, off + len)} into {@code out} from 0; returns the bytes written. */
    static int update(Cipher cipher, byte[] in, int off, int len, byte[] out) {
        try {
            int written = 0;
            for (int p = 0; p < len; p += SLICE) {
                written += cipher.update(in, off + p, Math.min(SLICE, len - p), out, written);
            }
            return written;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("output buffer too small for AES update", e);
        }
    }

    static void digest(MessageDigest md, byte[] in, int off, int len) {
        for (int p = 0; p < len; p += SLICE) {
            md.update(in, off + p, Math.min(SLICE, len - p));
        }
    }
}
