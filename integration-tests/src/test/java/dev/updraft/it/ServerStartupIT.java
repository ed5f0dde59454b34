package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator surface of the packaged jar, as real processes (docs/operations.md): owner-only data under umask 000,
 * health/metrics/OpenAPI on the management port only, the access log, and every start-up failure as one line on stderr
 * with a non-zero exit and no stack trace. One server runs throughout; the failing starts are run against it.
 */
class ServerStartupIT {
    static final Path ROOT = Path.of(
                    "target", "it-startup-" + UUID.randomUUID().toString().substring(0, 8))
            .toAbsolutePath();
    static final String SECRET = "Bearer updraft_not-for-the-log-7f3a";
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    static ServerProcess running;

    @BeforeAll
    static void startUnderUmask000() throws Exception {
        running = ServerProcess.on(ROOT.resolve("running"))
                .umask("000")
                .env("UPDRAFT_ACCESS_LOG", "true")
                .start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (running != null) {
            running.close();
        }
    }

    static HttpResponse<String> get(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .GET();
        if (headers.length > 0) {
            r.headers(headers);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void underUmask000_theDataFolderIs0700_andEveryFileInIt0600() throws IOException {
        Path data = running.dataDir();
        assertThat(mode(data)).isEqualTo("rwx------");
        List<Path> files;
        try (Stream<Path> s = Files.walk(data)) {
            files = s.skip(1).filter(p -> !Files.isSymbolicLink(p)).toList();
        }
        assertThat(files)
                .extracting(p -> data.relativize(p).toString())
                .contains(
                        "admin-api-key",
                        "pg-password",
                        "server.lock",
                        "pg.log",
                        "pg",
                        "pg/PG_VERSION",
                        "pg/postmaster.pid");
        for (Path f : files) {
            assertThat(mode(f))
                    .as(data.relativize(f).toString())
                    .isEqualTo(Files.isDirectory(f) ? "rwx------" : "rw-------");
        }
    }

    @Test
    void healthMetricsAndOpenApi_areOnTheManagementPort_onLoopback() throws Exception {
        assertThat(get(running.managementUrl("/q/health/live")).statusCode()).isEqualTo(200);
        assertThat(get(running.managementUrl("/q/health/ready")).body()).contains("\"UP\"");
        assertThat(get(running.managementUrl("/q/metrics")).body()).contains("# TYPE jvm_threads_live_threads gauge");
        assertThat(get(running.managementUrl("/q/openapi")).body()).contains("/api/v1/apps");
        assertThat(running.stdout())
                .contains("Management interface listening on http://127.0.0.1:" + running.managementPort());
    }

    @Test
    void thePublicPortAnswers404Json_forEveryOperatorPath() throws Exception {
        for (String path : List.of("/q/health", "/q/health/ready", "/q/metrics", "/q/openapi")) {
            HttpResponse<String> r = get(running.url(path));
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type"))
                    .as(path)
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(r.body()).as(path).contains("\"error\":\"not_found\"");
        }
    }

    @Test
    void theAccessLogHasTheRequestLine_butNoCredentialHeaderOrCookie() throws Exception {
        String path = "/api/v1/apps?probe=" + UUID.randomUUID();
        HttpResponse<String> r = get(
                running.url(path),
                "Authorization",
                SECRET,
                "capgkey",
                "capg-secret-91b2",
                "Cookie",
                "session=cookie-secret-55c1");
        assertThat(r.statusCode()).isEqualTo(401);
        String line = awaitLogLine(path);
        assertThat(line).contains("\"GET " + path + " HTTP/1.1\" 401").containsPattern(" \\d+ms$");
        String log = running.stdout();
        assertThat(log)
                .doesNotContain("not-for-the-log")
                .doesNotContain("capg-secret")
                .doesNotContain("cookie-secret");
    }

    @Test
    void secondServerOnTheSameDataFolder_isOneLine_andTheFirstKeepsRunning() throws Exception {
        Path pid = running.dataDir().resolve("pg").resolve("postmaster.pid");
        String postmaster = Files.readString(pid);
        Failed f = failToStart(ServerProcess.on(running.dataDir()));
        assertThat(f.line())
                .isEqualTo("updraft server: another Updraft server uses the data folder " + running.dataDir()
                        + ": stop it first, or give this server its own --data-dir");
        // the first server's PostgreSQL was neither stopped nor replaced, and it still answers through it
        assertThat(Files.readString(pid)).isEqualTo(postmaster);
        assertThat(get(running.managementUrl("/q/health/ready")).body()).contains("\"UP\"");
        assertThat(get(running.url("/api/v1/apps"), "Authorization", "Bearer nope")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void publicPortInUse_isOneLine() throws Exception {
        Failed f = failToStart(ServerProcess.on(ROOT.resolve("port-taken")).port(running.port()));
        assertThat(f.line())
                .isEqualTo("updraft server: port " + running.port()
                        + " is in use: another server is running, or choose --port");
    }

    @Test
    void managementPortInUse_isOneLine() throws Exception {
        Failed f = failToStart(
                ServerProcess.on(ROOT.resolve("management-taken")).managementPort(running.managementPort()));
        assertThat(f.line())
                .isEqualTo("updraft server: management port " + running.managementPort()
                        + " is in use: another server is running, or choose --management-port");
    }

    @Test
    void unreachableDatabase_isOneLine_withoutThePassword() throws Exception {
        int closed = FreePort.find();
        Failed f = failToStart(ServerProcess.on(ROOT.resolve("no-db"))
                .property("updraft.db.url", "jdbc:postgresql://127.0.0.1:" + closed + "/updraft?password=hunter2"));
        assertThat(f.line())
                .startsWith("updraft server: cannot reach the database at jdbc:postgresql://127.0.0.1:" + closed
                        + "/updraft (")
                .endsWith("): start it, or check updraft.db.url");
        assertThat(f.stdout() + f.stderr()).doesNotContain("hunter2");
    }

    @Test
    void badSettings_areOneLine_namingTheSetting_andOpenNothing() throws Exception {
        Failed port = failToStart(ServerProcess.on(ROOT.resolve("bad-port")).property("quarkus.http.port", "eighty"));
        assertThat(port.line())
                .startsWith("updraft server: bad setting quarkus.http.port=\"eighty\": ")
                .contains("integer");

        Failed management =
                failToStart(ServerProcess.on(ROOT.resolve("bad-management")).property("updraft.management.port", "9k"));
        assertThat(management.line())
                .startsWith("updraft server: bad setting updraft.management.port=\"9k\": ")
                .doesNotContain("quarkus.management.port");

        Path kindData = ROOT.resolve("bad-kind");
        Failed kind = failToStart(ServerProcess.on(kindData).property("updraft.db.kind", "mysql"));
        assertThat(kind.line())
                .startsWith(
                        "updraft server: bad setting updraft.db.kind=\"mysql\": unknown database kind \"mysql\": the server runs on PostgreSQL only");
        assertThat(kindData).as("refused before any database was opened").doesNotExist();

        Path h2Data = ROOT.resolve("h2-kind");
        Failed h2 = failToStart(ServerProcess.on(h2Data).property("updraft.db.kind", "h2"));
        assertThat(h2.line())
                .startsWith("updraft server: bad setting updraft.db.kind=\"h2\": H2 is no longer supported")
                .contains("--import-h2");
        assertThat(h2Data).as("refused before any database was opened").doesNotExist();
    }

    /**
     * On an existing data folder the packaged server starts its PostgreSQL while Quarkus boots (docs/operations.md,
     * "Start-up time"); a start then refused for a bad setting stops that PostgreSQL again and changes no data.
     */
    @Test
    void onAnExistingFolder_theDatabaseStartsEarly_andARefusedStartStopsIt() throws Exception {
        Path data = ROOT.resolve("early");
        try (ServerProcess first = ServerProcess.on(data).start()) {
            assertThat(first.stdout())
                    .as("a new folder gets its database (initdb) while Quarkus boots")
                    .contains("(embedded-postgres-start) starting the embedded PostgreSQL")
                    .doesNotContain("removed " + data);
        }
        String key = Files.readString(data.resolve("admin-api-key"));
        Failed bad = failToStart(ServerProcess.on(data).property("quarkus.http.port", "eighty"));
        assertThat(bad.line()).startsWith("updraft server: bad setting quarkus.http.port=\"eighty\": ");
        assertThat(data.resolve("pg").resolve("postmaster.pid"))
                .as("the early PostgreSQL was stopped")
                .doesNotExist();
        try (ServerProcess again = ServerProcess.on(data).start()) {
            assertThat(again.stdout()).contains("(embedded-postgres-start) starting the embedded PostgreSQL");
            assertThat(Files.readString(data.resolve("admin-api-key"))).isEqualTo(key);
            assertThat(get(again.managementUrl("/q/health/ready")).body()).contains("\"UP\"");
        }
    }

    /**
     * A data folder that does not exist yet gets its database while Quarkus boots; when the start is then refused for
     * a bad setting, the folder the start made is removed again: a refused start leaves no trace.
     */
    @Test
    void onANewFolder_aRefusedStartRemovesTheFolderItMade() throws Exception {
        Path data = ROOT.resolve("new-then-refused");
        // the refused start's log is not shown (docs/operations.md, "Start-up errors"): watch the folder instead
        AtomicBoolean sawDatabase = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!sawDatabase.get()) {
                sawDatabase.set(Files.exists(data.resolve("pg").resolve("PG_VERSION")));
                try {
                    Thread.sleep(5);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        });
        watcher.start();
        Failed bad;
        try {
            bad = failToStart(ServerProcess.on(data).property("quarkus.http.port", "eighty"));
        } finally {
            watcher.interrupt();
            watcher.join();
        }
        assertThat(bad.line()).startsWith("updraft server: bad setting quarkus.http.port=\"eighty\": ");
        assertThat(sawDatabase)
                .as("the early start made the folder and its database")
                .isTrue();
        assertThat(data).as("removed again by the refused start").doesNotExist();
        try (ServerProcess again = ServerProcess.on(data).start()) {
            assertThat(get(again.managementUrl("/q/health/ready")).body()).contains("\"UP\"");
        }
    }

    /** An existing folder with loose permissions (an older server, a copied backup) is tightened at start, in one log line. */
    @Test
    void aLooseExistingDataFolderIsTightened_andSaysSo_andTheAccessLogIsOffByDefault() throws Exception {
        Path data = Files.createDirectories(ROOT.resolve("loose"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path notes = Files.writeString(data.resolve("notes.txt"), "left by an operator");
        Files.setPosixFilePermissions(notes, PosixFilePermissions.fromString("rw-rw-rw-"));
        String log;
        try (ServerProcess s = ServerProcess.on(data).start()) {
            assertThat(s.stdout())
                    .as(
                            "an existing folder without a database gets it on the first connection, once all settings passed")
                    .doesNotContain("(embedded-postgres-start)");
            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(mode(notes)).isEqualTo("rw-------");
            assertThat(mode(data.resolve("pg-password"))).isEqualTo("rw-------");
            assertThat(mode(data.resolve("pg"))).isEqualTo("rwx------");
            assertThat(get(s.url("/api/v1/apps?probe=default-off")).statusCode())
                    .isEqualTo(401);
            s.close();
            log = s.stdout();
        }
        assertThat(log.lines().filter(l -> l.contains("made it owner-only")).toList())
                .singleElement()
                .asString()
                .contains(data.toString())
                .contains("the folder 0777 -> 0700")
                .contains("notes.txt 0666 -> 0600");
        assertThat(log).doesNotContain("probe=default-off");
    }

    record Failed(int exitCode, String stdout, String stderr) {
        String line() {
            return stderr.strip();
        }
    }

    /** Starts a server that must fail: exit code not 0, exactly one line on stderr, no stack trace anywhere. */
    static Failed failToStart(ServerProcess.Builder server) throws Exception {
        try (ServerProcess s = server.launch()) {
            int code = s.awaitExit();
            Failed f = new Failed(code, s.stdout(), s.stderr());
            assertThat(code).as("exit code").isNotZero();
            assertThat(f.stderr().strip().lines().count())
                    .as("lines on stderr:\n" + f.stderr())
                    .isEqualTo(1);
            assertThat(f.line()).startsWith("updraft server: ");
            for (String out : List.of(f.stdout(), f.stderr())) {
                assertThat(out)
                        .doesNotContain("Exception")
                        .doesNotContainPattern("(?m)^\\s+at [a-zA-Z]")
                        .doesNotContain("Caused by");
            }
            return f;
        }
    }

    static String awaitLogLine(String fragment) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (String line : running.stdout().lines().toList()) {
                if (line.contains(fragment)) {
                    return line;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no access log line with " + fragment + " in:\n" + running.stdout());
    }
}
