package dev.updraft.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The device side of a bundle: from the {@code session_key} and {@code checksum} of an update answer, decrypt and
 * verify the downloaded bytes in one pass. Everything that can be checked before the download (the session key's
 * shape and key, the signed checksum's shape and key) is checked when the verifier is made, so a device can refuse
 * an update without fetching it. The plain zip is only ever published under its final name after it passed
 * ({@link BundleSink}); there is no way to get unchecked plaintext out.
 */
public final class BundleVerifier {
    private final SessionKey sessionKey; // null: unencrypted bundle
    private final BundleChecksum expected; // null: decrypt only, no verdict

    private BundleVerifier(SessionKey sessionKey, BundleChecksum expected) {
        this.sessionKey = sessionKey;
        this.expected = expected;
    }

    /** For a device with a public key: both strings are required and must have been made with the matching private key. */
    public static BundleVerifier forEncrypted(String ivSessionKey, String signedChecksum, BundlePublicKey publicKey)
            throws CryptoException {
        SessionKey key = SessionKey.unwrap(ivSessionKey, publicKey);
        BundleChecksum checksum = SignedChecksum.parse(signedChecksum).recover(publicKey);
        return new BundleVerifier(key, checksum);
    }

    /**
     * For an encrypted bundle whose plain zip's SHA-256 is already known, e.g. {@code bundle decrypt --checksum
     * <sha256>}. Devices never use this: a device with a public key needs the signed checksum
     * ({@link #forEncrypted(String, String, BundlePublicKey)}).
     */
    public static BundleVerifier forEncrypted(
            String ivSessionKey, BundleChecksum zipChecksum, BundlePublicKey publicKey) throws CryptoException {
        return new BundleVerifier(
                SessionKey.unwrap(ivSessionKey, publicKey), Objects.requireNonNull(zipChecksum, "zipChecksum"));
    }

    /**
     * For a device without a public key: the checksum is the plain SHA-256 of the zip in lowercase hex. The plugin
     * compares it case-sensitively with its own lowercase hex, so an uppercase checksum can never match and is refused
     * here.
     */
    public static BundleVerifier forPlain(String checksum) throws CryptoException {
        BundleChecksum parsed = BundleChecksum.parse(checksum);
        if (!checksum.equals(parsed.hex())) {
            throw new CryptoException(
                    CryptoException.Failure.CHECKSUM_MALFORMED,
                    "the checksum must be lowercase hex: the plugin compares it case-sensitively with the SHA-256 it computes");
        }
        return new BundleVerifier(null, parsed);
    }

    /**
     * Decrypts without a checksum to compare with ({@code bundle decrypt} without {@code --checksum}): the plain zip
     * is published once it decrypted whole (right length, right padding), and its SHA-256 reported, not judged.
     */
    public static BundleVerifier decryptOnly(String ivSessionKey, BundlePublicKey publicKey) throws CryptoException {
        return new BundleVerifier(SessionKey.unwrap(ivSessionKey, publicKey), null);
    }

    /** The plaintext SHA-256 the bundle must have; null for {@link #decryptOnly}. */
    public BundleChecksum expectedChecksum() {
        return expected;
    }

    public boolean encrypted() {
        return sessionKey != null;
    }

    /**
     * A sink for the downloaded bytes, in order: the plain zip appears at {@code plainZip} when the sink is closed and
     * the bundle passed, never before (see {@link BundleSink}).
     */
    public BundleSink newSink(Path plainZip) throws IOException {
        return BundleSink.open(sessionKey, expected, Objects.requireNonNull(plainZip, "plainZip"));
    }

    /**
     * Reads {@code bundle} to its end (without closing it) and checks it; keeps no plaintext.
     *
     * @return the SHA-256 of the plaintext
     */
    public BundleChecksum verify(InputStream bundle, ProgressListener progress) throws IOException, CryptoException {
        return pump(bundle, BundleSink.open(sessionKey, expected, null), progress);
    }

    /**
     * Reads {@code bundle} to its end (without closing it), checks it, and then writes the plain zip to
     * {@code plainZip}, which appears only if the bundle passed.
     *
     * @return the SHA-256 of the plaintext
     */
    public BundleChecksum verify(InputStream bundle, Path plainZip, ProgressListener progress)
            throws IOException, CryptoException {
        return pump(bundle, newSink(plainZip), progress);
    }

    /** {@link #verify(InputStream, Path, ProgressListener)} of a downloaded file. */
    public BundleChecksum verify(Path downloaded, Path plainZip, ProgressListener progress)
            throws IOException, CryptoException {
        try (InputStream in = Files.newInputStream(downloaded)) {
            return verify(in, plainZip, progress);
        }
    }

    /** Reads {@code in} to its end into the sink and closes it: the sink's verdict, or nothing published on a failure. */
    static BundleChecksum pump(InputStream in, BundleSink sink, ProgressListener progress)
            throws IOException, CryptoException {
        try {
            byte[] buf = new byte[SessionKey.BUFFER];
            for (int n; (n = in.read(buf)) != -1; ) {
                sink.write(buf, 0, n);
                progress.advanced(sink.bytesIn());
            }
        } catch (IOException | RuntimeException e) {
            sink.discard(); // what arrived is not the whole bundle: no verdict, nothing published
            throw e;
        }
        sink.close();
        return sink.checksum();
    }
}
