package dev.updraft.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The "V3" encrypted checksum of an encrypted bundle: the 32 SHA-256 bytes put through an RSA private-key operation
 * with PKCS#1 v1.5 type-1 padding, as 512 lowercase hex characters. Anyone with the public key recovers the
 * {@link BundleChecksum}; only the private key holder can make one, which is what gives bundles their integrity.
 */
public final class SignedChecksum {
    private final byte[] block;

    SignedChecksum(byte[] block) {
        this.block = block;
    }

    /**
     * Parses a signed checksum with the plugin's input rules: hex if the string is all hex digits, base64
     * otherwise, and exactly 256 bytes (RSA-2048) either way.
     */
    public static SignedChecksum parse(String text) throws CryptoException {
        if (text == null || text.isEmpty()) {
            throw new CryptoException(CryptoException.Failure.CHECKSUM_MALFORMED, "the checksum is empty");
        }
        byte[] bytes;
        if (Hex.isHex(text)) {
            if (text.length() % 2 != 0) {
                throw new CryptoException(
                        CryptoException.Failure.CHECKSUM_MALFORMED, "the checksum has an odd number of hex digits");
            }
            bytes = Hex.decode(text);
        } else {
            try {
                bytes = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new CryptoException(
                        CryptoException.Failure.CHECKSUM_MALFORMED, "the checksum is neither hex nor base64", e);
            }
        }
        if (bytes.length != Rsa.BLOCK_BYTES) {
            String hint = bytes.length == BundleChecksum.DIGEST_BYTES
                    ? " (this is a plain SHA-256; an encrypted bundle needs the checksum that 'bundle encrypt' prints)"
                    : "";
            throw new CryptoException(
                    CryptoException.Failure.CHECKSUM_MALFORMED,
                    "the bundle checksum is not encrypted: a signed checksum is 256 bytes (512 hex digits), got "
                            + bytes.length + " bytes" + hint);
        }
        return new SignedChecksum(bytes);
    }

    /** Whether {@code s} is in the form servers must store and serve: 512 lowercase hex digits. */
    public static boolean isV3Hex(String s) {
        return s != null
                && s.length() == 2 * Rsa.BLOCK_BYTES
                && Hex.isHex(s)
                && s.equals(s.toLowerCase(java.util.Locale.ROOT));
    }

    /** Recovers the plain checksum with the public key, exactly as the plugin does before comparing. */
    public BundleChecksum recover(BundlePublicKey key) throws CryptoException {
        byte[] recovered;
        try {
            recovered = Rsa.publicDecrypt(key.jcaKey(), block);
        } catch (GeneralSecurityException e) {
            throw new CryptoException(
                    CryptoException.Failure.CHECKSUM_WRONG_KEY,
                    "the checksum was not signed by the private key of this public key (key_id " + key.keyId() + ")",
                    e);
        }
        if (recovered.length == BundleChecksum.DIGEST_BYTES) {
            return BundleChecksum.ofDigest(recovered);
        }
        if (recovered.length == 48) {
            // An old CLI base64-decoded the hex string (64 chars -> 48 bytes) before signing: "V2".
            throw new CryptoException(
                    CryptoException.Failure.CHECKSUM_LEGACY_V2,
                    "this is a legacy V2 checksum (base64, made by a Capgo CLI that did not find @capgo/capacitor-updater >= 5.30/6.30/7.30): "
                            + "plugin 8.x rejects it with checksum_fail; encrypt the bundle again with 'updraft bundle encrypt' or a current Capgo CLI");
        }
        throw new CryptoException(
                CryptoException.Failure.CHECKSUM_MALFORMED,
                "the signed checksum holds " + recovered.length + " bytes, not a 32-byte SHA-256");
    }

    /** 512 lowercase hex characters. */
    public String hex() {
        return Hex.encode(block);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedChecksum other && Arrays.equals(block, other.block);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(block);
    }

    @Override
    public String toString() {
        return hex();
    }
}
