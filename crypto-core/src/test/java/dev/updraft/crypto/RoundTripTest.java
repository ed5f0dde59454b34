package dev.updraft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.crypto.CryptoException.Failure;
import dev.updraft.crypto.zip.BundleZipper;
import dev.updraft.crypto.zip.SafeUnzip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle made by crypto-core (zip, encrypt) goes through crypto-core's device-side path (verify, decrypt, unzip),
 * and each kind of tampering is refused with its own failure.
 */
class RoundTripTest {
    private static BundlePrivateKey teamKey;
    private static BundlePrivateKey otherKey;

    @TempDir
    Path tmp;

    @BeforeAll
    static void keys() {
        teamKey = BundlePrivateKey.generate();
        otherKey = BundlePrivateKey.generate();
    }

    private BundleEncryptor.EncryptedBundle makeBundle() throws Exception {
        BundleZipper.ZippedBundle zip = BundleZipper.zip(
                Vectors.file("project/www"),
                tmp.resolve("app.zip"),
                BundleZipper.Options.defaults(),
                ProgressListener.NONE);
        return new BundleEncryptor(teamKey)
                .encryptVerified(
                        zip.file(), zip.checksum(), tmp.resolve("app.zip_encrypted.zip"), ProgressListener.NONE);
    }

    @Test
    void zipEncryptVerifyUnzipGivesBackTheBuildFolder() throws Exception {
        BundleEncryptor.EncryptedBundle bundle = makeBundle();
        assertThat(bundle.ivSessionKey()).hasSize(369);
        assertThat(bundle.checksum().hex()).hasSize(512).matches("[0-9a-f]+");

        BundleVerifier verifier = BundleVerifier.forEncrypted(
                bundle.ivSessionKey(), bundle.checksum().hex(), teamKey.publicKey());
        Path plain = tmp.resolve("device/plain.zip");
        Files.createDirectories(plain.getParent());
        assertThat(verifier.verify(bundle.file(), plain, ProgressListener.NONE)).isEqualTo(bundle.plainChecksum());

        SafeUnzip.ExtractedBundle extracted =
                SafeUnzip.extract(plain, tmp.resolve("device/bundle"), SafeUnzip.Limits.defaults());
        assertThat(extracted.hasIndexHtml()).isTrue();
        for (String f :
                new String[] {"index.html", "js/app.js", "css/style.css", "assets/img/logo.svg", "assets/data/big.txt"
                }) {
            assertThat(extracted.root().resolve(f)).hasSameBinaryContentAs(Vectors.file("project/www/" + f));
        }
        assertThat(extracted.files()).isEqualTo(5);
    }

    @Test
    void oneChangedByteInTheMiddleFailsTheChecksum() throws Exception {
        BundleEncryptor.EncryptedBundle bundle = makeBundle();
        byte[] enc = Files.readAllBytes(bundle.file());
        for (int position : new int[] {0, enc.length / 2, enc.length - 33}) {
            byte[] tampered = enc.clone();
            tampered[position] ^= 0x01;
            assertRefused(bundle, tampered, Failure.CHECKSUM_MISMATCH);
        }
    }

    @Test
    void oneChangedByteInThePaddingFailsDecryption() throws Exception {
        BundleEncryptor.EncryptedBundle bundle = makeBundle();
        byte[] tampered = Files.readAllBytes(bundle.file());
        // In CBC, flipping a bit of the second-to-last block flips the same bit of the last plaintext byte: the
        // padding.
        tampered[tampered.length - 17] ^= 0x01;
        assertRefused(bundle, tampered, Failure.CIPHERTEXT_CORRUPT);
    }

    @Test
    void aTruncatedFileIsRefusedAsTruncated() throws Exception {
        BundleEncryptor.EncryptedBundle bundle = makeBundle();
        byte[] enc = Files.readAllBytes(bundle.file());
        assertRefused(bundle, Arrays.copyOf(enc, enc.length - 5), Failure.CIPHERTEXT_TRUNCATED);
        assertRefused(bundle, new byte[0], Failure.CIPHERTEXT_TRUNCATED);
    }

    @Test
    void aChecksumSignedWithAnotherKeyIsRefusedBeforeDownloading() throws Exception {
        BundleEncryptor.EncryptedBundle bundle = makeBundle();
        String forged = bundle.plainChecksum().sign(otherKey).hex();
        assertFailure(
                () -> BundleVerifier.forEncrypted(bundle.ivSessionKey(), forged, teamKey.publicKey()),
                Failure.CHECKSUM_WRONG_KEY);
    }

    @Test
    void aSessionKeyFromAnotherKeyPairIsRefused() throws Exception {
        BundleEncryptor.EncryptedBundle bundle = makeBundle();
        String foreign = SessionKey.generate().wrap(otherKey);
        assertFailure(
                () -> BundleVerifier.forEncrypted(foreign, bundle.checksum().hex(), teamKey.publicKey()),
                Failure.SESSION_KEY_WRONG_KEY);
    }

    @Test
    void encryptRefusesAChecksumThatIsNotTheZipsAndWritesNothing() throws Exception {
        BundleZipper.ZippedBundle zip = BundleZipper.zip(
                Vectors.file("project/www"),
                tmp.resolve("app.zip"),
                BundleZipper.Options.defaults(),
                ProgressListener.NONE);
        Path out = tmp.resolve("app.zip_encrypted.zip");
        BundleChecksum wrong = BundleChecksum.parse("00".repeat(32));
        assertFailure(
                () -> new BundleEncryptor(teamKey).encryptVerified(zip.file(), wrong, out, ProgressListener.NONE),
                Failure.CHECKSUM_MISMATCH);
        assertThat(out).doesNotExist();
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("app.zip");
        }
    }

    @Test
    void anUnencryptedBundleVerifiesWithItsPlainChecksum() throws Exception {
        BundleZipper.ZippedBundle zip = BundleZipper.zip(
                Vectors.file("project/www"),
                tmp.resolve("app.zip"),
                BundleZipper.Options.defaults(),
                ProgressListener.NONE);
        Path out = tmp.resolve("copy.zip");
        assertThat(BundleVerifier.forPlain(zip.checksum().hex()).verify(zip.file(), out, ProgressListener.NONE))
                .isEqualTo(zip.checksum());
        assertThat(out).hasSameBinaryContentAs(zip.file());

        byte[] tampered = Files.readAllBytes(zip.file());
        tampered[tampered.length / 2] ^= 0x20;
        Path bad = tmp.resolve("bad.zip");
        Files.write(bad, tampered);
        assertFailure(
                () -> BundleVerifier.forPlain(zip.checksum().hex())
                        .verify(bad, tmp.resolve("bad-out.zip"), ProgressListener.NONE),
                Failure.CHECKSUM_MISMATCH);
        assertThat(tmp.resolve("bad-out.zip")).doesNotExist();
        // the plugin compares case-sensitively: an uppercase checksum could never match
        assertFailure(() -> BundleVerifier.forPlain(zip.checksum().hex().toUpperCase()), Failure.CHECKSUM_MALFORMED);
    }

    private void assertRefused(BundleEncryptor.EncryptedBundle bundle, byte[] encrypted, Failure expected)
            throws Exception {
        Path file = tmp.resolve("tampered.zip");
        Files.write(file, encrypted);
        Path out = tmp.resolve("tampered-plain.zip");
        BundleVerifier verifier = BundleVerifier.forEncrypted(
                bundle.ivSessionKey(), bundle.checksum().hex(), teamKey.publicKey());
        assertFailure(() -> verifier.verify(file, out, ProgressListener.NONE), expected);
        assertThat(out).as("no plaintext is left behind").doesNotExist();
    }

    static void assertFailure(ThrowingCallable call, Failure expected) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CryptoException.class, e -> {
            assertThat(e.failure()).isEqualTo(expected);
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
        });
    }
}
