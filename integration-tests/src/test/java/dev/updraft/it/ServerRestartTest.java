package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.protocol.StatsEvent;
import dev.updraft.sim.SimulatedDevice;
import dev.updraft.sim.StatsDelivery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The server is killed (no graceful shutdown) and restarted in the middle of a run of 100 simulated devices. Every
 * stats event the server acknowledged with a 2xx before or after the crash must be in its database: the plugin drops
 * a batch once it is acknowledged, so an acknowledged event that was not stored would be lost for good.
 */
class ServerRestartTest extends EndToEnd {
    private static final int DEVICES = 100;

    @Test
    void aCrashAndRestartMidRunLosesNoAcknowledgedStatsEvent() throws Exception {
        SampleProject p = encryptedApp("dev.updraft.it.restart", "1.0.1");

        List<SimulatedDevice> fleet = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            fleet.add(device(p.appId(), p.publicKeyFile()));
        }
        AtomicInteger finished = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> runs = new ArrayList<>();
        for (SimulatedDevice d : fleet) {
            runs.add(pool.submit(() -> {
                launchAndApply(d);
                d.background();
                finished.incrementAndGet();
            }));
        }
        while (finished.get() < DEVICES / 3) {
            Thread.sleep(20);
        }
        server.kill();
        int atCrash = finished.get();
        Thread.sleep(500); // devices keep running against a dead server: checks fail, stats stay queued
        server.restart();
        for (Future<?> run : runs) {
            run.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertThat(atCrash).as("the crash happened mid-run").isLessThan(DEVICES);

        // One more session each, so that what was queued during the outage is delivered.
        for (SimulatedDevice d : fleet) {
            d.foreground();
            d.background();
        }

        int acknowledged = 0;
        for (SimulatedDevice d : fleet) {
            assertThat(d.pendingStats())
                    .as("device %s has undelivered stats", d.deviceId())
                    .isEmpty();
            Map<String, Integer> acked = new HashMap<>();
            for (StatsDelivery delivery : d.statsDeliveries()) {
                if (delivery.httpStatus() >= 200 && delivery.httpStatus() < 300) {
                    for (StatsEvent e : delivery.events()) {
                        acked.merge(key(e.action(), e.versionName()), 1, Integer::sum);
                        acknowledged++;
                    }
                }
            }
            Map<String, Integer> stored = new HashMap<>();
            // One page holds them all: a few events per device, limit 1000 (docs/admin-api.md, "Lists and paging").
            JsonNode page = admin("/api/v1/apps/" + p.appId() + "/events?device_id=" + d.deviceId() + "&limit=1000");
            assertThat(page.path("next_cursor").isNull())
                    .as("one page of events")
                    .isTrue();
            for (JsonNode e : page.path("entries")) {
                stored.merge(
                        key(e.path("action").asText(), e.path("version_name").asText()), 1, Integer::sum);
            }
            for (Map.Entry<String, Integer> a : acked.entrySet()) {
                assertThat(stored.getOrDefault(a.getKey(), 0))
                        .as("device %s, event %s", d.deviceId(), a.getKey())
                        .isGreaterThanOrEqualTo(a.getValue());
            }
        }
        assertThat(acknowledged).isGreaterThan(DEVICES * 5);
        // Delivery is at least once: a batch stored just before the kill but never answered is sent again, so an
        // install can be counted twice; none may be missing.
        assertThat(p.versionStats("1.0.1").path("installs").asInt()).isGreaterThanOrEqualTo(DEVICES);
    }

    private static String key(String action, String version) {
        return action + "@" + version;
    }
}
