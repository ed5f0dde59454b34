package dev.updraft.it;

import dev.updraft.sim.DeviceConfig;
import dev.updraft.sim.DeviceHttp;
import dev.updraft.sim.DownloadRecord;
import dev.updraft.sim.SimulatedDevice;
import dev.updraft.sim.store.MockStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The delta benchmark (a main, not a test; see integration-tests/README.md, "Delta benchmark"): a generated bundle of
 * {@code FILES} files (default 3,000, about 30 MB), published as a delta release on the packaged server and the mock
 * store, installed by a simulated device; then a release that changes one 20 KB file. It prints the bytes the device
 * downloaded for it (goal: at most the changed payload + 5 %, the manifest answer not counted), the manifest
 * answer's size on the wire (plain and gzip), the upload's bytes and time (with a fresh session key, and with the
 * previous release's key kept), and the install time.
 *
 * <pre>
 * ./mvnw -B -q -pl integration-tests -am package -DskipTests
 * ./mvnw -B -q -pl integration-tests -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp integration-tests/target/test-classes:integration-tests/target/classes:$(cat integration-tests/target/cp.txt) \
 *   dev.updraft.it.DeltaBenchmark [FILES]
 * </pre>
 */
public final class DeltaBenchmark {
    private static final String TOKEN = "bench-upload-token";
    private static final String CHANGING = "assets/changing.txt";
    private static final int CHANGING_BYTES = 20_000;

    private DeltaBenchmark() {}

    public static void main(String[] args) throws Exception {
        int fileCount = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
        Path work = Files.createTempDirectory("updraft-delta-bench");
        ServerProcess server = ServerProcess.start(work.resolve("server-data"));
        try (MockStore store = MockStore.start(Files.createDirectories(work.resolve("store")), 0, TOKEN);
                DeviceHttp net = DeviceHttp.create()) {
            SampleProject p = SampleProject.copy(work.resolve("app"), "dev.updraft.bench.delta", server);
            p.addApp();
            p.keyCreate();
            Path www1 = generate(p.www(), p.dir().resolve("www-101"), fileCount);
            long bundleBytes = size(www1);

            DeltaReleases.Published v1 = DeltaReleases.publish(p, server, store, TOKEN, "1.0.1", www1, null, List.of());
            SimulatedDevice d = SimulatedDevice.open(
                    DeviceConfig.builder()
                            .appId(p.appId())
                            .server(server.url())
                            .publicKey(p.publicKeyFile())
                            .build(),
                    work.resolve("device"),
                    net);
            long t0 = System.nanoTime();
            cycle(d);
            long firstInstallMs = (System.nanoTime() - t0) / 1_000_000;
            check(d, "1.0.1");
            DownloadRecord first = last(d);

            Path www2 = changeOneFile(www1, p.dir().resolve("www-102"), 2);
            DeltaReleases.Published v2 = DeltaReleases.publish(p, server, store, TOKEN, "1.0.2", www2, null, List.of());
            long[] answer = answerSizes(server, d);
            t0 = System.nanoTime();
            cycle(d);
            long updateMs = (System.nanoTime() - t0) / 1_000_000;
            check(d, "1.0.2");
            DownloadRecord delta = last(d);

            Path www3 = changeOneFile(www2, p.dir().resolve("www-103"), 3);
            DeltaReleases.Published v3 =
                    DeltaReleases.publish(p, server, store, TOKEN, "1.0.3", www3, v2.ivSessionKey(), List.of());
            cycle(d);
            check(d, "1.0.3");
            DownloadRecord reuse = last(d);

            long changedPayload = v2.payloadSizes().get(CHANGING);
            double ratio = (double) delta.networkBytes() / changedPayload;
            System.out.printf(
                    "Delta benchmark: %d files, %,d bytes (%d payloads), one %,d-byte file changed%n",
                    v1.payloadPaths().size(), bundleBytes, v1.payloadPaths().size(), CHANGING_BYTES);
            System.out.println("| measure | value |");
            System.out.println("|---|---|");
            System.out.printf(
                    "| first install (1.0.1): bytes downloaded, files | %,d B, %d files, %d ms (cycle %d ms) |%n",
                    first.networkBytes(), first.filesFetched(), first.durationMs(), firstInstallMs);
            System.out.printf(
                    "| update 1.0.2: bytes downloaded (manifest answer excluded) | %,d B in %d file(s), %d reused |%n",
                    delta.networkBytes(), delta.filesFetched(), delta.filesReused());
            System.out.printf(
                    "| changed payload | %,d B; downloaded / payload = %.3f (goal <= 1.05: %s) |%n",
                    changedPayload, ratio, ratio <= 1.05 ? "met" : "MISSED");
            System.out.printf(
                    "| update 1.0.2: install time | %d ms download+verify+build, %d ms whole cycle (check, apply, confirm) |%n",
                    delta.durationMs(), updateMs);
            System.out.printf(
                    "| manifest answer on the wire | %,d B plain, %,d B with Accept-Encoding: gzip |%n",
                    answer[0], answer[1]);
            System.out.printf(
                    "| upload 1.0.2, fresh session key | %,d B, %d payloads, %d ms |%n",
                    v2.uploadedBytes(), v2.uploadedFiles(), v2.uploadMillis());
            System.out.printf(
                    "| upload 1.0.3, session key of 1.0.2 kept | %,d B, %d payloads, %d ms (device: %,d B, %d file) |%n",
                    v3.uploadedBytes(),
                    v3.uploadedFiles(),
                    v3.uploadMillis(),
                    reuse.networkBytes(),
                    reuse.filesFetched());
            d.close();
            if (ratio > 1.05) {
                System.exit(1);
            }
        } finally {
            server.stop();
        }
    }

    private static void cycle(SimulatedDevice d) {
        if (!d.isRunning()) {
            d.launch();
        } else {
            d.background();
            d.foreground();
        }
        d.background();
        d.foreground();
    }

    private static void check(SimulatedDevice d, String version) {
        if (!d.currentBundle().version().equals(version)) {
            throw new IllegalStateException(
                    "the device runs " + d.currentBundle() + ", not " + version + ": " + d.log());
        }
    }

    private static DownloadRecord last(SimulatedDevice d) {
        return d.downloads().get(d.downloads().size() - 1);
    }

    /** POST /updates as the device would now, without and with gzip: the body's bytes on the wire. */
    private static long[] answerSizes(ServerProcess server, SimulatedDevice d) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long[] sizes = new long[2];
        for (int i = 0; i < 2; i++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url("/updates")))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(d.infoObject().toJson()));
            if (i == 1) {
                b.header("Accept-Encoding", "gzip");
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("/updates answered " + r.statusCode());
            }
            sizes[i] = r.body().length;
        }
        return sizes;
    }

    /** The sample's index.html and app.js plus {@code count} text files of 1-19 kB (about 10 kB each) and the changing file. */
    private static Path generate(Path sample, Path www, int count) throws Exception {
        SampleProject.copyTree(sample, www);
        Random random = new Random(14);
        for (int i = 0; i < count - 1; i++) {
            Path f = www.resolve(String.format("assets/dir%02d/file%04d.txt", i % 50, i));
            Files.createDirectories(f.getParent());
            Files.write(f, text(random, 1_000 + random.nextInt(18_000)));
        }
        Files.write(www.resolve(CHANGING), text(random, CHANGING_BYTES));
        return www;
    }

    private static Path changeOneFile(Path from, Path to, long seed) throws Exception {
        SampleProject.copyTree(from, to);
        Files.write(to.resolve(CHANGING), text(new Random(seed), CHANGING_BYTES));
        return to;
    }

    /** Text with the entropy of minified code: Brotli gains something, not everything. */
    private static byte[] text(Random random, int bytes) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 (){};=.,\n";
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            out[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(out, StandardCharsets.US_ASCII).getBytes(StandardCharsets.US_ASCII);
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }
}
