package dev.updraft.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-bundle AES-128 key and IV. It travels as the {@code ivSessionKey} string
 * {@code base64(iv) + ":" + base64(rsaPrivateEncrypt(key))}: the key is wrapped with the team's private key and
 * unwrapped by devices with the public key. Payloads are AES-128-CBC with PKCS#7 padding, no header, no MAC;
 * integrity comes from the {@link SignedChecksum}.
 *
 * <p>Only the shape check is public. Making, wrapping and using a key are package-private: callers go through
 * {@link BundleEncryptor} (a fresh key per bundle, so an IV is never reused) and {@link BundleVerifier} (no plaintext
 * without the check); this package's tests call them directly.
 */
public final class SessionKey {
    static final int KEY_BYTES = 16;
    static final int IV_BYTES = 16;
    static final int BUFFER = 256 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final byte[] iv;

    private SessionKey(byte[] key, byte[] iv) {
        this.key = key;
        this.iv = iv;
    }

    /** A fresh random key and IV, for one bundle. */
    static SessionKey generate() {
        byte[] key = new byte[KEY_BYTES];
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(key);
        RANDOM.nextBytes(iv);
        return new SessionKey(key, iv);
    }

    /** For known-answer tests only: a session key from given material. */
    static SessionKey of(byte[] key, byte[] iv) {
        if (key.length != KEY_BYTES || iv.length != IV_BYTES) {
            throw new IllegalArgumentException("AES-128 key and IV are 16 bytes each");
        }
        return new SessionKey(key.clone(), iv.clone());
    }

    /**
     * The plugin's own pre-check: a usable {@code session_key} is {@code "<non-empty>:<non-empty>"}. Without it a
     * device with a public key refuses the update ({@code session_key_required}).
     */
    public static boolean hasSessionKeyShape(String ivSessionKey) {
        if (ivSessionKey == null) {
            return false;
        }
        int colon = ivSessionKey.indexOf(':');
        return colon > 0 && colon < ivSessionKey.length() - 1;
    }

    /** Wraps the key with the private key and returns the {@code ivSessionKey} string (369 characters for RSA-2048). */
    String wrap(BundlePrivateKey privateKey) {
        byte[] wrapped = Rsa.privateEncrypt(privateKey.jcaKey(), key);
        return Base64.getEncoder().encodeToString(iv) + ":"
                + Base64.getEncoder().encodeToString(wrapped);
    }

    /** Parses an {@code ivSessionKey} string and unwraps its key with the public key, as a device does. */
    static SessionKey unwrap(String ivSessionKey, BundlePublicKey publicKey) throws CryptoException {
        if (ivSessionKey == null || ivSessionKey.isEmpty()) {
            throw malformed(
                    "the session key is empty; an encrypted bundle needs the ivSessionKey that 'bundle encrypt' prints");
        }
        String[] parts = ivSessionKey.split(":", -1);
        if (parts.length != 2) {
            throw malformed(
                    parts.length == 1
                            ? "the session key has no ':'; expected base64(iv):base64(wrappedKey)"
                            : "the session key has " + (parts.length - 1)
                                    + " ':' separators; expected exactly one, base64(iv):base64(wrappedKey)");
        }
        byte[] iv = decodeBase64(parts[0], "IV");
        byte[] wrapped = decodeBase64(parts[1], "wrapped key");
        if (iv.length != IV_BYTES) {
            throw malformed("the session key's IV is " + iv.length + " bytes; AES-CBC needs 16");
        }
        if (wrapped.length != Rsa.BLOCK_BYTES) {
            throw malformed("the session key's wrapped key is " + wrapped.length + " bytes; an RSA-2048 block is 256");
        }
        byte[] key;
        try {
            key = Rsa.publicDecrypt(publicKey.jcaKey(), wrapped);
        } catch (GeneralSecurityException e) {
            throw new CryptoException(
                    CryptoException.Failure.SESSION_KEY_WRONG_KEY,
                    "the session key was not made with the private key of this public key (key_id " + publicKey.keyId()
                            + ")",
                    e);
        }
        if (key.length != KEY_BYTES) {
            throw malformed("the session key unwraps to " + key.length + " bytes; AES-128 needs 16");
        }
        return new SessionKey(key, iv);
    }

    private static byte[] decodeBase64(String part, String what) throws CryptoException {
        if (part.isEmpty()) {
            throw malformed("the session key's " + what + " is empty; expected base64(iv):base64(wrappedKey)");
        }
        try {
            return Base64.getDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new CryptoException(
                    CryptoException.Failure.SESSION_KEY_MALFORMED,
                    "the session key's " + what + " is not valid base64",
                    e);
        }
    }

    private static CryptoException malformed(String message) {
        return new CryptoException(CryptoException.Failure.SESSION_KEY_MALFORMED, message);
    }

    /**
     * Encrypts {@code plain} to {@code out} in one streaming pass with a fixed buffer. Neither stream is closed.
     * CBC encryption is serial, so the SHA-256 of each chunk is computed on a second thread while the chunk is
     * encrypted on this one; both only read the chunk.
     *
     * @return the SHA-256 of the plaintext, computed in the same pass
     */
    BundleChecksum encrypt(InputStream plain, OutputStream out, ProgressListener progress) throws IOException {
        Cipher cipher = newCipher(Cipher.ENCRYPT_MODE);
        MessageDigest md = BundleChecksum.newDigest();
        byte[] in = new byte[BUFFER];
        byte[] enc = new byte[BUFFER + IV_BYTES];
        try (SideThread hasher = new SideThread()) {
            long done = 0;
            for (int n; (n = plain.read(in)) > 0; ) {
                int len = n;
                hasher.submit(() -> Slices.digest(md, in, 0, len));
                int m = Slices.update(cipher, in, 0, n, enc);
                hasher.await(); // `in` is read again by the next plain.read
                out.write(enc, 0, m);
                done += n;
                progress.advanced(done);
            }
        }
        try {
            int m = cipher.doFinal(enc, 0);
            out.write(enc, 0, m);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC encryption with padding cannot fail", e);
        }
        return BundleChecksum.ofDigest(md.digest());
    }

    /** A stream that decrypts what is written to it and writes the plaintext to {@code plainOut}; see {@link DecryptingOutputStream}. */
    DecryptingOutputStream decrypting(OutputStream plainOut) {
        return new DecryptingOutputStream(newCipher(Cipher.DECRYPT_MODE), plainOut);
    }

    private Cipher newCipher(int mode) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES-128-CBC", e);
        }
    }

    /** Equal key and IV. Constant-time; for tests and de-duplication, never for display. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SessionKey other
                && MessageDigest.isEqual(key, other.key)
                && MessageDigest.isEqual(iv, other.iv);
    }

    @Override
    public int hashCode() {
        return 0; // no key bits leak through hash codes
    }

    @Override
    public String toString() {
        return "SessionKey[AES-128-CBC, material hidden]";
    }
}
