package dev.updraft.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The SHA-256 of a plain (unencrypted) bundle zip, as lowercase hex: what {@code bundle zip} prints, what an
 * unencrypted update answer carries, and what a {@link SignedChecksum} recovers to.
 */
public final class BundleChecksum {
    static final int DIGEST_BYTES = 32;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final int BUFFER = 64 * 1024;

    private final byte[] digest;

    private BundleChecksum(byte[] digest) {
        this.digest = digest;
    }

    static BundleChecksum ofDigest(byte[] digest) {
        if (digest.length != DIGEST_BYTES) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes");
        }
        return new BundleChecksum(digest.clone());
    }

    /** Parses 64 hex digits (either case; the result is lowercase). */
    public static BundleChecksum parse(String hex) throws CryptoException {
        if (hex == null || !SHA256_HEX.matcher(hex).matches()) {
            String shown = hex == null ? "nothing" : hex.length() > 80 ? hex.length() + " characters" : "'" + hex + "'";
            throw new CryptoException(
                    CryptoException.Failure.CHECKSUM_MALFORMED,
                    "a SHA-256 checksum is 64 hex digits; got " + shown
                            + (hex != null && hex.length() == 8
                                    ? " (an 8-digit CRC32 checksum is deprecated; the plugin always uses SHA-256)"
                                    : ""));
        }
        return new BundleChecksum(Hex.decode(hex));
    }

    /** Whether {@code s} is a 64-hex-digit SHA-256 in lowercase, the form the plugin compares against. */
    public static boolean isLowercaseHex(String s) {
        return s != null
                && s.length() == 64
                && SHA256_HEX.matcher(s).matches()
                && s.equals(s.toLowerCase(java.util.Locale.ROOT));
    }

    /** Hashes a file in one streaming pass with a fixed buffer. */
    public static BundleChecksum of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }

    /** Hashes a stream to its end in one pass with a fixed buffer; does not close it. */
    public static BundleChecksum of(InputStream in) throws IOException {
        MessageDigest md = newDigest();
        byte[] buf = new byte[BUFFER];
        for (int n; (n = in.read(buf)) > 0; ) {
            Slices.digest(md, buf, 0, n);
        }
        return new BundleChecksum(md.digest());
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Lowercase hex, 64 characters. */
    public String hex() {
        return Hex.encode(digest);
    }

    /** Signs this checksum with the private key: the V3 form (512 lowercase hex) that plugin 8.x verifies. */
    public SignedChecksum sign(BundlePrivateKey key) {
        return new SignedChecksum(Rsa.privateEncrypt(key.jcaKey(), digest));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BundleChecksum other && MessageDigest.isEqual(digest, other.digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return hex();
    }
}
