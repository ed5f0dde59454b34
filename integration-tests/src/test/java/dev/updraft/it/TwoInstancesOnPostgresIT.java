package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.Platform;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, twice, on one external PostgreSQL: UPDRAFT_DB_URL points the same jar away from its embedded
 * default (neither instance starts a database of its own), and a change made through one instance's admin API reaches
 * the other instance's update check within a few seconds (revision polling), without that instance being told.
 */
class TwoInstancesOnPostgresIT {
    static final String KEY = "it-admin-key";
    static final String SHA = "3f5076131fa327e7c3ea620aca8ca283e3657a1e8b015482f55893f4fd1ca2d7";
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static EmbeddedPostgres pg;
    static final List<ServerProcess> servers = new ArrayList<>();
    static String a;
    static String b;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        String url = pg.getJdbcUrl("postgres", "postgres");
        ServerProcess first = startServer(url, "a");
        ServerProcess second = startServer(url, "b");
        a = awaitReady(first);
        b = awaitReady(second);
    }

    @AfterAll
    static void stop() throws IOException, InterruptedException {
        for (ServerProcess s : servers) {
            s.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    static ServerProcess startServer(String jdbcUrl, String name) throws IOException {
        ServerProcess server = ServerProcess.on(
                        Files.createDirectories(Path.of("target", "it", name)).resolve("data"))
                .env("UPDRAFT_DB_URL", jdbcUrl)
                .env("UPDRAFT_DB_USER", "postgres")
                .env("UPDRAFT_DB_PASSWORD", "postgres")
                .env("UPDRAFT_ADMIN_API_KEY", KEY)
                .launch();
        servers.add(server);
        return server;
    }

    /** Waits for the instance's readiness (on its management port) and returns its public base URL. */
    static String awaitReady(ServerProcess server) throws Exception {
        server.awaitReady();
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(server.managementUrl("/q/health/ready")))
                .GET());
        assertThat(r.body()).contains("UP");
        assertThat(server.dataDir().resolve("pg"))
                .as("no embedded PostgreSQL with an external one configured")
                .doesNotExist();
        assertThat(server.dataDir().resolve("server.lock")).doesNotExist();
        return server.url("");
    }

    static HttpResponse<String> send(HttpRequest.Builder req) throws IOException, InterruptedException {
        return HTTP.send(req.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static int admin(String base, String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return send(r).statusCode();
    }

    static String check(String base, String appId) throws IOException, InterruptedException {
        return check(base, device(appId, "8.51.23").build().toJson());
    }

    static InfoObject.Builder device(String appId, String plugin) {
        return InfoObject.builder()
                .platform(Platform.ANDROID)
                .deviceId("6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f")
                .appId(appId)
                .versionBuild("1.0.0")
                .versionName("1.0.0")
                .pluginVersion(plugin)
                .isEmulator(false)
                .isProd(true);
    }

    static String check(String base, byte[] body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/updates"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)))
                .body();
    }

    static String awaitAnswer(String base, String appId, String expectedFragment) throws Exception {
        return awaitAnswer(base, at -> check(at, appId), expectedFragment);
    }

    interface Check {
        String run(String base) throws IOException, InterruptedException;
    }

    static String awaitAnswer(String base, Check check, String expectedFragment) throws Exception {
        long start = System.currentTimeMillis();
        String last = "";
        while (System.currentTimeMillis() - start < 5_000) {
            last = check.run(base);
            if (last.contains(expectedFragment)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("instance " + base + " did not converge within 5 s; last answer: " + last);
    }

    /** Through instance {@code base}: the app, bundles 1.0.1 and 1.0.2, and the public channel production on 1.0.1. */
    static void appOnProduction(String base, String app) throws IOException, InterruptedException {
        assertThat(admin(base, "POST", "/api/v1/apps", "{\"app_id\":\"" + app + "\"}"))
                .isEqualTo(201);
        for (String v : List.of("1.0.1", "1.0.2")) {
            assertThat(admin(
                            base,
                            "POST",
                            "/api/v1/apps/" + app + "/bundles",
                            "{\"version\":\"" + v + "\",\"external_url\":\"https://cdn.example.com/" + v
                                    + ".zip\",\"checksum\":\"" + SHA + "\"}"))
                    .isEqualTo(201);
        }
        assertThat(admin(
                        base,
                        "POST",
                        "/api/v1/apps/" + app + "/channels",
                        "{\"name\":\"production\",\"public\":true,\"bundle\":\"1.0.1\"}"))
                .isEqualTo(201);
    }

    @Test
    void aChangeThroughOneInstanceReachesTheOther() throws Exception {
        String app = "com.example.twoinstances";
        appOnProduction(a, app);
        assertThat(check(a, app)).contains("\"version\":\"1.0.1\"");
        // Instance b learns about the new app and its channel only from the database.
        assertThat(awaitAnswer(b, app, "\"version\":\"1.0.1\"")).doesNotContain("\"error\"");

        assertThat(admin(a, "PATCH", "/api/v1/apps/" + app + "/channels/production", "{\"bundle\":\"1.0.2\"}"))
                .isEqualTo(200);
        assertThat(awaitAnswer(b, app, "\"version\":\"1.0.2\"")).doesNotContain("\"error\"");

        // And the other way round, with a deletion.
        assertThat(admin(b, "DELETE", "/api/v1/apps/" + app + "/channels/production", null))
                .isEqualTo(204);
        assertThat(awaitAnswer(a, app, "\"error\":\"no_channel\"")).contains("\"kind\":\"failed\"");
    }

    /**
     * A device's own channel choice, stored by the server for plugins before 5.34 (docs/architecture.md, "Snapshots"):
     * made on one instance, served by the other, which rereads only the app's device choices.
     */
    @Test
    void aDeviceChoiceOnOneInstanceIsServedByTheOther() throws Exception {
        String app = "com.example.twoinstances.choice";
        appOnProduction(a, app);
        assertThat(admin(
                        a,
                        "POST",
                        "/api/v1/apps/" + app + "/channels",
                        "{\"name\":\"beta\",\"bundle\":\"1.0.2\",\"allow_device_self_set\":true}"))
                .isEqualTo(201);
        byte[] old = device(app, "5.30.0").build().toJson();
        assertThat(awaitAnswer(b, base -> check(base, old), "\"version\":\"1.0.1\""))
                .doesNotContain("\"error\"");

        byte[] choose = device(app, "5.30.0").channel("beta").build().toJson();
        HttpResponse<String> set = send(HttpRequest.newBuilder(URI.create(a + "/channel_self"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(choose)));
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(check(a, old)).contains("\"version\":\"1.0.2\"");
        assertThat(awaitAnswer(b, base -> check(base, old), "\"version\":\"1.0.2\""))
                .doesNotContain("\"error\"");
    }
}
