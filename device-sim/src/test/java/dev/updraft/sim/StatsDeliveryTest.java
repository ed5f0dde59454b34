package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.StatsEvent;
import dev.updraft.sim.FakeUpdateServer.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §3.1: batches are JSON arrays; 408/429/5xx are retried, other 4xx dropped; the queue is persisted and capped. */
class StatsDeliveryTest extends DeviceTestSupport {

    private SimulatedDevice quietDevice() {
        return device(config().autoUpdate(AutoUpdateMode.OFF).build(), "phone");
    }

    @Test
    void aBatchRefusedWith503IsSentAgainLaterInOrder() {
        server.stats = r -> Reply.json(503, new JsonObject().put("error", "busy"));
        SimulatedDevice d = quietDevice();
        d.launch();
        assertThat(actions(d.pendingStats()))
                .containsExactly("app_launch_start", "app_launch_ready", "app_moved_to_foreground");
        assertThat(d.sentStats()).isEmpty();
        assertThat(d.statsDeliveries()).extracting(StatsDelivery::outcome).containsExactly("requeued");

        server.stats = r -> Reply.json(200, new JsonObject().put("status", "ok"));
        d.background();
        assertThat(d.pendingStats()).isEmpty();
        FakeUpdateServer.Recorded last = server.statsRequests.get(server.statsRequests.size() - 1);
        assertThat(last.json()).isInstanceOf(JsonArray.class);
        assertThat(actionsOf(((JsonArray) last.json())
                        .stream().map(o -> (JsonObject) o).toList()))
                .containsExactly(
                        "app_launch_start", "app_launch_ready", "app_moved_to_foreground", "app_moved_to_background");
        assertThat(last.headers().get("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void aBatchRefusedWith400IsDropped() {
        server.stats = r -> Reply.json(400, new JsonObject().put("error", "bad"));
        SimulatedDevice d = quietDevice();
        d.launch();
        assertThat(d.pendingStats()).isEmpty();
        assertThat(actions(d.droppedStats()))
                .containsExactly("app_launch_start", "app_launch_ready", "app_moved_to_foreground");
        server.stats = r -> Reply.json(200, new JsonObject());
        d.background();
        assertThat(server.statsActions())
                .filteredOn("app_launch_start"::equals)
                .as("never resent")
                .hasSize(1);
        assertThat(d.sentActions()).containsExactly("app_moved_to_background");
    }

    @Test
    void timeoutsAnd408AndConnectionErrorsAreRetried() {
        server.stats = r -> Reply.json(408, new JsonObject());
        SimulatedDevice d = quietDevice();
        d.launch();
        assertThat(d.pendingStats()).hasSize(3);
        server.stats = r -> Reply.json(429, new JsonObject().put("error", "slow"));
        d.background();
        assertThat(d.pendingStats()).hasSize(4);
        server.stats = r -> Reply.json(200, new JsonObject());
        d.foreground();
        assertThat(d.pendingStats()).isEmpty();
        assertThat(d.sentStats()).hasSize(5);
    }

    @Test
    void theQueueSurvivesARestartAndIsCappedAt200() throws Exception {
        server.stats = r -> Reply.json(500, new JsonObject());
        SimulatedDevice d = quietDevice();
        d.launch();
        d.kill();
        assertThat(Files.readString(d.stateDir().resolve("noBackupFiles/capgo_pending_stats.json")))
                .contains("app_launch_start");

        SimulatedDevice again = quietDevice();
        assertThat(again.pendingStats()).hasSize(3);
        again.launch();
        for (int i = 0; i < 110; i++) {
            again.background();
            again.foreground();
        }
        List<StatsEvent> pending = again.pendingStats();
        assertThat(pending).hasSize(200);
        assertThat(again.droppedStats()).hasSize(3 + 3 + 220 - 200);
        assertThat(pending.get(0).action()).as("the oldest were dropped").isNotEqualTo("app_launch_start");

        server.stats = r -> Reply.json(200, new JsonObject());
        again.flushStats();
        assertThat(server.statsRequests.get(server.statsRequests.size() - 1).json())
                .isInstanceOfSatisfying(
                        JsonArray.class, a -> assertThat(a.size()).isEqualTo(200));
    }

    @Test
    void anEmptyStatsUrlDisablesStats() {
        SimulatedDevice d =
                device(config().statsUrl("").autoUpdate(AutoUpdateMode.OFF).build(), "silent");
        d.launch();
        d.background();
        assertThat(server.statsRequests).isEmpty();
        assertThat(d.pendingStats()).isEmpty();
    }
}
