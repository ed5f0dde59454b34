package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.Platform;
import dev.updraft.protocol.StatsEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The embedded default under {@code kill -9} (docs/operations.md, "The embedded PostgreSQL"): the packaged server is
 * killed while devices post {@code /stats}; its PostgreSQL outlives it, and the next server on the same data folder
 * stops that stale postmaster, starts its own and finds every event that was acknowledged (2xx) before the kill.
 * Delivery is at least once, so an event the device was never told about may or may not be there.
 */
class EmbeddedKillRestartIT {
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    static final String KEY = "it-kill-key";
    static final String APP = "com.example.killrestart";
    static final Pattern DEVICE = Pattern.compile("\"device_id\":\"([0-9a-f-]{36})\"");
    static final Pattern CURSOR = Pattern.compile("\"next_cursor\":\"([^\"]+)\"");

    @Test
    void killNineUnderStatsLoad_thenRestart_everyAcknowledgedEventIsThere() throws Exception {
        Path data = Path.of("target", "it-kill-" + UUID.randomUUID().toString().substring(0, 8), "data")
                .toAbsolutePath();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        long stalePostmaster;
        // Not closed after the kill: close() would stop the PostgreSQL the kill leaves behind, which is what the
        // second server must meet. Closed only if the test fails before the kill.
        ServerProcess first =
                ServerProcess.on(data).env("UPDRAFT_ADMIN_API_KEY", KEY).start();
        try {
            assertThat(admin(first, "POST", "/api/v1/apps", "{\"app_id\":\"" + APP + "\"}")
                            .statusCode())
                    .isEqualTo(201);
            stalePostmaster =
                    Long.parseLong(Files.readAllLines(data.resolve("pg").resolve("postmaster.pid"))
                            .get(0)
                            .strip());
            AtomicBoolean load = new AtomicBoolean(true);
            ExecutorService devices = Executors.newFixedThreadPool(4);
            for (int t = 0; t < 4; t++) {
                devices.submit(() -> {
                    while (load.get()) {
                        String device = UUID.randomUUID().toString();
                        try {
                            if (postStats(first, device)) {
                                acknowledged.add(device);
                            }
                        } catch (Exception killed) {
                            // the server died under this request: not acknowledged
                        }
                    }
                    return null;
                });
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((System.nanoTime() < until || acknowledged.size() < 50) && System.nanoTime() < giveUp) {
                Thread.sleep(50);
            }
            first.kill();
            load.set(false);
            devices.shutdown();
            assertThat(devices.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        } catch (Exception | AssertionError e) {
            first.close();
            throw e;
        }
        assertThat(ProcessHandle.of(stalePostmaster).map(ProcessHandle::isAlive))
                .as("PostgreSQL outlives a killed server")
                .contains(true);

        try (ServerProcess second =
                ServerProcess.on(data).env("UPDRAFT_ADMIN_API_KEY", KEY).start()) {
            assertThat(second.stdout())
                    .contains("did not stop cleanly still runs (pid " + stalePostmaster + "): stopping it");
            assertThat(ProcessHandle.of(stalePostmaster)
                            .map(ProcessHandle::isAlive)
                            .orElse(false))
                    .isFalse();
            Set<String> stored = storedDevices(second);
            assertThat(acknowledged).as("acknowledged before the kill").hasSizeGreaterThanOrEqualTo(50);
            assertThat(stored).as("events after the restart").containsAll(acknowledged);
        }
    }

    /** Posts one event of {@code device}; true when the server acknowledged it (2xx, and the event's result is ok). */
    static boolean postStats(ServerProcess server, String device) throws Exception {
        InfoObject info = InfoObject.builder()
                .platform(Platform.ANDROID)
                .deviceId(device)
                .appId(APP)
                .versionBuild("1.0.0")
                .versionName("1.0.0")
                .versionOs("14")
                .pluginVersion("8.51.23")
                .isEmulator(false)
                .isProd(true)
                .build();
        byte[] body = StatsEvent.toJsonArray(
                List.of(StatsEvent.of(info, "app_moved_to_foreground", "1.0.0", null, System.currentTimeMillis())));
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url("/stats")))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() / 100 == 2
                && r.body().contains("\"status\":\"ok\"")
                && !r.body().contains("\"error\"");
    }

    /** Every device id among the app's stored events, page by page. */
    static Set<String> storedDevices(ServerProcess server) throws Exception {
        Set<String> devices = new HashSet<>();
        String cursor = null;
        List<String> pages = new ArrayList<>();
        do {
            HttpResponse<String> page = admin(
                    server,
                    "GET",
                    "/api/v1/apps/" + APP + "/events?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor),
                    null);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            pages.add(page.body());
            Matcher d = DEVICE.matcher(page.body());
            while (d.find()) {
                devices.add(d.group(1));
            }
            Matcher c = CURSOR.matcher(page.body());
            cursor = c.find() ? c.group(1) : null;
        } while (cursor != null && pages.size() < 1000);
        return devices;
    }

    static HttpResponse<String> admin(ServerProcess server, String method, String path, String json) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(server.url(path)))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
