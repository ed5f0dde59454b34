package dev.updraft.crypto;

import java.security.GeneralSecurityException;

/**
 * A bundle could not be signed, encrypted, decrypted or verified. {@link #failure()} says why, in a form a
 * caller can branch on (the device simulator maps it to the plugin's stat names); the message says it in
 * one line for a person.
 */
public final class CryptoException extends GeneralSecurityException {

    /** Why a crypto operation was refused. */
    public enum Failure {
        /** Not a PEM we can read (bad header, bad base64, bad DER). */
        BAD_PEM,
        /** A PEM of the wrong kind: a private key where a public key was needed, a non-RSA key, ... */
        WRONG_KEY_TYPE,
        /** An RSA key that is not 2048 bits: the plugin only accepts 256-byte RSA blocks. */
        WRONG_KEY_SIZE,
        /** The {@code ivSessionKey} string does not have the shape {@code base64(iv):base64(wrappedKey)}. */
        SESSION_KEY_MALFORMED,
        /** The session key was wrapped with a private key that does not match this public key. */
        SESSION_KEY_WRONG_KEY,
        /** The checksum string is neither a 64-hex SHA-256 nor a 256-byte signed checksum. */
        CHECKSUM_MALFORMED,
        /** A base64 "V2" checksum of an old Capgo CLI: plugin 8.x cannot verify it. */
        CHECKSUM_LEGACY_V2,
        /** The signed checksum was made with a private key that does not match this public key. */
        CHECKSUM_WRONG_KEY,
        /** The bundle's SHA-256 differs from the checksum it should have. */
        CHECKSUM_MISMATCH,
        /** The ciphertext is not a whole number of AES blocks: the file was cut short. */
        CIPHERTEXT_TRUNCATED,
        /** The ciphertext does not decrypt (bad padding): it was altered or made with another session key. */
        CIPHERTEXT_CORRUPT
    }

    private final Failure failure;

    public CryptoException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public CryptoException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
