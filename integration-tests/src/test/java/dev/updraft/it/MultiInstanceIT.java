package dev.updraft.it;

import static dev.updraft.it.TwoInstancesOnPostgresIT.KEY;
import static dev.updraft.it.TwoInstancesOnPostgresIT.SHA;
import static dev.updraft.it.TwoInstancesOnPostgresIT.admin;
import static dev.updraft.it.TwoInstancesOnPostgresIT.appOnProduction;
import static dev.updraft.it.TwoInstancesOnPostgresIT.check;
import static dev.updraft.it.TwoInstancesOnPostgresIT.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.updraft.sim.load.LoadConfig;
import dev.updraft.sim.load.LoadGenerator;
import dev.updraft.sim.load.LoadReport;
import io.vertx.core.buffer.Buffer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three packaged servers on one PostgreSQL, as in production (docs/operations.md, "Several instances behind a load
 * balancer"). The revision poll is set to ten minutes, so everything an instance learns within a test came through
 * the push (LISTEN/NOTIFY) or the catch-up after a lost listening connection. In order: the propagation delay of admin
 * changes, measured; lost connections and forged notices; a 60-second soak through a round-robin proxy with one
 * instance killed (kill -9) and restarted; and the runbook's backup and restore: dump, wipe, restore, the same answers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstanceIT {
    static final String POLL_INTERVAL = "10m";
    static final Duration DEADLINE = Duration.ofSeconds(30); // far below the poll: whatever arrives came by push
    static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");
    static final ObjectMapper JSON = new ObjectMapper();

    static EmbeddedPostgres pg;
    static String jdbcUrl;
    static final List<ServerProcess> servers = new ArrayList<>();
    static HttpServer bundleHost;
    static final byte[] BUNDLE = new byte[4096];

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE updraft");
        }
        jdbcUrl = pg.getJdbcUrl("postgres", "updraft");
        for (String name : List.of("one", "two", "three")) {
            servers.add(ServerProcess.on(Files.createDirectories(Path.of("target", "it", "multi-" + name))
                            .resolve("data"))
                    .env("UPDRAFT_DB_URL", jdbcUrl)
                    .env("UPDRAFT_DB_USER", "postgres")
                    .env("UPDRAFT_DB_PASSWORD", "postgres")
                    .env("UPDRAFT_ADMIN_API_KEY", KEY)
                    .env("UPDRAFT_SNAPSHOT_POLL_INTERVAL", POLL_INTERVAL)
                    .launch());
        }
        for (ServerProcess s : servers) {
            s.awaitReady();
        }
        bundleHost = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        bundleHost.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, BUNDLE.length);
            exchange.getResponseBody().write(BUNDLE);
            exchange.close();
        });
        bundleHost.start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServerProcess s : servers) {
            s.close();
        }
        if (bundleHost != null) {
            bundleHost.stop(0);
        }
        if (pg != null) {
            pg.close();
        }
    }

    static String url(int instance) {
        return servers.get(instance).url("");
    }

    /** Polls {@code /updates} on the instance until the answer holds {@code fragment}; the time it took, in ms. */
    static double awaitAnswer(int instance, String appId, String fragment) throws Exception {
        long start = System.nanoTime();
        String last = "";
        while (System.nanoTime() - start < DEADLINE.toNanos()) {
            last = check(url(instance), appId);
            if (last.contains(fragment)) {
                return (System.nanoTime() - start) / 1e6;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("instance " + instance + " did not see " + fragment + " within " + DEADLINE
                + " (the poll runs every " + POLL_INTERVAL + "); last answer: " + last);
    }

    /** The app on production 1.0.1, made through instance one; a new app, too, reaches the others by notice alone. */
    static void appOnEveryInstance(String app) throws Exception {
        appOnProduction(url(0), app);
        awaitAnswer(1, app, "\"version\":\"1.0.1\"");
        awaitAnswer(2, app, "\"version\":\"1.0.1\"");
    }

    static long sql(String query) throws SQLException {
        try (Connection c = pg.getDatabase("postgres", "updraft").getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        }
    }

    static long listeners() throws SQLException {
        return sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'updraft-snapshot-listener'");
    }

    @Test
    @Order(1)
    void anAdminChangeReachesEveryInstanceWithoutThePoll() throws Exception {
        String app = "com.example.multi.push";
        appOnEveryInstance(app);

        List<Double> delays = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            int through = round % 3;
            String version = round % 2 == 0 ? "1.0.2" : "1.0.1";
            assertThat(admin(
                            url(through),
                            "PATCH",
                            "/api/v1/apps/" + app + "/channels/production",
                            "{\"bundle\":\"" + version + "\"}"))
                    .isEqualTo(200);
            for (int other = 0; other < 3; other++) {
                if (other != through) {
                    delays.add(awaitAnswer(other, app, "\"version\":\"" + version + "\""));
                }
            }
        }
        delays.sort(null);
        System.out.printf(
                Locale.ROOT,
                "push propagation, admin answer to the other instance's first new answer (ms, %d samples): min %.1f,"
                        + " median %.1f, max %.1f%n",
                delays.size(),
                delays.get(0),
                delays.get(delays.size() / 2),
                delays.get(delays.size() - 1));
        assertThat(listeners()).as("one listening connection per instance").isEqualTo(3);
    }

    @Test
    @Order(2)
    void forgedNoticesAreIgnoredAndALostConnectionCatchesUp() throws Exception {
        String app = "com.example.multi.lost";
        appOnEveryInstance(app);

        // Anyone with a database connection can notify: nonsense, a path, an unknown app, an unknown kind.
        try (Connection c = pg.getDatabase("postgres", "updraft").getConnection();
                Statement s = c.createStatement()) {
            for (String payload : List.of(
                    "nonsense",
                    "0a1b APP ../../etc/passwd",
                    "0a1b APP com.example.never.created",
                    "0a1b DROP " + app,
                    "")) {
                s.execute("SELECT pg_notify('updraft_snapshot', '" + payload + "')");
            }
            // A change committed without a notice (as an instance that died between commit and notice would leave it).
            s.executeUpdate("UPDATE channels SET bundle_pk = (SELECT b.id FROM bundles b JOIN apps a ON a.id = b.app_pk"
                    + " WHERE a.app_id = '" + app + "' AND b.version = '1.0.2')"
                    + " WHERE app_pk = (SELECT id FROM apps WHERE app_id = '" + app + "')");
            s.executeUpdate("UPDATE apps SET revision = revision + 1 WHERE app_id = '" + app + "'");
        }
        for (int i = 0; i < 3; i++) {
            assertThat(check(url(i), app))
                    .as("instance %d was not told (the poll runs every %s)", i, POLL_INTERVAL)
                    .contains("\"version\":\"1.0.1\"");
        }

        assertThat(sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE application_name = 'updraft-snapshot-listener'"))
                .isEqualTo(3);
        // Each instance listens again and then polls once: the change made meanwhile arrives.
        for (int i = 0; i < 3; i++) {
            awaitAnswer(i, app, "\"version\":\"1.0.2\"");
        }
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (listeners() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(listeners()).as("listening again").isEqualTo(3);

        // And notices flow again.
        assertThat(admin(url(2), "PATCH", "/api/v1/apps/" + app + "/channels/production", "{\"bundle\":\"1.0.1\"}"))
                .isEqualTo(200);
        awaitAnswer(0, app, "\"version\":\"1.0.1\"");
        awaitAnswer(1, app, "\"version\":\"1.0.1\"");
        for (int i = 0; i < 3; i++) {
            assertThat(servers.get(i).stdout())
                    .as("instance %d logged the loss once, and no stack trace", i)
                    .contains("snapshot notifications: the listening connection failed")
                    .contains("snapshot notifications: listening again")
                    .doesNotContain("\tat org.postgresql");
        }
    }

    @Test
    @Order(3)
    void soakOfThreeInstancesWithOneKilledAndRestarted() throws Exception {
        String app = "com.example.multi.soak";
        assertThat(admin(url(0), "POST", "/api/v1/apps", "{\"app_id\":\"" + app + "\"}"))
                .isEqualTo(201);
        String bundleUrl = "http://127.0.0.1:" + bundleHost.getAddress().getPort() + "/soak/1.0.1.zip";
        assertThat(admin(
                        url(0),
                        "POST",
                        "/api/v1/apps/" + app + "/bundles",
                        "{\"version\":\"1.0.1\",\"external_url\":\"" + bundleUrl + "\",\"checksum\":\"" + SHA + "\"}"))
                .isEqualTo(201);
        assertThat(admin(
                        url(0),
                        "POST",
                        "/api/v1/apps/" + app + "/channels",
                        "{\"name\":\"production\",\"public\":true,\"bundle\":\"1.0.1\"}"))
                .isEqualTo(201);
        for (int i = 0; i < 3; i++) {
            awaitAnswer(i, app, "\"version\":\"1.0.1\"");
        }

        ServerProcess victim = servers.get(2);
        List<Integer> ports = servers.stream().map(ServerProcess::port).toList();
        try (RoundRobinProxy proxy = new RoundRobinProxy(ports)) {
            // 2,500 devices at 40 checks/s for 60 s: nearly every check is a device's first, so each one downloads
            // and then acknowledges its install with a stats batch (set, app_launch_ready) all through the run.
            LoadConfig cfg = LoadConfig.builder()
                    .server(proxy.url())
                    .appId(app)
                    .devices(2_500)
                    .duration(Duration.ofSeconds(60))
                    .rate(40)
                    .concurrency(16)
                    .download(true)
                    .downloadConcurrency(8)
                    .sendStats(true)
                    .timeoutMs(10_000)
                    .build();
            CompletableFuture<LoadReport> load = CompletableFuture.supplyAsync(() -> LoadGenerator.run(cfg));

            RoundRobinProxy.Tally victimTally = proxy.tally(victim.port());
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (victimTally.acknowledgedStats.sum() < 100 && System.nanoTime() < deadline) {
                Thread.sleep(50); // the victim is busy before it is killed
            }
            assertThat(victimTally.acknowledgedStats.sum()).isGreaterThanOrEqualTo(100);
            victim.kill();
            long killedAt = System.nanoTime();
            victim.restart();
            double downSeconds = (System.nanoTime() - killedAt) / 1e9;
            long checksBeforeRestart = victimTally.checks.sum();
            LoadReport report = load.get();
            long checksAfterRestart = victimTally.checks.sum() - checksBeforeRestart;

            System.out.println("soak: " + report.toText().replace("\n", "\n  "));
            System.out.printf(Locale.ROOT, "soak: instance three killed and back after %.1f s%n", downSeconds);
            for (int i = 0; i < 3; i++) {
                System.out.println("soak: instance " + (i + 1) + ": " + proxy.tally(ports.get(i)));
            }

            for (int i = 0; i < 2; i++) {
                RoundRobinProxy.Tally t = proxy.tally(ports.get(i));
                assertThat(t.checks.sum()).as("instance %d served checks", i).isGreaterThan(500);
                assertThat(t.failedChecks.sum())
                        .as("failed checks on surviving instance %d", i)
                        .isZero();
                assertThat(t.failedStats.sum())
                        .as("failed stats on surviving instance %d", i)
                        .isZero();
            }
            assertThat(victimTally.failedChecks.sum())
                    .as("the kill met checks (else it proved nothing)")
                    .isPositive();
            assertThat(checksAfterRestart)
                    .as("the restarted instance serves again")
                    .isPositive();
            assertThat(report.errorsTotal())
                    .as("every error a device saw was a check sent to the killed instance")
                    .isEqualTo(victimTally.failedChecks.sum());
            assertThat(report.failedCodes()).as("failed answers").isEmpty();
            assertThat(report.downloadErrors()).isEmpty();

            // Zero acknowledged stats lost: every event of every acknowledged /stats request is in the database.
            Map<String, Integer> acknowledged = new HashMap<>();
            for (Buffer body : proxy.acknowledgedStatsBodies) {
                JsonNode events = JSON.readTree(body.getBytes());
                for (JsonNode e :
                        events.isArray() ? events : JSON.createArrayNode().add(events)) {
                    acknowledged.merge(
                            e.get("device_id").asText() + " " + e.get("action").asText(), 1, Integer::sum);
                }
            }
            Map<String, Integer> stored = new HashMap<>();
            try (Connection c = pg.getDatabase("postgres", "updraft").getConnection();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT e.device_id, e.action, count(*) FROM stats_events e"
                            + " JOIN apps a ON a.id = e.app_pk WHERE a.app_id = '" + app + "'"
                            + " GROUP BY e.device_id, e.action")) {
                while (r.next()) {
                    stored.put(r.getString(1) + " " + r.getString(2), r.getInt(3));
                }
            }
            long acknowledgedEvents =
                    acknowledged.values().stream().mapToLong(Integer::longValue).sum();
            List<String> lost = acknowledged.entrySet().stream()
                    .filter(e -> stored.getOrDefault(e.getKey(), 0) < e.getValue())
                    .map(Map.Entry::getKey)
                    .toList();
            System.out.printf(
                    Locale.ROOT,
                    "soak: %d stats requests acknowledged (%d events), %d events stored, %d acknowledged events lost%n",
                    proxy.acknowledgedStatsBodies.size(),
                    acknowledgedEvents,
                    stored.values().stream().mapToLong(Integer::longValue).sum(),
                    lost.size());
            assertThat(proxy.acknowledgedStatsBodies).hasSizeGreaterThan(1_000);
            // The generator does not wait for its last stats posts before it reports: one the proxy has already
            // relayed a 2xx for may still be on its way back, so the devices' count can only be lower. Every
            // acknowledgement the devices saw went through the proxy, and all of the proxy's are checked below.
            assertThat(report.statsPosts())
                    .as("stats posts the devices saw acknowledged")
                    .isPositive()
                    .isLessThanOrEqualTo(proxy.acknowledgedStatsBodies.size());
            assertThat(lost)
                    .as("acknowledged stats events missing from the database")
                    .isEmpty();
        }

        // The restarted instance listens again: a change through another one reaches it by notice.
        assertThat(admin(url(0), "PATCH", "/api/v1/apps/" + app + "/channels/production", "{\"public\":false}"))
                .isEqualTo(200);
        awaitAnswer(2, app, "\"error\":\"no_channel\"");
    }

    @Test
    @Order(4)
    void aDumpRestoredIntoAWipedDatabaseGivesTheSameAnswers() throws Exception {
        assertThat(PG_BIN.resolve("pg_dump")).as("PostgreSQL 15 client tools").isExecutable();
        Map<String, String> before = answers(url(0));
        long eventsBefore = sql("SELECT count(*) FROM stats_events");
        for (ServerProcess s : servers) {
            s.stop();
        }

        Path dump = Files.createDirectories(Path.of("target", "it")).resolve("multi-updraft.dump");
        Files.deleteIfExists(dump);
        run(
                PG_BIN.resolve("pg_dump").toString(),
                "-h",
                "localhost",
                "-p",
                String.valueOf(pg.getPort()),
                "-U",
                "postgres",
                "-Fc",
                "-f",
                dump.toString(),
                "updraft");
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE updraft");
            s.execute("CREATE DATABASE updraft");
        }
        assertThat(sql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"))
                .as("wiped")
                .isZero();
        run(
                PG_BIN.resolve("pg_restore").toString(),
                "-h",
                "localhost",
                "-p",
                String.valueOf(pg.getPort()),
                "-U",
                "postgres",
                "-d",
                "updraft",
                "--no-owner",
                dump.toString());

        ServerProcess restored = servers.get(0);
        restored.restart();
        assertThat(answers(url(0))).isEqualTo(before);
        assertThat(sql("SELECT count(*) FROM stats_events")).isEqualTo(eventsBefore);
        // The sequences came back too: new rows do not collide with restored ones.
        assertThat(admin(
                        url(0),
                        "POST",
                        "/api/v1/apps/com.example.multi.soak/bundles",
                        "{\"version\":\"1.0.9\",\"external_url\":\"https://cdn.example.com/1.0.9.zip\",\"checksum\":\""
                                + SHA + "\"}"))
                .isEqualTo(201);
    }

    /**
     * What operators and devices are told about each app of this class: the admin lists (not the devices': an update
     * check moves a device's last sighting), then the update checks.
     */
    static Map<String, String> answers(String base) throws Exception {
        List<String> apps = List.of("com.example.multi.push", "com.example.multi.lost", "com.example.multi.soak");
        Map<String, String> out = new LinkedHashMap<>();
        out.put("apps", adminGet(base, "/api/v1/apps"));
        for (String app : apps) {
            for (String list : List.of("channels", "bundles", "events?limit=1000")) {
                out.put(app + " " + list, adminGet(base, "/api/v1/apps/" + app + "/" + list));
            }
        }
        for (String app : apps) {
            out.put(app + " check", check(base, app));
        }
        return out;
    }

    static String adminGet(String base, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + KEY))
                .body();
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ":\n" + out).isZero();
    }
}
