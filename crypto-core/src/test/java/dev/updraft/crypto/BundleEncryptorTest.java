package dev.updraft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check that runs beside the encryption: both must pass for the output to appear, and a failure stops the other. */
class BundleEncryptorTest {
    private static BundlePrivateKey key;

    @TempDir
    Path dir;

    Path zip;
    BundleChecksum checksum;
    Path out;

    @BeforeAll
    static void key() {
        key = BundlePrivateKey.generate();
    }

    @BeforeEach
    void input() throws IOException {
        byte[] data = new byte[16 * SessionKey.BUFFER];
        new Random(7).nextBytes(data);
        zip = Files.write(dir.resolve("in.zip"), data);
        checksum = BundleChecksum.of(zip);
        out = dir.resolve("in.zip_encrypted.zip");
    }

    @Test
    void aPassingCheckGivesTheSameBundleAsWithout() throws Exception {
        AtomicLong checked = new AtomicLong();
        BundleEncryptor.EncryptedBundle bundle = new BundleEncryptor(key)
                .encryptVerified(zip, checksum, out, ProgressListener.NONE, () -> checked.set(Files.size(zip)));

        assertThat(checked.get()).isEqualTo(Files.size(zip));
        Path plain = dir.resolve("plain.zip");
        BundleVerifier.forEncrypted(bundle.ivSessionKey(), bundle.checksum().hex(), key.publicKey())
                .verify(bundle.file(), plain, ProgressListener.NONE);
        assertThat(Files.readAllBytes(plain)).isEqualTo(Files.readAllBytes(zip));
        assertThat(onlyInputAndOutputs()).containsExactlyInAnyOrder("in.zip", "in.zip_encrypted.zip", "plain.zip");
    }

    @Test
    void aFailingCheckStopsTheEncryptionAndNothingIsWritten() throws Exception {
        IOException refused = new IOException("not a bundle");
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Thread> checker = new AtomicReference<>();
        AtomicLong progressed = new AtomicLong();

        assertThatThrownBy(() -> new BundleEncryptor(key)
                        .encryptVerified(
                                zip,
                                checksum,
                                out,
                                done -> {
                                    progressed.set(done);
                                    started.countDown();
                                    join(checker.get()); // the check has failed before the next chunk
                                },
                                () -> {
                                    checker.set(Thread.currentThread());
                                    await(started); // fails mid-way, once the encryption is under way
                                    throw refused;
                                }))
                .isSameAs(refused);

        assertThat(progressed.get()).as("stopped after the first chunk").isEqualTo(SessionKey.BUFFER);
        assertThat(onlyInputAndOutputs()).containsExactly("in.zip");
    }

    @Test
    void theChecksFailureComesBeforeAChecksumMismatch() {
        IOException refused = new IOException("not a bundle");

        assertThatThrownBy(() -> new BundleEncryptor(key)
                        .encryptVerified(zip, BundleChecksum.parse("a".repeat(64)), out, ProgressListener.NONE, () -> {
                            throw refused;
                        }))
                .isSameAs(refused);
        assertThat(out).doesNotExist();
    }

    @Test
    void aChecksumMismatchWithAPassingCheckIsStillRefused() throws Exception {
        assertThatThrownBy(() -> new BundleEncryptor(key)
                        .encryptVerified(
                                zip, BundleChecksum.parse("a".repeat(64)), out, ProgressListener.NONE, () -> {}))
                .isInstanceOf(CryptoException.class)
                .satisfies(e -> assertThat(((CryptoException) e).failure())
                        .isEqualTo(CryptoException.Failure.CHECKSUM_MISMATCH));
        assertThat(onlyInputAndOutputs()).containsExactly("in.zip");
    }

    @Test
    void aFailingEncryptionStopsTheCheckAndLeavesNoTempFile() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("folder.zip")); // reading it fails
        CountDownLatch interrupted = new CountDownLatch(1);

        assertThatThrownBy(() -> new BundleEncryptor(key)
                        .encryptVerified(folder, checksum, out, ProgressListener.NONE, () -> {
                            try {
                                new CountDownLatch(1).await(); // a check that would never end by itself
                            } catch (InterruptedException e) {
                                interrupted.countDown();
                            }
                        }))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("directory");

        assertThat(interrupted.await(30, TimeUnit.SECONDS))
                .as("the check was stopped")
                .isTrue();
        assertThat(onlyInputAndOutputs()).containsExactlyInAnyOrder("in.zip", "folder.zip");
    }

    private Stream<String> names() throws IOException {
        return Files.list(dir).map(p -> p.getFileName().toString());
    }

    /** What is in the folder: no temporary file may be left. */
    private java.util.List<String> onlyInputAndOutputs() throws IOException {
        try (Stream<String> names = names()) {
            return names.toList();
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
