package dev.updraft.crypto;

/** The PEM format a key was read from. Capgo and the plugin use PKCS#1 only; the others are converted. */
public enum KeyFormat {
    /** {@code -----BEGIN RSA PUBLIC KEY-----} / {@code -----BEGIN RSA PRIVATE KEY-----}: what the plugin needs. */
    PKCS1,
    /** {@code -----BEGIN PUBLIC KEY-----} (X.509 SubjectPublicKeyInfo), as written by {@code openssl rsa -pubout}. */
    SPKI,
    /** {@code -----BEGIN PRIVATE KEY-----}, as written by {@code openssl genpkey}. */
    PKCS8
}
