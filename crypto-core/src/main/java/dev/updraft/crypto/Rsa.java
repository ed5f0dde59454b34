package dev.updraft.crypto;

import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import javax.crypto.Cipher;

/**
 * The two raw RSA operations Capgo uses: a private-key "encrypt" with PKCS#1 v1.5 type-1 padding (what Node's
 * {@code privateEncrypt} does; in effect a signature without a hash prefix), and its public-key recovery.
 * Cipher objects are not thread-safe, and RSA is off the hot paths, so each call gets its own.
 */
final class Rsa {
    /** RSA-2048: the plugin refuses any other block size. */
    static final int MODULUS_BITS = 2048;

    static final int BLOCK_BYTES = MODULUS_BITS / 8;
    private static final String TRANSFORMATION = "RSA/ECB/PKCS1Padding";

    private Rsa() {}

    static byte[] privateEncrypt(RSAPrivateKey key, byte[] data) {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key);
            return cipher.doFinal(data);
        } catch (GeneralSecurityException e) {
            // Only reachable if the JDK lacks RSA or the input is over-long, both programming errors here.
            throw new IllegalStateException("RSA private-key operation failed", e);
        }
    }

    /** Recovers what {@link #privateEncrypt} wrapped; throws if the block was not made by the matching private key. */
    static byte[] publicDecrypt(RSAPublicKey key, byte[] block) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(Cipher.DECRYPT_MODE, key);
        return cipher.doFinal(block);
    }
}
