package dev.updraft.crypto.bench;

import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundleEncryptor;
import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.crypto.BundleVerifier;
import dev.updraft.crypto.ProgressListener;
import dev.updraft.crypto.zip.BundleZipper;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Throughput and heap of crypto-core's streaming paths next to {@code openssl enc -aes-128-cbc} on the same file.
 * Not a unit test: run it by hand (see crypto-core/README.md) with a small heap to show that memory does not grow
 * with the bundle.
 *
 * <p>Arguments: sizes in MB (default 10 100 400). For each size it builds a build folder of that many bytes (half
 * compressible text, half random), zips it, encrypts the zip, verifies and decrypts it, and runs openssl on the zip.
 * Each timing is the best of five runs after one warm-up; heap is the peak of the heap pools during the operation.
 * Files are written to the default temporary folder, so disk speed shows in both Java's and openssl's numbers.
 */
public final class CryptoBenchmark {
    private static final int RUNS = 5;

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0
                ? new int[] {10, 100, 400}
                : Stream.of(args).mapToInt(Integer::parseInt).toArray();
        Path work = Files.createTempDirectory("updraft-bench");
        try {
            BundlePrivateKey key = BundlePrivateKey.generate();
            System.out.printf(
                    "java %s, max heap %d MB, openssl: %s%n",
                    System.getProperty("java.version"),
                    Runtime.getRuntime().maxMemory() >> 20,
                    run("openssl", "version").trim());
            System.out.printf("%-8s %-22s %10s %12s %14s%n", "size", "operation", "MB/s", "vs openssl", "peak heap MB");
            for (int mb : sizes) {
                Path folder = buildFolder(work.resolve("www-" + mb), mb);
                Path zip = work.resolve("app-" + mb + ".zip");
                Result zipping = measure(() ->
                        BundleZipper.zip(folder, zip, new BundleZipper.Options(false, true), ProgressListener.NONE));
                long zipBytes = Files.size(zip);
                BundleChecksum checksum = BundleChecksum.of(zip);

                Path enc = work.resolve("app-" + mb + ".zip_encrypted.zip");
                BundleEncryptor encryptor = new BundleEncryptor(key);
                BundleEncryptor.EncryptedBundle[] made = new BundleEncryptor.EncryptedBundle[1];
                Result encrypt =
                        measure(() -> made[0] = encryptor.encryptVerified(zip, checksum, enc, ProgressListener.NONE));

                BundleVerifier verifier = BundleVerifier.forEncrypted(
                        made[0].ivSessionKey(), made[0].checksum().hex(), key.publicKey());
                Path dec = work.resolve("app-" + mb + ".zip_decrypted.zip");
                Result verify = measure(() -> verifier.verify(enc, dec, ProgressListener.NONE));

                String k = HexFormat.of().formatHex(new byte[16]);
                Path osslEnc = work.resolve("ossl.enc");
                double opensslEnc = bestSeconds(() -> run(
                        "openssl",
                        "enc",
                        "-aes-128-cbc",
                        "-K",
                        k,
                        "-iv",
                        k,
                        "-in",
                        zip.toString(),
                        "-out",
                        osslEnc.toString()));
                double opensslDec = bestSeconds(() -> run(
                        "openssl",
                        "enc",
                        "-d",
                        "-aes-128-cbc",
                        "-K",
                        k,
                        "-iv",
                        k,
                        "-in",
                        osslEnc.toString(),
                        "-out",
                        work.resolve("ossl.dec").toString()));
                double opensslHash = bestSeconds(() -> run("openssl", "dgst", "-sha256", zip.toString()));
                // the same work as decrypt+verify: decrypt, write the plain file, hash it, in one pipeline
                double opensslDecHash = bestSeconds(() -> run(
                        "sh",
                        "-c",
                        "openssl enc -d -aes-128-cbc -K " + k + " -iv " + k + " -in " + osslEnc + " | tee "
                                + work.resolve("ossl.dec") + " | openssl dgst -sha256"));

                double size = zipBytes / 1e6;
                String label = mb + " MB";
                System.out.printf(
                        "%-8s %-22s %10.0f %12s %14d%n",
                        label, "zip (deflate)", (mb * 1.048576) / zipping.seconds, "-", zipping.peakHeapMb);
                System.out.printf(
                        "%-8s %-22s %10.0f %11.0f%% %14d%n",
                        label,
                        "encrypt+hash",
                        size / encrypt.seconds,
                        100 * opensslEnc / encrypt.seconds,
                        encrypt.peakHeapMb);
                System.out.printf(
                        "%-8s %-22s %10.0f %11.0f%% %14d%n",
                        label,
                        "decrypt+verify",
                        size / verify.seconds,
                        100 * opensslDec / verify.seconds,
                        verify.peakHeapMb);
                System.out.printf("%-8s %-22s %10.0f%n", label, "openssl enc", size / opensslEnc);
                System.out.printf("%-8s %-22s %10.0f%n", label, "openssl enc -d", size / opensslDec);
                System.out.printf("%-8s %-22s %10.0f%n", label, "openssl dgst -sha256", size / opensslHash);
                System.out.printf(
                        "%-8s %-22s %10.0f   (decrypt+verify is %.0f%% of it)%n",
                        label, "openssl dec|tee|dgst", size / opensslDecHash, 100 * opensslDecHash / verify.seconds);
                deleteTree(folder);
                for (Path p : List.of(zip, enc, dec, osslEnc, work.resolve("ossl.dec"))) {
                    Files.deleteIfExists(p);
                }
            }
        } finally {
            deleteTree(work);
        }
    }

    private interface Op {
        void run() throws Exception;
    }

    private record Result(double seconds, long peakHeapMb) {}

    private static Result measure(Op op) throws Exception {
        op.run(); // warm-up
        double best = Double.MAX_VALUE;
        long peak = 0;
        for (int i = 0; i < RUNS; i++) {
            System.gc();
            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP)
                    .toList();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            long t0 = System.nanoTime();
            op.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            peak = Math.max(
                    peak,
                    heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20);
        }
        return new Result(best, peak);
    }

    private static double bestSeconds(Op op) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i <= RUNS; i++) {
            long t0 = System.nanoTime();
            op.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    /** A build folder of {@code mb} MB in 1 MB files: half repetitive JavaScript-like text, half random bytes (images). */
    private static Path buildFolder(Path folder, int mb) throws IOException {
        Files.createDirectories(folder.resolve("js"));
        Files.createDirectories(folder.resolve("assets"));
        Files.writeString(folder.resolve("index.html"), "<html><script src=js/app0.js></script></html>");
        Random random = new Random(42);
        byte[] buf = new byte[1 << 20];
        byte[] line = "export function f(x){ return CapacitorUpdater.notifyAppReady() && x * 31 + 7; }\n".getBytes();
        for (int i = 0; i < mb; i++) {
            boolean text = i % 2 == 0;
            if (text) {
                for (int j = 0; j < buf.length; j++) {
                    buf[j] = line[(j + random.nextInt(3)) % line.length];
                }
            } else {
                random.nextBytes(buf);
            }
            try (OutputStream out =
                    Files.newOutputStream(folder.resolve(text ? "js/app" + i + ".js" : "assets/img" + i + ".bin"))) {
                out.write(buf);
            }
        }
        return folder;
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }
}
