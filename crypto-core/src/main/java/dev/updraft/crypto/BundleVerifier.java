package dev.updraft.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The device side of a bundle: from the {@code session_key} and {@code checksum} of an update answer, decrypt and
 * verify the downloaded file in one pass. Everything that can be checked before the download (the session key's
 * shape and key, the signed checksum's shape and key) is checked when the verifier is made, so a device can refuse
 * an update without fetching it.
 */
public final class BundleVerifier {
    private final SessionKey sessionKey; // null: unencrypted bundle
    private final BundleChecksum expected; // null: decrypt only, no verdict

    private BundleVerifier(SessionKey sessionKey, BundleChecksum expected) {
        this.sessionKey = sessionKey;
        this.expected = expected;
    }

    /** For a device with a public key: both strings are required and must have been made with the matching private key. */
    public static BundleVerifier forEncrypted(String ivSessionKey, String signedChecksum, BundlePublicKey publicKey) throws CryptoException {
        SessionKey key = SessionKey.unwrap(ivSessionKey, publicKey);
        BundleChecksum checksum = SignedChecksum.parse(signedChecksum).recover(publicKey);
        return new BundleVerifier(key, checksum);
    }

    /**
     * For a device without a public key: the checksum is the plain SHA-256 of the zip in lowercase hex. The plugin
     * compares it case-sensitively with its own lowercase hex, so an uppercase checksum can never match and is refused
     * here.
     */
    public static BundleVerifier forPlain(String checksum) throws CryptoException {
        BundleChecksum parsed = BundleChecksum.parse(checksum);
        if (!checksum.equals(parsed.hex())) {
            throw new CryptoException(CryptoException.Failure.CHECKSUM_MALFORMED,
                    "the checksum must be lowercase hex: the plugin compares it case-sensitively with the SHA-256 it computes");
        }
        return new BundleVerifier(null, parsed);
    }

    /**
     * Decrypts without a checksum to compare with ({@code bundle decrypt} without {@code --checksum}): the result
     * reports the plaintext SHA-256 but judges nothing.
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

    /** A sink for the downloaded bytes, in order; {@link VerifyingSink#finish()} gives the verdict. */
    public VerifyingSink newSink(OutputStream plainOut) {
        return sessionKey == null ? new VerifyingSink(null, plainOut, expected) : sessionKey.decryptingSink(plainOut, expected);
    }

    /**
     * Verifies a downloaded file and writes the plain zip to {@code plainZip}, which appears only if the bundle is
     * good.
     */
    public BundleChecksum verifyFile(Path downloaded, Path plainZip, ProgressListener progress) throws IOException, CryptoException {
        Path target = plainZip.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), ".updraft-dec-", ".tmp");
        try {
            BundleChecksum actual;
            try (InputStream in = Files.newInputStream(downloaded);
                 VerifyingSink sink = newSink(Files.newOutputStream(tmp))) {
                byte[] buf = new byte[SessionKey.BUFFER];
                for (int n; (n = in.read(buf)) > 0; ) {
                    sink.write(buf, 0, n);
                    progress.advanced(sink.bytesIn());
                }
                actual = sink.finish();
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            return actual;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
