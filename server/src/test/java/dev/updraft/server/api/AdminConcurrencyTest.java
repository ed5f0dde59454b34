package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.bundle;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static dev.updraft.server.api.Api.newApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.hibernate.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Identical admin writes sent concurrently (32 at once, on separate connections): never a 5xx, nothing logged at
 * WARN or above (so never a stack trace: these are the callers' doing, and callers must not be able to flood the log),
 * and the end state is what one request would have left (docs/admin-api.md, "Concurrent requests").
 */
@QuarkusTest
class AdminConcurrencyTest {
    static final int AT_ONCE = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @Inject
    Session session;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            // Micrometer warns once per JVM when the HTTP metrics reach 100 URI tags, whichever test gets there.
            boolean metrics = r.getLoggerName() != null && r.getLoggerName().startsWith("io.micrometer");
            if (r.getLevel().intValue() >= Level.WARNING.intValue() && !metrics) {
                logged.add(r);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLog() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void noErrorWasLogged() {
        Logger.getLogger("").removeHandler(capture);
        assertThat(logged)
                .as("warnings, errors or stack traces logged during the burst")
                .extracting(r -> r.getLoggerName() + ": " + r.getMessage()
                        + (r.getThrown() == null ? "" : " / " + r.getThrown()))
                .isEmpty();
    }

    /** The count of answers {@code 409 concurrent_change} ("lost the race twice, nothing changed, try again") in a burst. */
    static final int TRY_AGAIN = 0;
    /** How many of a burst may be told to try again: only those that lost the race twice (deadlock or unique key, then again). */
    static final int MAX_TRY_AGAIN = 4;

    /**
     * The answers are those expected, except that a few requests may have been told to try again (409
     * concurrent_change: they lost the race twice and changed nothing) instead of getting their expected answer.
     */
    static void assertAnswers(Map<Integer, Integer> got, Map<Integer, Integer> expected) {
        int tryAgain = got.getOrDefault(TRY_AGAIN, 0);
        assertThat(tryAgain).as("answers " + got).isLessThanOrEqualTo(MAX_TRY_AGAIN);
        assertThat(got.keySet()).as("answers " + got).isSubsetOf(concat(expected.keySet(), TRY_AGAIN));
        expected.forEach((status, n) ->
                assertThat(got.getOrDefault(status, 0)).as("answers " + got).isBetween(n - tryAgain, n));
    }

    private static java.util.Set<Integer> concat(java.util.Set<Integer> statuses, int more) {
        java.util.Set<Integer> all = new java.util.HashSet<>(statuses);
        all.add(more);
        return all;
    }

    /** Sends the same request {@link #AT_ONCE} times at once; the statuses, counted ({@link #TRY_AGAIN} for concurrent_change). */
    Map<Integer, Integer> burst(String method, String path, Object body) {
        String json;
        try {
            json = body == null ? null : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        URI uri = URI.create(base.toString().replaceAll("/$", "") + path);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
            HttpRequest.Builder r = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + Api.KEY)
                    .header("Accept", "application/json");
            if (json != null) {
                r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
            } else {
                r.method(method, HttpRequest.BodyPublishers.noBody());
            }
            answers.add(http.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString()));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            HttpResponse<String> response = a.join();
            boolean tryAgain = response.statusCode() == 409 && response.body().contains("\"concurrent_change\"");
            statuses.merge(tryAgain ? TRY_AGAIN : response.statusCode(), 1, Integer::sum);
            assertThat(response.statusCode())
                    .as(method + " " + path + ": " + response.body())
                    .isLessThan(500);
            if (response.statusCode() >= 400) {
                assertThat(response.body())
                        .as("an error answer is {error, message}")
                        .contains("\"error\"")
                        .contains("\"message\"");
            }
        }
        return statuses;
    }

    long rows(String hql, Object... params) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var q = session.createSelectionQuery(hql, Long.class);
            for (int i = 0; i < params.length; i += 2) {
                q.setParameter((String) params[i], params[i + 1]);
            }
            return q.getSingleResult();
        });
    }

    static String freshAppId() {
        return "com.test.race.a"
                + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Test
    void createApp_oneCreates_theOthersAreTold409() {
        String app = freshAppId();
        assertAnswers(
                burst("POST", "/api/v1/apps", Map.of("app_id", app, "name", "Race")), Map.of(201, 1, 409, AT_ONCE - 1));
        assertThat(rows("select count(a) from AppEntity a where a.appId = :id", "id", app))
                .isEqualTo(1);
        admin().get("/api/v1/apps/{a}", app).then().statusCode(200).body("name", equalTo("Race"));
        assertAnswers(
                burst("PATCH", "/api/v1/apps/" + app, Map.of("name", "Renamed", "expose_metadata", true)),
                Map.of(200, AT_ONCE));
        admin().get("/api/v1/apps/{a}", app)
                .then()
                .statusCode(200)
                .body("name", equalTo("Renamed"))
                .body("expose_metadata", equalTo(true));
    }

    @Test
    void deleteApp_oneDeletes_theOthersFindNothing() {
        String app = newApp("race");
        bundle(app, "1.0.1");
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.1"));
        admin().body(Map.of("channel", "production"))
                .put("/api/v1/apps/{a}/devices/{d}/override", app, Api.newDevice())
                .then()
                .statusCode(200);
        assertAnswers(burst("DELETE", "/api/v1/apps/" + app, null), Map.of(204, 1, 404, AT_ONCE - 1));
        admin().get("/api/v1/apps/{a}", app).then().statusCode(404);
        assertThat(rows("select count(a) from AppEntity a where a.appId = :id", "id", app))
                .isZero();
    }

    @Test
    void channels_createPatchDelete() {
        String app = newApp("race");
        bundle(app, "1.0.1");
        String channels = "/api/v1/apps/" + app + "/channels";
        assertAnswers(burst("POST", channels, Map.of("name", "beta")), Map.of(201, 1, 409, AT_ONCE - 1));
        assertThat(rows(
                        "select count(c) from ChannelEntity c, AppEntity a where c.appPk = a.id and a.appId = :id",
                        "id",
                        app))
                .isEqualTo(1);

        assertAnswers(
                burst("PATCH", channels + "/beta", Map.of("bundle", "1.0.1", "public", true)), Map.of(200, AT_ONCE));
        admin().get(channels + "/beta")
                .then()
                .statusCode(200)
                .body("bundle", equalTo("1.0.1"))
                .body("public", equalTo(true));

        admin().body(Map.of("channel", "beta"))
                .put("/api/v1/apps/{a}/devices/{d}/override", app, Api.newDevice())
                .then()
                .statusCode(200);
        assertAnswers(burst("DELETE", channels + "/beta", null), Map.of(204, 1, 404, AT_ONCE - 1));
        admin().get(channels + "/beta").then().statusCode(404);
        assertThat(rows(
                        "select count(o) from DeviceOverrideEntity o, AppEntity a where o.appPk = a.id and a.appId = :id",
                        "id",
                        app))
                .isZero();
    }

    @Test
    void createBundle_oneCreates_theIdenticalOthersAreIdempotentRetries() {
        String app = newApp("race");
        Map<String, Object> in =
                Map.of("version", "1.0.1", "external_url", "https://cdn.example.com/r.zip", "checksum", Api.SHA);
        assertAnswers(burst("POST", "/api/v1/apps/" + app + "/bundles", in), Map.of(201, 1, 200, AT_ONCE - 1));
        // Publishing: the bundle and a channel created with it, in one transaction.
        Map<String, Object> publish = Map.of(
                "version",
                "1.0.2",
                "external_url",
                "https://cdn.example.com/p.zip",
                "checksum",
                Api.SHA,
                "channel",
                "production",
                "create_channel",
                true);
        assertAnswers(burst("POST", "/api/v1/apps/" + app + "/bundles", publish), Map.of(201, 1, 200, AT_ONCE - 1));
        assertThat(rows(
                        "select count(b) from BundleEntity b, AppEntity a where b.appPk = a.id and a.appId = :id",
                        "id",
                        app))
                .isEqualTo(2);
        assertThat(rows(
                        "select count(c) from ChannelEntity c, AppEntity a where c.appPk = a.id and a.appId = :id",
                        "id",
                        app))
                .isEqualTo(1);
        admin().get("/api/v1/apps/{a}/channels/production", app)
                .then()
                .statusCode(200)
                .body("bundle", equalTo("1.0.2"))
                .body("public", equalTo(true));
        // Deleting the bundle no channel uses: once; a deleted version is gone for the others.
        assertAnswers(
                burst("DELETE", "/api/v1/apps/" + app + "/bundles/1.0.1", null), Map.of(204, 1, 404, AT_ONCE - 1));
        admin().get("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(200)
                .body("entries.version", equalTo(List.of("1.0.2")));
    }

    @Test
    void overrides_setIsAnUpsert_deleteIsIdempotent() {
        String app = newApp("race");
        channel(app, ch("name", "beta"));
        String device = Api.newDevice();
        String path = "/api/v1/apps/" + app + "/devices/" + device + "/override";
        assertAnswers(burst("PUT", path, Map.of("channel", "beta")), Map.of(200, AT_ONCE));
        assertThat(rows("select count(o) from DeviceOverrideEntity o where o.deviceId = :d", "d", device))
                .isEqualTo(1);
        assertAnswers(burst("DELETE", path, null), Map.of(204, AT_ONCE));
        assertThat(rows("select count(o) from DeviceOverrideEntity o where o.deviceId = :d", "d", device))
                .isZero();
    }

    @Test
    void adminKeys_createOnce_revokeIsIdempotent() {
        String name = "race-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        assertAnswers(burst("POST", "/api/v1/admin-keys", Map.of("name", name)), Map.of(201, 1, 409, AT_ONCE - 1));
        assertThat(rows("select count(k) from ApiKeyEntity k where k.name = :n", "n", name))
                .isEqualTo(1);
        assertAnswers(burst("DELETE", "/api/v1/admin-keys/" + name, null), Map.of(200, AT_ONCE));
        assertThat(rows("select count(k) from ApiKeyEntity k where k.name = :n and k.revokedAt is not null", "n", name))
                .isEqualTo(1);
    }

    /** Not identical but hostile: the app is deleted while bundles are published into it and overrides set. */
    @Test
    void deleteApp_whilePublishingIntoIt_leavesNothingBehind() {
        String app = newApp("race");
        channel(app, ch("name", "beta"));
        long appPk = rows("select a.id from AppEntity a where a.appId = :id", "id", app);
        ExecutorService threads = Executors.newFixedThreadPool(3); // the three bursts at the same time
        List<CompletableFuture<Map<Integer, Integer>>> bursts = List.of(
                CompletableFuture.supplyAsync(
                        () -> burst(
                                "POST",
                                "/api/v1/apps/" + app + "/bundles",
                                Map.of(
                                        "version",
                                        "2.0.0",
                                        "external_url",
                                        "https://cdn.example.com/d.zip",
                                        "checksum",
                                        Api.SHA,
                                        "channel",
                                        "production",
                                        "create_channel",
                                        true)),
                        threads),
                CompletableFuture.supplyAsync(
                        () -> burst(
                                "PUT",
                                "/api/v1/apps/" + app + "/devices/" + Api.newDevice() + "/override",
                                Map.of("channel", "beta")),
                        threads),
                CompletableFuture.supplyAsync(() -> burst("DELETE", "/api/v1/apps/" + app, null), threads));
        Map<Integer, Integer> all = new TreeMap<>();
        bursts.forEach(b -> b.join().forEach((status, n) -> all.merge(status, n, Integer::sum)));
        threads.shutdown();
        assertThat(all.keySet()).as("statuses " + all).isSubsetOf(200, 201, 204, 404, 409, TRY_AGAIN);
        assertThat(all.get(204)).isEqualTo(1);
        for (String entity : List.of("ChannelEntity", "BundleEntity", "DeviceOverrideEntity")) {
            assertThat(rows("select count(x) from " + entity + " x where x.appPk = :pk", "pk", appPk))
                    .as(entity + " rows left behind")
                    .isZero();
        }
        admin().get("/api/v1/apps/{a}", app).then().statusCode(404);
    }
}
