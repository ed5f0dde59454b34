package dev.updraft.server.api;

import static dev.updraft.server.api.Api.bundle;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static dev.updraft.server.api.Api.device;
import static dev.updraft.server.api.Api.info;
import static dev.updraft.server.api.Api.newApp;
import static dev.updraft.server.api.Api.newDevice;
import static dev.updraft.server.api.Api.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.StatsEvent;
import dev.updraft.server.decision.AppSnapshot;
import dev.updraft.server.device.ChannelSelfService;
import dev.updraft.server.snapshot.SnapshotStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device API under abuse (docs/security-model.md, "Device API budgets"): a flood of {@code /stats} is bounded per
 * device (429 with a retry hint, to that device only), per app and per address (503 without a hint); probes of unknown
 * apps lock no one out; identical concurrent {@code /channel_self} calls never give a 5xx and log no stack trace. The
 * test profile's budgets are small: 300 events per device, 1000 per app, 8 MiB per address, per minute.
 */
@QuarkusTest
class DeviceAbuseTest {
    @Inject
    ChannelSelfService channelSelf;

    @Inject
    SnapshotStore snapshots;

    /** Log records with a stack trace, from anywhere in the server, while a test runs. */
    private final List<LogRecord> stackTraces = new ArrayList<>();

    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getThrown() != null || r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                synchronized (stackTraces) {
                    stackTraces.add(r);
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
        // The capture sees what the server logs through its logging (not a vacuous check).
        org.jboss.logging.Logger.getLogger("dev.updraft.server.probe")
                .warn("probe", new IllegalStateException("probe"));
        synchronized (stackTraces) {
            assertThat(stackTraces).as("the log capture works").hasSize(1);
            stackTraces.clear();
        }
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    static List<Map<String, Object>> batch(String app, String dev, int n) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(Api.map(StatsEvent.of(
                            Api.infoObject(app, dev), "app_moved_to_foreground", "1.0.0", "", 1_700_000_000_000L + i)
                    .toJson()));
        }
        return events;
    }

    static int stored(String app, String dev) {
        return Api.admin()
                .queryParam("device_id", dev)
                .queryParam("limit", 500)
                .get("/api/v1/apps/{a}/events", app)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entries")
                .size();
    }

    // ---- /stats budgets --------------------------------------------------------------------------------------------

    @Test
    void stats_aFloodingDeviceGets429WithAHint_andOnlyThatDevice() {
        String app = newApp("flood");
        String flooder = newDevice();
        device().body(batch(app, flooder, 200)).post("/stats").then().statusCode(200);
        Response limited = device().body(batch(app, flooder, 200)).post("/stats");
        limited.then().statusCode(429);
        assertThat(limited.jsonPath().getString("error")).isEqualTo("too_many_requests");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(limited.jsonPath().getLong("retryAfterSeconds")).isBetween(1L, 60L);
        assertThat(stored(app, flooder)).isEqualTo(200); // the refused batch was not stored (the plugin keeps it)
        // Another device of the same app, from the same address: unaffected.
        String honest = newDevice();
        device().body(batch(app, honest, 200)).post("/stats").then().statusCode(200);
        device().body(info(app, honest)).post("/updates").then().statusCode(200);
        assertThat(stored(app, honest)).isEqualTo(200);
        assertThat(stackTraces).isEmpty();
    }

    @Test
    void stats_anOverloadedAppGets503WithoutAHint_andNothingOfThatBatchIsAcknowledged() {
        String app = newApp("flood");
        // Devices within their own budgets (200 events each) until the app's 1000 a minute are spent: at least the 5
        // batches the bucket holds are accepted; the bucket refills meanwhile, so a few more may be.
        int accepted = 0;
        String late = null;
        Response overloaded = null;
        for (int i = 0; i < 30 && overloaded == null; i++) {
            String dev = newDevice();
            Response r = device().body(batch(app, dev, 200)).post("/stats");
            if (r.statusCode() == 200) {
                accepted++;
            } else {
                late = dev;
                overloaded = r;
            }
        }
        assertThat(accepted).isGreaterThanOrEqualTo(5);
        assertThat(overloaded).as("no 503 after 30 batches").isNotNull();
        overloaded.then().statusCode(503);
        assertThat(overloaded.jsonPath().getString("error")).isEqualTo("overloaded");
        assertThat(overloaded.header("Retry-After")).isNull();
        assertThat(overloaded.asString()).doesNotContain("retryAfterSeconds", "rateLimitResetAt");
        assertThat(stored(app, late)).isZero();
        // Another app is not affected.
        String other = newApp("flood");
        device().body(batch(other, newDevice(), 200)).post("/stats").then().statusCode(200);
    }

    @Test
    void stats_anAddressThatSendsTooManyBytesGets503WithoutAHint_otherAddressesDoNot() {
        String app = newApp("flood");
        String address = "192.0.2.201";
        // One valid event and 1.9 MB of a key the protocol ignores: accepted, until the address's 8 MiB are spent.
        String padded = "["
                + new String(
                                StatsEvent.of(Api.infoObject(app, newDevice()), "set", "1.0.1", "", 1L)
                                        .toJson(),
                                java.nio.charset.StandardCharsets.UTF_8)
                        .replaceFirst("\\{", "{\"padding\":\"" + "x".repeat(1_900_000) + "\",")
                + "]";
        int accepted = 0;
        Response last = null;
        for (int i = 0; i < 20; i++) {
            last = RestAssured.given()
                    .header("X-Forwarded-For", address)
                    .contentType("application/json")
                    .body(padded)
                    .post("/stats");
            if (last.statusCode() != 200) {
                break;
            }
            accepted++;
        }
        assertThat(accepted).isGreaterThanOrEqualTo(4); // 4 x 1.9 MB fit in the bucket
        assertThat(last.statusCode()).isEqualTo(503);
        assertThat(last.jsonPath().getString("error")).isEqualTo("overloaded");
        assertThat(last.header("Retry-After")).isNull();
        device().body(padded).post("/stats").then().statusCode(200);
    }

    // ---- unknown apps ---------------------------------------------------------------------------------------------

    @Test
    void probesOfUnknownApps_neverBlockAKnownAppFromTheSameAddress() {
        String known = newApp("probe");
        bundle(known, "1.0.1");
        channel(known, ch("name", "production", "public", true, "bundle", "1.0.1"));
        String address = "192.0.2.202";
        for (int i = 0; i < 20; i++) {
            Response r = RestAssured.given()
                    .header("X-Forwarded-For", address)
                    .contentType("application/json")
                    .body(info("com.unknown.probe" + i, newDevice()))
                    .post("/updates");
            r.then().statusCode(429);
            assertThat(r.jsonPath().getString("error")).isEqualTo("on_premise_app");
            assertThat(r.header("Retry-After")).isNull();
        }
        RestAssured.given()
                .header("X-Forwarded-For", address)
                .contentType("application/json")
                .body(info(known, newDevice()))
                .post("/updates")
                .then()
                .statusCode(200)
                .body("version", org.hamcrest.Matchers.equalTo("1.0.1"));
    }

    // ---- identical concurrent /channel_self
    // ---------------------------------------------------------------------------

    @Test
    void identicalConcurrentChannelSelfPostAndDelete_neverGiveA5xx() throws Exception {
        String app = DeviceEndpointsApiTest.channelsApp();
        for (String plugin : List.of("5.30.0", "8.51.23")) { // the server stores the choice / the device keeps it
            String dev = newDevice();
            Map<String, Object> body = with(info(app, dev), "plugin_version", plugin);
            List<Integer> posts = concurrently(
                    32,
                    () -> device().body(with(body, "channel", "beta"))
                            .post("/channel_self")
                            .statusCode());
            List<Integer> deletes = concurrently(
                    32, () -> device().body(body).delete("/channel_self").statusCode());
            assertThat(posts).as(plugin).containsOnly(200, 429).contains(200);
            assertThat(deletes).as(plugin).containsOnly(200, 429).contains(200);
            assertThat(device().body(body).put("/channel_self").jsonPath().getString("channel"))
                    .isEqualTo("production");
        }
        assertThat(stackTraces).isEmpty();
    }

    @Test
    void identicalConcurrentWritesOfOneDevicesChoice_convergeWithoutAnError() throws Exception {
        String app = DeviceEndpointsApiTest.channelsApp();
        AppSnapshot snap = snapshots.get(app);
        long beta = snap.channel("beta").id();
        String dev = newDevice();
        List<Boolean> chosen = concurrently(32, () -> channelSelf.choose(snap.appId(), snap.appPk(), dev, beta));
        assertThat(chosen).filteredOn(Boolean::booleanValue).hasSize(1);
        snapshots.reload(app);
        assertThat(snapshots.get(app).override(dev).channel().name()).isEqualTo("beta");
        List<Boolean> forgotten = concurrently(32, () -> channelSelf.forget(snap.appId(), snap.appPk(), dev));
        assertThat(forgotten).filteredOn(Boolean::booleanValue).hasSize(1);
        snapshots.reload(app);
        assertThat(snapshots.get(app).override(dev)).isNull();
        assertThat(stackTraces).isEmpty();
    }

    /** Runs the call {@code n} times at once (all released together) and returns the results. */
    static <T> List<T> concurrently(int n, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
