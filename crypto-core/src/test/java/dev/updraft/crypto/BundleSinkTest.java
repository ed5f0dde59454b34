package dev.updraft.crypto;

import static dev.updraft.crypto.RoundTripTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.crypto.CryptoException.Failure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checksum gate: plaintext appears under its final name only after the bundle passed, and nothing else is left
 * behind, whichever way it fails.
 */
class BundleSinkTest {
    private static final byte[] ZIP_BYTES = new byte[700_000]; // bigger than two chunks: the helper thread is used
    private static BundlePrivateKey key;
    private static BundleEncryptor.EncryptedBundle bundle;
    private static byte[] encrypted;

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    @BeforeAll
    static void bundle() throws Exception {
        new Random(7).nextBytes(ZIP_BYTES);
        System.arraycopy(new byte[] {'P', 'K', 3, 4}, 0, ZIP_BYTES, 0, 4); // starts like every zip
        Path zip = shared.resolve("app.zip");
        Files.write(zip, ZIP_BYTES);
        key = BundlePrivateKey.generate();
        bundle = new BundleEncryptor(key).encrypt(zip, shared.resolve("app.zip_encrypted.zip"), ProgressListener.NONE);
        encrypted = Files.readAllBytes(bundle.file());
    }

    private BundleVerifier verifier() throws CryptoException {
        return BundleVerifier.forEncrypted(
                bundle.ivSessionKey(), bundle.checksum().hex(), key.publicKey());
    }

    private void assertOnly(String... names) throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(names);
        }
    }

    @Test
    void closeFinishesTheWorkAndPublishesAGoodBundle() throws Exception {
        Path plain = tmp.resolve("plain.zip");
        BundleSink sink = verifier().newSink(plain);
        sink.write(encrypted, 0, encrypted.length);
        assertThat(plain).as("not before the check").doesNotExist();
        sink.close();
        assertThat(plain).hasBinaryContent(ZIP_BYTES);
        assertThat(sink.checksum()).isEqualTo(bundle.plainChecksum());
        assertOnly("plain.zip");
    }

    @Test
    void afterAChecksumMismatchNoPlaintextFileExistsUnderItsFinalName() throws Exception {
        byte[] tampered = encrypted.clone();
        tampered[encrypted.length / 2] ^= 0x01; // decrypts fine, hashes differently
        Path plain = tmp.resolve("plain.zip");
        BundleSink sink = verifier().newSink(plain);
        sink.write(tampered, 0, tampered.length);
        assertFailure(sink::close, Failure.CHECKSUM_MISMATCH);
        assertThat(plain).doesNotExist();
        assertOnly(); // no temporary file either
        assertThatThrownBy(sink::checksum).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sink.write(encrypted, 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailedCheckLeavesAFileAlreadyUnderTheFinalNameAsItWas() throws Exception {
        Path plain = tmp.resolve("plain.zip");
        Files.writeString(plain, "the previous download");
        byte[] tampered = encrypted.clone();
        tampered[100] ^= 0x01;
        assertFailure(
                () -> verifier().verify(new ByteArrayInputStream(tampered), plain, ProgressListener.NONE),
                Failure.CHECKSUM_MISMATCH);
        assertThat(plain).hasContent("the previous download");
        assertOnly("plain.zip");
    }

    @Test
    void discardPublishesNothingAndCloseThenDoesNothing() throws Exception {
        Path plain = tmp.resolve("plain.zip");
        BundleSink sink = verifier().newSink(plain);
        sink.write(encrypted, 0, encrypted.length); // every byte of a good bundle: discard still wins
        sink.discard();
        sink.close();
        assertThat(plain).doesNotExist();
        assertOnly();
    }

    @Test
    void aReadFailureMidStreamPublishesNothingEvenWhereTheCiphertextWouldDecrypt() throws Exception {
        // decrypt-only has no checksum to stop it: only "the stream ended" would; a failed read is not an end
        InputStream failing = new InputStream() {
            private final InputStream first = new ByteArrayInputStream(encrypted, 0, 16 * 1000);

            @Override
            public int read() throws IOException {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = first.read(b, off, len);
                if (n < 0) {
                    throw new IOException("connection reset");
                }
                return n;
            }
        };
        Path plain = tmp.resolve("plain.zip");
        BundleVerifier decryptOnly = BundleVerifier.decryptOnly(bundle.ivSessionKey(), key.publicKey());
        assertThatThrownBy(() -> decryptOnly.verify(failing, plain, ProgressListener.NONE))
                .isInstanceOf(IOException.class)
                .hasMessage("connection reset");
        assertThat(plain).doesNotExist();
        assertOnly();
    }

    @Test
    void aPlainZipGivenForAnEncryptedBundleIsNamedAsSuch() throws Exception {
        Path plain = tmp.resolve("plain.zip");
        // whole AES blocks (the padding check fails), and not (the length check fails): neither says "truncated" or
        // "altered"
        assertFailure(
                () -> verifier().verify(shared.resolve("app.zip"), plain, ProgressListener.NONE),
                Failure.NOT_ENCRYPTED);
        byte[] odd = java.util.Arrays.copyOf(ZIP_BYTES, 1001);
        assertFailure(
                () -> verifier().verify(new ByteArrayInputStream(odd), plain, ProgressListener.NONE),
                Failure.NOT_ENCRYPTED);
        assertThat(plain).doesNotExist();
        assertOnly();
    }

    @Test
    void checkingWithoutKeepingThePlaintextWritesNothing() throws Exception {
        try (InputStream in = Files.newInputStream(bundle.file())) {
            assertThat(verifier().verify(in, ProgressListener.NONE)).isEqualTo(bundle.plainChecksum());
        }
        byte[] tampered = encrypted.clone();
        tampered[0] ^= 0x01;
        assertFailure(
                () -> verifier().verify(new ByteArrayInputStream(tampered), ProgressListener.NONE),
                Failure.CHECKSUM_MISMATCH);
        assertOnly();
    }
}
