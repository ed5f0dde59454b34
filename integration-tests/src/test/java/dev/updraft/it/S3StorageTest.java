package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.updraft.crypto.BundleChecksum;
import dev.updraft.fixtures.S3Store;
import dev.updraft.sim.BundleInfo;
import dev.updraft.sim.BundleStatus;
import dev.updraft.sim.SimulatedDevice;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Bundles in an S3 bucket (docs/operations.md, "S3 storage"), across real processes: the packaged CLI uploads to a
 * real S3 API (s3proxy in this JVM, a private bucket), the packaged server hands devices presigned GET URLs that expire
 * after the app's lifetime, and a simulated device installs from them. A device that downloads with an expired URL
 * reports {@code download_fail}; its next check gets a freshly signed URL and installs. The server's own storage is
 * the bucket too ({@code updraft.storage.kind=s3}): the one-command upload lands there; delta releases and releases
 * for two keys go there from the CLI.
 */
class S3StorageTest extends EndToEnd {
    private static final String BUCKET = "bundles";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static S3Store s3;

    @Override
    ServerProcess startServer() throws Exception {
        s3 = S3Store.start(Files.createDirectories(work.resolve("s3")));
        s3.createBucket(BUCKET);
        return ServerProcess.start(
                work.resolve("server-data"),
                FreePort.find(),
                Map.of(
                        "updraft.storage.kind",
                        "s3",
                        "updraft.storage.s3.bucket",
                        BUCKET,
                        "updraft.storage.s3.endpoint",
                        s3.endpoint().toString(),
                        "updraft.storage.s3.access-key-id",
                        S3Store.ACCESS_KEY,
                        "updraft.storage.s3.secret-access-key",
                        S3Store.SECRET_KEY));
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    /** {@code bundle upload} of the release to the bucket; returns the registered URL. */
    private static String uploadToS3(SampleProject p, SampleProject.Release r) throws Exception {
        JsonNode published = p.json(
                "bundle",
                "upload",
                p.appId(),
                "--bundle",
                r.version(),
                "--upload-file",
                r.file().toString(),
                "--iv-session-key",
                r.ivSessionKey(),
                "--encrypted-checksum",
                r.checksum(),
                "--s3-endpoint",
                s3.endpoint().toString(),
                "--s3-bucket-name",
                BUCKET,
                "--s3-apikey",
                S3Store.ACCESS_KEY,
                "--s3-apisecret",
                S3Store.SECRET_KEY);
        assertThat(published.path("upload").asText()).isEqualTo("created");
        return published.path("external_url").asText();
    }

    /** The S3 options of {@code bundle upload}, for the test's store and bucket. */
    private static final String[] S3_OPTIONS = {
        "--s3-endpoint",
        null,
        "--s3-bucket-name",
        BUCKET,
        "--s3-apikey",
        S3Store.ACCESS_KEY,
        "--s3-apisecret",
        S3Store.SECRET_KEY
    };

    private static List<String> withS3(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        String[] s3Options = S3_OPTIONS.clone();
        s3Options[1] = s3.endpoint().toString();
        all.addAll(List.of(s3Options));
        return all;
    }

    private static HttpResponse<String> postFile(String appId, byte[] body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url("/api/v1/apps/" + appId + "/files")))
                        .header("Authorization", "Bearer " + server.adminKey())
                        .header("Content-Type", "application/zip")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void installs(SampleProject p, java.nio.file.Path publicKey, String version) throws Exception {
        SimulatedDevice d = device(p.appId(), publicKey);
        launchAndApply(d);
        assertThat(d.currentBundle())
                .as(() -> "device sent " + d.sentActions() + "; " + d.log())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly(version, BundleStatus.SUCCESS);
    }

    @Test
    void theOneCommandUploadStoresInTheBucket_neverOverOtherBytes_andAStoreThatIsDownRegistersNothing()
            throws Exception {
        SampleProject p = project("dev.updraft.it.s3srv");
        p.keyCreate();
        p.run("app", "set", p.appId(), "--download-url-mode", "presigned", "--presigned-url-ttl", "120s");
        JsonNode up = p.json("bundle", "upload", p.appId(), "--bundle", "1.0.1");
        assertThat(up.path("upload").asText()).isEqualTo("stored");
        String objectUrl = up.path("external_url").asText();
        String prefix = s3.endpoint() + "/" + BUCKET + "/";
        assertThat(objectUrl).startsWith(prefix + p.appId() + "/").endsWith(".zip");
        String name = objectUrl.substring(prefix.length());
        byte[] stored = s3.get(BUCKET, name);
        assertThat(name)
                .endsWith("/"
                        + BundleChecksum.of(new java.io.ByteArrayInputStream(stored))
                                .hex() + ".zip");
        installs(p, p.publicKeyFile(), "1.0.1");
        assertThat(get(server.url("/files/" + name)))
                .as("the server's own route does not serve the bucket's objects")
                .isEqualTo(404);

        // other bytes planted at the name of an upload: refused, and left as they are
        byte[] zip = "a zip that is not in the bucket yet".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String plantedName = p.appId() + "/"
                + BundleChecksum.of(new java.io.ByteArrayInputStream(zip)).hex() + ".zip";
        byte[] planted = "someone else's bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        s3.put(BUCKET, plantedName, planted);
        HttpResponse<String> refused = postFile(p.appId(), zip);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(JSON.readTree(refused.body()).path("error").asText()).isEqualTo("store_object_exists");
        assertThat(s3.get(BUCKET, plantedName)).isEqualTo(planted);

        // the store is down: a JSON error, the CLI's one line, and nothing registered
        s3.pause();
        try {
            HttpResponse<String> down = postFile(p.appId(), zip);
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            assertThat(JSON.readTree(down.body()).path("error").asText()).isEqualTo("storage_unavailable");
            CliRunner.Result failed = p.cli().run("bundle", "upload", p.appId(), "--bundle", "1.0.2");
            assertThat(failed.exitCode()).as(failed.toString()).isNotZero();
            assertThat(failed.stderr().lines().filter(l -> l.startsWith("error: ")))
                    .singleElement()
                    .asString()
                    .contains("cannot be reached");
            assertThat(failed.stderr()).doesNotContain("Exception").doesNotContain(S3Store.SECRET_KEY);
        } finally {
            s3.resume();
        }
        assertThat(admin("/api/v1/apps/" + p.appId() + "/bundles").toString())
                .contains("\"1.0.1\"")
                .doesNotContain("1.0.2");
    }

    @Test
    void aDeltaReleaseAndASecondKeysVariantInstallFromTheBucket() throws Exception {
        SampleProject p = project("dev.updraft.it.s3delta");
        p.keyCreate();
        p.run("app", "set", p.appId(), "--download-url-mode", "presigned", "--presigned-url-ttl", "120s");
        JsonNode delta = p.json(
                withS3("bundle", "upload", p.appId(), "--bundle", "1.0.1", "--delta", "--updater-version", "8.51.23")
                        .toArray(String[]::new));
        assertThat(delta.path("delta").path("uploaded").asInt()).isPositive();
        JsonNode registered = admin("/api/v1/apps/" + p.appId() + "/bundles/1.0.1");
        assertThat(registered.path("manifest")).isNotEmpty();
        registered
                .path("manifest")
                .forEach(e -> assertThat(e.path("download_url").asText())
                        .startsWith(s3.endpoint() + "/" + BUCKET + "/" + p.appId() + "/delta/"));
        SimulatedDevice d = device(p.appId(), p.publicKeyFile());
        launchAndApply(d);
        assertThat(d.currentBundle())
                .as(() -> "device sent " + d.sentActions() + "; " + d.log())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.1", BundleStatus.SUCCESS);
        assertThat(d.downloads().get(0).kind()).isEqualTo(dev.updraft.sim.DownloadRecord.MANIFEST);

        // 1.0.2 for the current key and the next one: each variant is its own object of the bucket
        p.json("key", "create", "--rotate");
        SampleProject.Release zip = p.release("1.0.2", p.variant("www-2", "second", true), false, true);
        JsonNode two = p.json(withS3(
                        "bundle",
                        "upload",
                        p.appId(),
                        "--bundle",
                        "1.0.2",
                        "--upload-file",
                        zip.file().toString(),
                        "--key",
                        ".capgo_key_v2",
                        "--key",
                        ".capgo_key_v2.next")
                .toArray(String[]::new));
        String variantUrl = two.path("variants").get(0).path("external_url").asText();
        assertThat(variantUrl)
                .startsWith(s3.endpoint() + "/" + BUCKET + "/" + p.appId() + "/")
                .isNotEqualTo(two.path("external_url").asText());
        installs(p, p.dir().resolve(".capgo_key_v2.next.pub"), "1.0.2");
    }

    private static int get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void devicesInstallFromPresignedUrlsAndAnExpiredOneHealsOnTheNextCheck() throws Exception {
        SampleProject p = project("dev.updraft.it.s3");
        p.keyCreate();
        // a lifetime that outlasts a download on a busy machine (later, for one answer, one that does not)
        p.run("app", "set", p.appId(), "--download-url-mode", "presigned", "--presigned-url-ttl", "120s");
        SampleProject.Release first = p.release("1.0.1", p.www(), true, true);
        String objectUrl = uploadToS3(p, first);
        String sha = BundleChecksum.of(first.file()).hex();
        assertThat(objectUrl).isEqualTo(s3.endpoint() + "/" + BUCKET + "/" + p.appId() + "/" + sha + ".zip");
        assertThat(s3.get(BUCKET, p.appId() + "/" + sha + ".zip")).isEqualTo(Files.readAllBytes(first.file()));
        assertThat(get(objectUrl)).as("the bucket is private").isEqualTo(403);

        // The device checks through a relay that records the server's answers (and can hand one back late).
        try (UpdatesRelay relay = new UpdatesRelay(server.url("/updates"))) {
            SimulatedDevice d = device(p.appId(), p.publicKeyFile(), b -> b.updateUrl(relay.url()));
            launchAndApply(d);
            String offered = relay.lastOfferedUrl();
            assertThat(d.currentBundle())
                    .as(() -> "offered " + offered + "; device sent " + d.sentActions() + "; " + d.log())
                    .extracting(BundleInfo::version, BundleInfo::status)
                    .containsExactly("1.0.1", BundleStatus.SUCCESS);
            assertThat(offered)
                    .startsWith(objectUrl + "?")
                    .contains("X-Amz-Expires=120")
                    .contains("X-Amz-Signature=");

            // 1.0.2: an answer signed for 1 s is taken now, and handed to the device only once its URL no longer works
            SampleProject.Release second = p.release("1.0.2", p.variant("www-2", "second", true), true, true);
            uploadToS3(p, second);
            p.run("app", "set", p.appId(), "--presigned-url-ttl", "1s");
            byte[] stale = rawUpdateCheck(d.infoObject()).body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String staleUrl = JSON.readTree(stale).path("url").asText();
            assertThat(staleUrl).contains("X-Amz-Expires=1&").contains("X-Amz-Signature=");
            awaitExpired(staleUrl);
            relay.replayOnce(stale);
            d.background();
            d.foreground(); // the check that gets the stale answer, and its download
            assertThat(d.sentActions()).contains("download_fail");
            assertThat(d.currentBundle().version()).isEqualTo("1.0.1");

            // the next check brings a freshly signed URL, and the device installs
            p.run("app", "set", p.appId(), "--presigned-url-ttl", "120s");
            nextCycle(d);
            String fresh = relay.lastOfferedUrl();
            assertThat(d.currentBundle())
                    .as(() -> "offered " + fresh + "; device sent " + d.sentActions())
                    .extracting(BundleInfo::version, BundleInfo::status)
                    .containsExactly("1.0.2", BundleStatus.SUCCESS);
            assertThat(fresh)
                    .isNotEqualTo(staleUrl)
                    .contains("X-Amz-Expires=120")
                    .contains("X-Amz-Signature=");
            assertThat(get(fresh)).isEqualTo(200);
        }
    }

    /** Waits (bounded) until the store refuses the URL: its lifetime is over by the store's own clock. */
    private static void awaitExpired(String url) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (get(url) == 200) {
            assertThat(System.nanoTime() - deadline)
                    .as("the presigned URL never expired")
                    .isNegative();
            Thread.sleep(100);
        }
        assertThat(get(url)).isEqualTo(403);
    }

    /**
     * Forwards {@code POST /updates} to the server and records its answers; {@link #replayOnce} answers the next check
     * with an answer taken earlier instead, as a device that checked, then slept past the URL's lifetime, would use.
     */
    static final class UpdatesRelay implements AutoCloseable {
        private final HttpServer http;
        private final AtomicReference<byte[]> replay = new AtomicReference<>();
        private final List<byte[]> answers = new ArrayList<>();

        UpdatesRelay(String target) throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/updates", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                byte[] answer = replay.getAndSet(null);
                if (answer == null) {
                    try {
                        answer = HTTP.send(
                                        HttpRequest.newBuilder(URI.create(target))
                                                .header("Content-Type", "application/json")
                                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofByteArray())
                                .body();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }
                synchronized (answers) {
                    answers.add(answer);
                }
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/updates";
        }

        void replayOnce(byte[] answer) {
            replay.set(answer);
        }

        /** The url of the last answer that offered an update. */
        String lastOfferedUrl() throws IOException {
            synchronized (answers) {
                for (int i = answers.size() - 1; i >= 0; i--) {
                    String url = JSON.readTree(answers.get(i)).path("url").asText();
                    if (!url.isEmpty()) {
                        return url;
                    }
                }
            }
            return "";
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
