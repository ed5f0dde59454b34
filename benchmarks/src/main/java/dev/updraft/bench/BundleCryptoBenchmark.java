package dev.updraft.bench;

import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundleEncryptor;
import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.crypto.BundleVerifier;
import dev.updraft.crypto.CryptoException;
import dev.updraft.crypto.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Bundle crypto in process, on a file of random bytes ({@code sizeMb}): encrypt (hash + AES-128-CBC + sign, file to
 * file, as {@code bundle encrypt}) and decrypt + verify (AES + SHA-256 + the signed checksum, keeping no plaintext, as
 * a device's download check). bench/run.sh turns the time per operation into MB/s and sets it beside
 * {@code openssl enc -d | sha256sum} on the same size in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx256m"})
public class BundleCryptoBenchmark {
    @Param("100")
    public int sizeMb;

    private Path dir;
    private Path plain;
    private Path encrypted;
    private Path out;
    private BundlePrivateKey key;
    private BundleEncryptor encryptor;
    private BundleVerifier verifier;

    @Setup(Level.Trial)
    public void setUp() throws IOException, CryptoException {
        dir = Files.createTempDirectory("updraft-bench-crypto-");
        plain = dir.resolve("bundle.zip");
        SplittableRandom random = new SplittableRandom(18);
        byte[] block = new byte[1 << 20];
        try (OutputStream os = Files.newOutputStream(plain)) {
            for (int i = 0; i < sizeMb; i++) {
                random.nextBytes(block);
                os.write(block);
            }
        }
        key = BundlePrivateKey.generate();
        encryptor = new BundleEncryptor(key);
        encrypted = dir.resolve("bundle.zip_encrypted.zip");
        BundleEncryptor.EncryptedBundle done = encryptor.encrypt(plain, encrypted, ProgressListener.NONE);
        verifier =
                BundleVerifier.forEncrypted(done.ivSessionKey(), done.checksum().hex(), key.publicKey());
        out = dir.resolve("again.zip_encrypted.zip");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public Object encrypt() throws IOException {
        return encryptor.encrypt(plain, out, ProgressListener.NONE);
    }

    @Benchmark
    public BundleChecksum decryptVerify() throws IOException, CryptoException {
        try (InputStream in = Files.newInputStream(encrypted)) {
            return verifier.verify(in, ProgressListener.NONE);
        }
    }
}
