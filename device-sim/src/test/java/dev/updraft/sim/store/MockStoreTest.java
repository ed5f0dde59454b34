package dev.updraft.sim.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MockStoreTest {
    private static final int SIZE = 100_000;

    @TempDir
    Path tmp;

    Path dir;
    byte[] data;
    MockStore store;
    final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        dir = tmp.resolve("served");
        Files.createDirectories(dir.resolve("bundles"));
        data = new byte[SIZE];
        new Random(7).nextBytes(data);
        Files.write(dir.resolve("bundles/app.zip"), data);
        Files.writeString(tmp.resolve("secret.txt"), "outside the store");
        store = MockStore.start(dir, 0, "s3cret");
    }

    @AfterEach
    void stop() {
        store.close();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(store.url(path))).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private RawHttp.Response raw(String method, String path, Map<String, String> headers) throws Exception {
        return RawHttp.exchange(store.port(), method, path, headers, null, 3000);
    }

    @Test
    void getServesTheFileWithItsLength() throws Exception {
        HttpResponse<byte[]> r = get("/bundles/app.zip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).hasValue(String.valueOf(SIZE));
        assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(r.body()).isEqualTo(data);
        assertThat(store.requests("/bundles/app.zip"))
                .extracting(RequestRecord::status)
                .containsExactly(200);
    }

    @Test
    void headGivesTheLengthAndNoBody() throws Exception {
        RawHttp.Response r = raw("HEAD", "/bundles/app.zip", Map.of());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(SIZE));
        assertThat(r.body()).isEmpty();
        assertThat(raw("HEAD", "/bundles/nope.zip", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void rangesGet206WithContentRangeAnd416WhenUnsatisfiable() throws Exception {
        HttpResponse<byte[]> open = get("/bundles/app.zip", "Range", "bytes=1000-");
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(open.headers().firstValue("Content-Range")).hasValue("bytes 1000-" + (SIZE - 1) + "/" + SIZE);
        assertThat(open.headers().firstValue("Content-Length")).hasValue(String.valueOf(SIZE - 1000));
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(data, 1000, SIZE));

        HttpResponse<byte[]> closed = get("/bundles/app.zip", "Range", "bytes=10-19");
        assertThat(closed.statusCode()).isEqualTo(206);
        assertThat(closed.headers().firstValue("Content-Range")).hasValue("bytes 10-19/" + SIZE);
        assertThat(closed.body()).isEqualTo(Arrays.copyOfRange(data, 10, 20));

        HttpResponse<byte[]> suffix = get("/bundles/app.zip", "Range", "bytes=-5");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(data, SIZE - 5, SIZE));

        HttpResponse<byte[]> past = get("/bundles/app.zip", "Range", "bytes=" + SIZE + "-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */" + SIZE);

        HttpResponse<byte[]> clamped = get("/bundles/app.zip", "Range", "bytes=" + (SIZE - 3) + "-" + (SIZE + 100));
        assertThat(clamped.statusCode()).isEqualTo(206);
        assertThat(clamped.body()).hasSize(3);

        HttpResponse<byte[]> multi = get("/bundles/app.zip", "Range", "bytes=0-1,5-6");
        assertThat(multi.statusCode()).isEqualTo(200);
        assertThat(multi.body()).isEqualTo(data);
    }

    @Test
    void noDirectoryListingAndMissingFilesAre404() throws Exception {
        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(get("/bundles").statusCode()).isEqualTo(404);
        assertThat(get("/bundles/").statusCode()).isEqualTo(404);
        assertThat(get("/bundles/missing.zip").statusCode()).isEqualTo(404);
    }

    @Test
    void pathsThatLeaveTheFolderAreRefused() throws Exception {
        for (String p : new String[] {
            "/../secret.txt",
            "/bundles/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/bundles/..%2f..%2fsecret.txt",
            "/..%5csecret.txt",
            "/bundles\\..\\..\\secret.txt",
            "//etc/passwd",
            "/C:/secret.txt",
            "/./bundles/app.zip",
            "/bundles/%00x"
        }) {
            RawHttp.Response r = raw("GET", p, Map.of());
            assertThat(r.status()).as(p).isEqualTo(400);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).as(p).doesNotContain("outside the store");
        }
        Files.createSymbolicLink(dir.resolve("link.txt"), tmp.resolve("secret.txt"));
        assertThat(raw("GET", "/link.txt", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void putNeedsTheTokenAndStaysInsideTheFolder() throws Exception {
        byte[] up = "uploaded bundle".getBytes(StandardCharsets.UTF_8);
        assertThat(RawHttp.exchange(store.port(), "PUT", "/new/b.zip", Map.of(), up, 3000)
                        .status())
                .isEqualTo(401);
        assertThat(RawHttp.exchange(
                                store.port(), "PUT", "/new/b.zip", Map.of("Authorization", "Bearer wrong"), up, 3000)
                        .status())
                .isEqualTo(401);
        assertThat(dir.resolve("new/b.zip")).doesNotExist();

        Map<String, String> auth = Map.of("Authorization", "Bearer s3cret");
        assertThat(RawHttp.exchange(store.port(), "PUT", "/new/b.zip", auth, up, 3000)
                        .status())
                .isEqualTo(201);
        assertThat(get("/new/b.zip").body()).isEqualTo(up);

        for (String p :
                new String[] {"/../escaped.zip", "/%2e%2e/escaped.zip", "/a\\..\\..\\escaped.zip", "//tmp/escaped.zip"
                }) {
            assertThat(RawHttp.exchange(store.port(), "PUT", p, auth, up, 3000).status())
                    .as(p)
                    .isEqualTo(400);
        }
        assertThat(tmp.resolve("escaped.zip")).doesNotExist();
        try (var files = Files.walk(tmp)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith(".upload-")))
                    .isEmpty();
        }
    }

    @Test
    void anExistingObjectIsNeverReplaced_identicalBytesAreANoOp() throws Exception {
        Map<String, String> auth = Map.of("Authorization", "Bearer s3cret");
        RawHttp.Response other = RawHttp.exchange(
                store.port(), "PUT", "/bundles/app.zip", auth, "other bytes".getBytes(StandardCharsets.UTF_8), 3000);
        assertThat(other.status()).isEqualTo(409);
        assertThat(new String(other.body(), StandardCharsets.UTF_8))
                .contains("\"error\":\"object_exists\"")
                .contains("never replaces");
        assertThat(Files.readAllBytes(dir.resolve("bundles/app.zip"))).isEqualTo(data);

        assertThat(RawHttp.exchange(store.port(), "PUT", "/bundles/app.zip", auth, data, 3000)
                        .status())
                .isEqualTo(200);
        assertThat(get("/bundles/app.zip").body()).isEqualTo(data);
        // a prefix of the same bytes is other bytes
        byte[] prefix = Arrays.copyOf(data, SIZE - 1);
        assertThat(RawHttp.exchange(store.port(), "PUT", "/bundles/app.zip", auth, prefix, 3000)
                        .status())
                .isEqualTo(409);
        assertThat(Files.readAllBytes(dir.resolve("bundles/app.zip"))).isEqualTo(data);
        assertNoTemporaryFiles();
    }

    @Test
    void ifNoneMatchStarRefusesAnyExistingObject() throws Exception {
        Map<String, String> onlyIfAbsent = Map.of("Authorization", "Bearer s3cret", "If-None-Match", "*");
        RawHttp.Response exists = RawHttp.exchange(store.port(), "PUT", "/bundles/app.zip", onlyIfAbsent, data, 3000);
        assertThat(exists.status()).isEqualTo(412);
        assertThat(new String(exists.body(), StandardCharsets.UTF_8)).contains("\"error\":\"precondition_failed\"");
        assertThat(Files.readAllBytes(dir.resolve("bundles/app.zip"))).isEqualTo(data);

        assertThat(RawHttp.exchange(store.port(), "PUT", "/bundles/new.zip", onlyIfAbsent, data, 3000)
                        .status())
                .isEqualTo(201);
        assertThat(get("/bundles/new.zip").body()).isEqualTo(data);
        assertThat(RawHttp.exchange(store.port(), "PUT", "/bundles/new.zip", onlyIfAbsent, data, 3000)
                        .status())
                .isEqualTo(412);
        Map<String, String> etag = Map.of("Authorization", "Bearer s3cret", "If-None-Match", "\"abc\"");
        assertThat(RawHttp.exchange(store.port(), "PUT", "/bundles/other.zip", etag, data, 3000)
                        .status())
                .isEqualTo(400);
        assertThat(dir.resolve("bundles/other.zip")).doesNotExist();
        assertNoTemporaryFiles();
    }

    @Test
    void anUnfinishedUploadIsNeverServed() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", store.port())) {
            String head = "PUT /bundles/slow.zip HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer s3cret\r\n"
                    + "Content-Length: " + SIZE + "\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(data, 0, SIZE / 2);
            s.getOutputStream().flush();
            awaitTemporaryFile(); // half the body is on the store's disk now, under a temporary name
            assertThat(get("/bundles/slow.zip").statusCode()).isEqualTo(404);
            assertThat(dir.resolve("bundles/slow.zip")).doesNotExist();
            try (var files = Files.list(dir.resolve("bundles"))) {
                Path partial = files.filter(f -> f.getFileName().toString().startsWith(".upload-"))
                        .findFirst()
                        .orElseThrow();
                assertThat(get("/bundles/" + partial.getFileName()).statusCode())
                        .isEqualTo(404);
            }
            s.getOutputStream().write(data, SIZE / 2, SIZE - SIZE / 2);
            s.getOutputStream().flush();
            s.setSoTimeout(5000);
            String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            assertThat(status).isEqualTo("HTTP/1.1 201");
        }
        assertThat(get("/bundles/slow.zip").body()).isEqualTo(data);
        assertNoTemporaryFiles();
    }

    @Test
    void ofTwoUploadsRacingForOnePathExactlyOneWins() throws Exception {
        Map<String, String> auth = Map.of("Authorization", "Bearer s3cret");
        byte[] a = "bytes of upload A".getBytes(StandardCharsets.UTF_8);
        byte[] b = "bytes of upload B, a little longer".getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 5; round++) {
            String path = "/race/" + round + ".zip";
            var ra = java.util.concurrent.CompletableFuture.supplyAsync(() -> put(path, auth, a));
            var rb = java.util.concurrent.CompletableFuture.supplyAsync(() -> put(path, auth, b));
            java.util.List<Integer> statuses = java.util.List.of(ra.get(), rb.get());
            assertThat(statuses).containsExactlyInAnyOrder(201, 409);
            byte[] stored = Files.readAllBytes(dir.resolve(path.substring(1)));
            assertThat(stored).isEqualTo(statuses.get(0) == 201 ? a : b);
        }
        assertNoTemporaryFiles();
    }

    private int put(String path, Map<String, String> headers, byte[] body) {
        try {
            return RawHttp.exchange(store.port(), "PUT", path, headers, body, 5000)
                    .status();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitTemporaryFile() throws Exception {
        for (int i = 0; i < 200; i++) {
            try (var files = Files.list(dir.resolve("bundles"))) {
                if (files.anyMatch(f -> f.getFileName().toString().startsWith(".upload-") && sizeOf(f) > 0)) {
                    return;
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the store never started writing the upload");
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private void assertNoTemporaryFiles() throws Exception {
        try (var files = Files.walk(tmp)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith(".upload-")))
                    .isEmpty();
        }
    }

    @Test
    void withoutATokenUploadsAreDisabled() throws Exception {
        try (MockStore open = MockStore.start(tmp.resolve("ro"), 0, null)) {
            RawHttp.Response r = RawHttp.exchange(
                    open.port(), "PUT", "/x.zip", Map.of("Authorization", "Bearer anything"), new byte[] {1}, 3000);
            assertThat(r.status()).isEqualTo(403);
            assertThat(tmp.resolve("ro/x.zip")).doesNotExist();
        }
    }

    @Test
    void statusFaults() throws Exception {
        store.addFault("/bundles/app.zip", Fault.of(FaultKind.NOT_FOUND).times(1));
        assertThat(get("/bundles/app.zip").statusCode()).isEqualTo(404);
        assertThat(get("/bundles/app.zip").statusCode())
                .as("one-shot fault wore off")
                .isEqualTo(200);

        store.addFault("bundles/app.zip", Fault.of(FaultKind.SERVER_ERROR));
        assertThat(get("/bundles/app.zip").statusCode()).isEqualTo(500);
        assertThat(get("/bundles/app.zip").statusCode()).as("persistent").isEqualTo(500);
        assertThat(raw("HEAD", "/bundles/app.zip", Map.of()).status())
                .as("status faults apply to HEAD")
                .isEqualTo(500);
        store.clearFaults();

        store.addFault(MockStore.ALL_PATHS, Fault.parse("503:7#2"));
        HttpResponse<byte[]> r = get("/anything/at/all.zip");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(get("/bundles/app.zip").statusCode()).isEqualTo(503);
        assertThat(get("/bundles/app.zip").statusCode()).isEqualTo(200);
        assertThat(store.faults()).isEmpty();
    }

    @Test
    void truncatedBodyAnnouncesTheFullLengthAndClosesEarly() throws Exception {
        store.addFault("/bundles/app.zip", Fault.parse("truncate:5000"));
        RawHttp.Response r = raw("GET", "/bundles/app.zip", Map.of());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(SIZE));
        assertThat(r.closedByServer()).isTrue();
        assertThat(r.body()).isEqualTo(Arrays.copyOf(data, 5000));
        assertThatThrownBy(() -> get("/bundles/app.zip")).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void truncationAppliesToRangeAnswersToo() throws Exception {
        store.addFault("/bundles/app.zip", Fault.parse("truncate:100"));
        RawHttp.Response r = raw("GET", "/bundles/app.zip", Map.of("Range", "bytes=50000-"));
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(data, 50000, 50100));
    }

    @Test
    void wrongLengthSendsTheRealBodyUnderALyingHeader() throws Exception {
        store.addFault("/bundles/app.zip", Fault.parse("wrong_length"));
        RawHttp.Response r = raw("GET", "/bundles/app.zip", Map.of());
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(SIZE - 1));
        assertThat(r.body()).isEqualTo(data);
        assertThat(r.closedByServer()).isTrue();

        store.clearFaults();
        store.addFault("/bundles/app.zip", Fault.parse("wrong_length:+10"));
        RawHttp.Response longer = raw("GET", "/bundles/app.zip", Map.of());
        assertThat(longer.header("Content-Length")).isEqualTo(String.valueOf(SIZE + 10));
        assertThat(longer.body()).isEqualTo(data);
        assertThat(longer.closedByServer()).isTrue();
    }

    @Test
    void flipChangesExactlyOneByte() throws Exception {
        store.addFault("/bundles/app.zip", Fault.parse("flip:12345"));
        byte[] body = get("/bundles/app.zip").body();
        assertThat(body).hasSize(SIZE);
        int diffs = 0;
        for (int i = 0; i < SIZE; i++) {
            if (body[i] != data[i]) {
                diffs++;
                assertThat(i).isEqualTo(12345);
                assertThat((byte) (body[i] ^ 0xFF)).isEqualTo(data[i]);
            }
        }
        assertThat(diffs).isEqualTo(1);
        // the offset is absolute in the file: a range past it is unharmed, a range over it is not
        assertThat(get("/bundles/app.zip", "Range", "bytes=20000-").body())
                .isEqualTo(Arrays.copyOfRange(data, 20000, SIZE));
        assertThat(get("/bundles/app.zip", "Range", "bytes=12345-12345").body()[0])
                .isEqualTo((byte) (data[12345] ^ 0xFF));
    }

    @Test
    void dropClosesTheConnectionMidway() throws Exception {
        store.addFault(MockStore.ALL_PATHS, Fault.of(FaultKind.DROP));
        RawHttp.Response r = raw("GET", "/bundles/app.zip", Map.of());
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(SIZE));
        assertThat(r.closedByServer()).isTrue();
        assertThat(r.body()).isEqualTo(Arrays.copyOf(data, SIZE / 2));
    }

    @Test
    void hangSendsSomeBytesThenNothing() throws Exception {
        store.addFault("/bundles/app.zip", Fault.parse("hang:1000"));
        RawHttp.Response r = RawHttp.exchange(store.port(), "GET", "/bundles/app.zip", Map.of(), null, 800);
        assertThat(r.timedOut()).isTrue();
        assertThat(r.closedByServer()).isFalse();
        assertThat(r.body()).isEqualTo(Arrays.copyOf(data, 1000));
    }

    @Test
    void slowIsThrottled() throws Exception {
        Files.write(dir.resolve("small.bin"), Arrays.copyOf(data, 20_000));
        store.addFault("/small.bin", Fault.parse("slow:40000"));
        long before = store.throttledMillis();
        HttpResponse<byte[]> r = get("/small.bin");
        assertThat(r.body()).isEqualTo(Arrays.copyOf(data, 20_000));
        // what the store waited between chunks (its own schedule, not a clock reading): 20 kB at 40 kB/s is 500 ms
        assertThat(store.throttledMillis() - before).as("20 kB at 40 kB/s").isEqualTo(500);
    }

    @Test
    void controlEndpointSetsListsAndClearsFaultsWithTheToken() throws Exception {
        HttpRequest unauth = HttpRequest.newBuilder(URI.create(store.url("/_faults")))
                .POST(HttpRequest.BodyPublishers.ofString("{\"path\":\"/bundles/app.zip\",\"kind\":\"404\"}"))
                .build();
        assertThat(client.send(unauth, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(401);

        HttpRequest add = HttpRequest.newBuilder(URI.create(store.url("/_faults")))
                .header("Authorization", "Bearer s3cret")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "[{\"path\":\"/bundles/app.zip\",\"kind\":\"404\",\"times\":1},"
                                + "{\"kind\":\"truncate\",\"arg\":10}]"))
                .build();
        HttpResponse<String> added = client.send(add, HttpResponse.BodyHandlers.ofString());
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(added.body())
                .contains("\"/bundles/app.zip\"")
                .contains("\"*\"")
                .contains("truncate");

        assertThat(get("/bundles/app.zip").statusCode()).isEqualTo(404);
        assertThat(raw("GET", "/bundles/app.zip", Map.of()).body()).hasSize(10);

        HttpRequest bad = HttpRequest.newBuilder(URI.create(store.url("/_faults")))
                .header("Authorization", "Bearer s3cret")
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"explode\"}"))
                .build();
        assertThat(client.send(bad, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(400);

        HttpRequest clear = HttpRequest.newBuilder(URI.create(store.url("/_faults")))
                .header("Authorization", "Bearer s3cret")
                .DELETE()
                .build();
        assertThat(client.send(clear, HttpResponse.BodyHandlers.ofString()).body())
                .isEqualTo("{}");
        assertThat(get("/bundles/app.zip").body()).isEqualTo(data);

        HttpRequest log = HttpRequest.newBuilder(URI.create(store.url("/_requests")))
                .header("Authorization", "Bearer s3cret")
                .build();
        assertThat(client.send(log, HttpResponse.BodyHandlers.ofString()).body())
                .contains("\"status\":404")
                .contains("/bundles/app.zip");
    }

    @Test
    void resetClosesTheConnectionWithoutAnyAnswer() throws Exception {
        store.addFault("/bundles/app.zip", Fault.parse("reset#1"));
        RawHttp.Response r = raw("GET", "/bundles/app.zip", Map.of());
        assertThat(r.closedByServer()).isTrue();
        assertThat(r.status()).as("no status line").isZero();
        assertThat(r.body()).isEmpty();
        assertThat(get("/bundles/app.zip").body())
                .as("one-shot: the next request is served")
                .isEqualTo(data);
    }

    @Test
    void aPrefixFaultHitsEveryPayloadUnderItAndNothingElse() throws Exception {
        Files.createDirectories(dir.resolve("app/delta"));
        Files.write(dir.resolve("app/delta/a.js"), Arrays.copyOf(data, 1000));
        Files.write(dir.resolve("app/delta/b.css"), Arrays.copyOf(data, 2000));
        store.addFault("/app/delta/*", Fault.parse("404"));
        store.addFault("/app/delta/b.css", Fault.parse("truncate:10#1")); // a path's own fault comes first

        assertThat(get("/app/delta/a.js").statusCode()).isEqualTo(404);
        assertThat(raw("GET", "/app/delta/b.css", Map.of()).body()).hasSize(10);
        assertThat(get("/app/delta/b.css").statusCode()).as("then the prefix's").isEqualTo(404);
        assertThat(get("/bundles/app.zip").body()).as("outside the prefix").isEqualTo(data);
        assertThat(store.faults()).containsKey("/app/delta/*");
    }

    @Test
    void faultTextForm() {
        Fault f = Fault.parse("truncate:4096#3");
        assertThat(f.kind()).isEqualTo(FaultKind.TRUNCATE);
        assertThat(f.arg()).isEqualTo(4096);
        assertThat(f.times()).isEqualTo(3);
        assertThat(Fault.parse("404").times()).isEqualTo(Fault.PERSISTENT);
        assertThat(Fault.parse("wrong_length:+5").arg()).isEqualTo(5);
        assertThat(Fault.parse("slow").arg()).isEqualTo(16_384);
        assertThat(Fault.parse("reset#2").kind()).isEqualTo(FaultKind.RESET);
        assertThatThrownBy(() -> Fault.parse("explode")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.parse("truncate:lots")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.parse("404#0")).isInstanceOf(IllegalArgumentException.class);
    }
}
