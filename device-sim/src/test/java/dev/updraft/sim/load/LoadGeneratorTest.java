package dev.updraft.sim.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.sim.FakeUpdateServer;
import dev.updraft.sim.FakeUpdateServer.Reply;
import dev.updraft.sim.store.MockStore;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadGeneratorTest {
    @TempDir
    Path tmp;

    @Test
    void aShortRunsCountsAddUp() throws Exception {
        Files.createDirectories(tmp.resolve("store"));
        Files.write(tmp.resolve("store/b.zip"), new byte[12_345]);
        try (FakeUpdateServer server = new FakeUpdateServer();
                MockStore store = MockStore.start(tmp.resolve("store"), 0, null)) {
            AtomicInteger n = new AtomicInteger();
            Set<String> deviceIds = ConcurrentHashMap.newKeySet();
            server.updates = r -> {
                JsonObject info = r.object();
                deviceIds.add(info.getString("device_id"));
                int i = n.incrementAndGet();
                if (i % 10 == 0) {
                    return Reply.raw(500, "oops"); // an error bucket
                }
                if (i % 10 == 1) {
                    return Reply.json(
                            200, new JsonObject().put("error", "no_channel").put("kind", "failed"));
                }
                if (!"1.0.1".equals(info.getString("version_name"))) {
                    return Reply.json(
                            200,
                            new JsonObject()
                                    .put("version", "1.0.1")
                                    .put("url", store.url("/b.zip"))
                                    .put("checksum", "00".repeat(32))
                                    .put("session_key", ""));
                }
                return FakeUpdateServer.NO_NEW_VERSION;
            };
            LoadReport r = LoadGenerator.run(LoadConfig.builder()
                    .server(server.url())
                    .appId("com.example.load")
                    .devices(40)
                    .duration(Duration.ofSeconds(2))
                    .rate(150)
                    .concurrency(16)
                    .download(true)
                    .downloadConcurrency(4)
                    .sendStats(true)
                    .build());

            assertThat(r.checksCompleted()).isEqualTo(r.resultsTotal() + r.errorsTotal());
            assertThat(r.checksSent()).isEqualTo(r.checksCompleted() + r.unfinished());
            assertThat(r.checksCompleted()).isEqualTo(server.updateRequests.size());
            // that the open schedule never runs ahead of the rate is OpenScheduleTest's, on a clock it moves; how many
            // checks a (busy) machine gets through in 2 s is not a property of the code
            assertThat(r.checksCompleted()).isPositive();
            assertThat(r.errors()).containsOnlyKeys("http_500");
            assertThat(r.errors().get("http_500")).isEqualTo(r.checksCompleted() / 10);
            assertThat(r.results()).containsKeys("update", "failed");
            assertThat(r.failedCodes()).containsOnlyKeys("no_channel");
            assertThat(r.downloadsCompleted()).isPositive();
            assertThat(r.downloadBytes()).isEqualTo(12_345L * (r.downloadsCompleted()));
            assertThat(r.downloadsStarted())
                    .isEqualTo(r.downloadsCompleted()
                            + r.downloadErrors().values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum());
            assertThat(store.requests("/b.zip")).hasSize((int) r.downloadsStarted());
            assertThat(r.statsPosts()).isEqualTo(r.downloadsCompleted());
            // each install: set, then app_launch_ready (the bundle called notifyAppReady), in one batch
            assertThat(server.statsEvents()).hasSize(2 * (int) r.statsPosts());
            assertThat(server.statsEvents())
                    .filteredOn(e -> e.getString("action").equals("set"))
                    .hasSize((int) r.statsPosts());
            assertThat(server.statsEvents())
                    .filteredOn(e -> e.getString("action").equals("app_launch_ready"))
                    .hasSize((int) r.statsPosts());
            assertThat(r.rolledBack()).isZero();
            assertThat(r.results().getOrDefault("up_to_date", 0L))
                    .as("installed devices report 1.0.1 and are up to date")
                    .isPositive();
            assertThat(deviceIds).hasSize(40);
            assertThat(r.latencyP50Ms()).isPositive().isLessThanOrEqualTo(r.latencyP90Ms());
            assertThat(r.latencyP90Ms()).isLessThanOrEqualTo(r.latencyP99Ms());
            assertThat(r.latencyP99Ms()).isLessThanOrEqualTo(r.latencyMaxMs());
            assertThat(r.toJson().getJsonObject("checks").getLong("completed")).isEqualTo(r.checksCompleted());
            assertThat(r.toText()).contains("checks/s").contains("p99");
        }
    }

    @Test
    void aBundleThatNeverCallsNotifyAppReady_isRolledBack_andNeverInstalledAgain() throws Exception {
        Files.createDirectories(tmp.resolve("store"));
        Files.write(tmp.resolve("store/b.zip"), new byte[1_000]);
        try (FakeUpdateServer server = new FakeUpdateServer();
                MockStore store = MockStore.start(tmp.resolve("store"), 0, null)) {
            server.updates = r -> Reply.json(
                    200,
                    new JsonObject()
                            .put("version", "1.0.1")
                            .put("url", store.url("/b.zip"))
                            .put("checksum", "00".repeat(32))
                            .put("session_key", ""));
            LoadReport r = LoadGenerator.run(LoadConfig.builder()
                    .server(server.url())
                    .appId("com.example.load")
                    .devices(10)
                    .duration(Duration.ofSeconds(2))
                    .rate(100)
                    .concurrency(8)
                    .download(true)
                    .downloadConcurrency(4)
                    .sendStats(true)
                    .neverReady(List.of("1.0.1"))
                    .build());
            assertThat(r.downloadsCompleted()).isPositive().isLessThanOrEqualTo(10);
            assertThat(r.rolledBack()).isEqualTo(r.downloadsCompleted());
            assertThat(store.requests("/b.zip"))
                    .as("each device downloads the bad bundle once")
                    .hasSize((int) r.downloadsStarted());
            assertThat(server.statsEvents())
                    .filteredOn(e -> e.getString("action").equals("update_fail"))
                    .hasSize((int) r.rolledBack())
                    .allSatisfy(e -> assertThat(e.getString("version_name")).isEqualTo("1.0.1"));
            assertThat(server.statsEvents())
                    .noneMatch(e -> e.getString("action").equals("app_launch_ready"));
            // rolled back to the built-in bundle, each device keeps being offered 1.0.1 and keeps refusing it
            assertThat(server.updateRequests)
                    .allSatisfy(u ->
                            assertThat(u.object().getString("version_name")).isEqualTo("1.0.0"));
            assertThat(r.toText()).contains("rolled back: " + r.rolledBack());
        }
    }

    @Test
    void loadDevicesPlayThePluginVersionTheyAreGiven() throws Exception {
        Files.createDirectories(tmp.resolve("store"));
        Files.write(tmp.resolve("store/b.zip"), new byte[1_000]);
        dev.updraft.crypto.BundlePublicKey key =
                dev.updraft.crypto.BundlePrivateKey.generate().publicKey();
        try (FakeUpdateServer server = new FakeUpdateServer();
                MockStore store = MockStore.start(tmp.resolve("store"), 0, null)) {
            AtomicInteger n = new AtomicInteger();
            server.updates = r -> n.incrementAndGet() % 2 == 0
                    ? Reply.json(
                            200,
                            new JsonObject()
                                    .put("error", "key_id_mismatch")
                                    .put("message", "m")
                                    .put("kind", "blocked"))
                    : Reply.json(
                            200,
                            new JsonObject()
                                    .put("version", "1.0.1")
                                    .put("url", store.url("/b.zip"))
                                    .put("checksum", "00".repeat(32))
                                    .put("session_key", ""));
            LoadReport r = LoadGenerator.run(LoadConfig.builder()
                    .server(server.url())
                    .appId("com.example.load")
                    .devices(4)
                    .duration(Duration.ofMillis(600))
                    .concurrency(2)
                    .download(true)
                    .sendStats(true)
                    .pluginVersion("7.30.0")
                    .publicKey(key)
                    .build());

            assertThat(server.updateRequests).isNotEmpty().allSatisfy(q -> {
                assertThat(q.object().getString("plugin_version")).isEqualTo("7.30.0");
                assertThat(q.object().containsKey("key_id")).isFalse();
                assertThat(q.headers().get("User-Agent"))
                        .isEqualTo("CapacitorUpdater/7.30.0 (com.example.load) android/14");
            });
            assertThat(r.results())
                    .as("7.30 has no 'blocked': the block is a failure")
                    .doesNotContainKey("blocked")
                    .containsKey("failed");
            assertThat(r.failedCodes()).containsOnlyKeys("key_id_mismatch");
            assertThat(r.statsPosts()).isPositive();
            assertThat(server.statsRequests)
                    .allSatisfy(q -> assertThat(q.json()).isInstanceOf(JsonObject.class));
        }
        LoadConfig current = LoadConfig.builder()
                .server("http://127.0.0.1:1")
                .appId("com.example.load")
                .publicKey(key)
                .build();
        assertThat(current.keyId())
                .hasSize(20)
                .isEqualTo(key.toPem()
                        .replaceAll("-----[A-Z ]+-----", "")
                        .replaceAll("\\s", "")
                        .substring(0, 20));
        assertThat(LoadConfig.builder()
                        .server("http://127.0.0.1:1")
                        .appId("com.example.load")
                        .pluginVersion("8.30.0")
                        .publicKey(key)
                        .build()
                        .keyId())
                .isEqualTo("MIIB");
    }

    @Test
    void sequentialIdsAreBenchFleetIdsTheSameInEveryRun() throws Exception {
        try (FakeUpdateServer server = new FakeUpdateServer()) {
            Set<String> deviceIds = ConcurrentHashMap.newKeySet();
            server.updates = r -> {
                deviceIds.add(r.object().getString("device_id"));
                return FakeUpdateServer.NO_NEW_VERSION;
            };
            LoadConfig cfg = LoadConfig.builder()
                    .server(server.url())
                    .appId("com.example.load")
                    .devices(3)
                    .duration(Duration.ofMillis(400))
                    .concurrency(2)
                    .sequentialIds(true)
                    .build();
            LoadReport first = LoadGenerator.run(cfg);
            assertThat(first.results()).containsOnlyKeys("up_to_date");
            Set<String> firstIds = Set.copyOf(deviceIds);
            deviceIds.clear();
            LoadGenerator.run(cfg);
            assertThat(firstIds)
                    .containsExactlyInAnyOrder(
                            "00000000-0000-4000-8000-000000000001",
                            "00000000-0000-4000-8000-000000000002",
                            "00000000-0000-4000-8000-000000000003")
                    .isEqualTo(deviceIds);
        }
    }

    @Test
    void aClosedLoopKeepsTheConcurrencyBusyAndCountsTransportErrors() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        LoadReport r = LoadGenerator.run(LoadConfig.builder()
                .updateUrl("http://127.0.0.1:" + closedPort + "/updates")
                .appId("com.example.load")
                .devices(5)
                .duration(Duration.ofMillis(500))
                .concurrency(4)
                .timeoutMs(1000)
                .build());
        assertThat(r.checksCompleted()).isPositive();
        assertThat(r.errors()).containsOnlyKeys("network_error");
        assertThat(r.errorsTotal()).isEqualTo(r.checksCompleted());
        assertThat(r.resultsTotal()).isZero();
    }
}
