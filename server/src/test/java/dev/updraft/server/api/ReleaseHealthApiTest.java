package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.bundle;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static dev.updraft.server.api.Api.device;
import static dev.updraft.server.api.Api.info;
import static dev.updraft.server.api.Api.newApp;
import static dev.updraft.server.api.Api.newDevice;
import static dev.updraft.server.api.DeviceEndpointsApiTest.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.updraft.server.admin.AutoPauseJob;
import dev.updraft.server.device.OfferRecorder;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Release health that blames the right release (docs/protocol.md §3.7) and the automatic pause of a failing rollout
 * (docs/operations.md, "Automatic pause"), through the device API and the admin API. The scheduled evaluation is off
 * in tests; each test runs one evaluation itself.
 */
@QuarkusTest
class ReleaseHealthApiTest {
    @Inject
    AutoPauseJob autoPause;

    @Inject
    OfferRecorder offers;

    static void check(String app, String deviceId, String expectVersion) {
        device().body(info(app, deviceId))
                .post("/updates")
                .then()
                .statusCode(200)
                .body("version", equalTo(expectVersion));
    }

    static void stats(String app, String deviceId, String action, String versionName) {
        device().body(List.of(event(app, deviceId, action, versionName)))
                .post("/stats")
                .then()
                .statusCode(200);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> version(String app, String version) {
        List<Map<String, Object>> versions = admin().get("/api/v1/apps/{a}/stats", app)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("versions");
        return versions.stream()
                .filter(v -> v.get("version").equals(version))
                .findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> funnel(String app, String version) {
        return (Map<String, Object>) version(app, version).get("funnel");
    }

    @Test
    void failuresThatNameTheRunningBundle_countForTheOfferedRelease() {
        String app = newApp("health");
        bundle(app, "1.0.30");
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.30"));
        String d = newDevice();
        check(app, d, "1.0.30"); // running 1.0.0, offered 1.0.30
        stats(app, d, "download_zip_start", "1.0.30");
        stats(app, d, "unzip_fail", "1.0.0"); // the plugin names the running bundle
        stats(app, d, "download_fail", "1.0.0");
        stats(app, d, "app_moved_to_foreground", "1.0.0");
        offers.flush(); // offers are written in batches, every updraft.devices.flush-interval

        assertThat(version(app, "1.0.30")).containsEntry("failures", 2);
        assertThat(funnel(app, "1.0.30"))
                .containsEntry("offered", 1)
                .containsEntry("download_started", 1)
                .containsEntry("failed", 1)
                .containsEntry("installed", 0)
                .containsEntry("confirmed", 0);
        assertThat((Map<String, Object>) funnel(app, "1.0.30").get("failed_by_stage"))
                .containsEntry("unzip", 1)
                .containsEntry("download", 1);
        assertThat(version(app, "1.0.0")).containsEntry("failures", 0);

        // a device that was never offered anything: its failure stays with what it names
        String other = newDevice();
        stats(app, other, "unzip_fail", "1.0.0");
        assertThat(version(app, "1.0.0")).containsEntry("failures", 1);
    }

    /** production on 1.0.1 with 1.0.2 rolled out to every device, and {@code n} devices that got 1.0.2. */
    static List<String> rolloutTo(String app, int n) {
        bundle(app, "1.0.1");
        bundle(app, "1.0.2");
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.1"));
        admin().body(ch("rollout_version", "1.0.2", "rollout_percentage_bps", 10_000))
                .patch("/api/v1/apps/{a}/channels/production", app)
                .then()
                .statusCode(200);
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String d = newDevice();
            check(app, d, "1.0.2");
            stats(app, d, "set", "1.0.2");
            devices.add(d);
        }
        return devices;
    }

    List<AutoPauseJob.Acted> actedOn(String app) {
        return autoPause.evaluate(Instant.now()).stream()
                .filter(a -> a.appId().equals(app))
                .toList();
    }

    @Test
    void aRolloutThatNeverConfirms_isPausedOnce_withTheReason_inTheAuditLog() throws Exception {
        String app = newApp("pause");
        List<String> devices = rolloutTo(app, 25);
        // Too early: nobody has an outcome yet (set alone is not a success).
        assertThat(actedOn(app)).isEmpty();
        for (String d : devices) {
            stats(app, d, "update_fail", "1.0.2"); // rolled back: notifyAppReady never came
        }
        assertThat(funnel(app, "1.0.2"))
                .containsEntry("installed", 25)
                .containsEntry("rolled_back", 25)
                .containsEntry("failed", 25);

        // Four evaluations at once, as from four instances: exactly one pauses.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<AutoPauseJob.Acted>>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit((Callable<List<AutoPauseJob.Acted>>) () -> actedOn(app)));
            }
            int acted = 0;
            for (Future<List<AutoPauseJob.Acted>> f : runs) {
                acted += f.get().size();
            }
            assertThat(acted).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        admin().get("/api/v1/apps/{a}/channels/production", app)
                .then()
                .statusCode(200)
                .body("rollout_paused_at", notNullValue())
                .body("rollout_paused_by", equalTo("auto"))
                .body("rollout_pause_reason", containsString("25 of 25 devices failed 1.0.2"));
        // Paused: a new device of the share gets the stable bundle.
        check(app, newDevice(), "1.0.1");
        assertThat(AuditLogTest.entriesAbout(app, 5))
                .filteredOn(e -> "auto-pause".equals(e.get("key_name")))
                .hasSize(1)
                .allSatisfy(e ->
                        assertThat(e.get("route")).isEqualTo("/api/v1/apps/{app_id}/channels/{channel}/rollout/pause"));
        assertThat(actedOn(app)).as("a paused rollout is not evaluated again").isEmpty();
    }

    @Test
    void aHealthyRollout_isLeftRunning() {
        String app = newApp("healthy");
        List<String> devices = rolloutTo(app, 25);
        for (int i = 0; i < devices.size(); i++) {
            stats(app, devices.get(i), i == 0 ? "update_fail" : "app_launch_ready", "1.0.2");
        }
        assertThat(funnel(app, "1.0.2")).containsEntry("confirmed", 24).containsEntry("failed", 1);
        assertThat(actedOn(app)).isEmpty();
        admin().get("/api/v1/apps/{a}/channels/production", app)
                .then()
                .statusCode(200)
                .body("rollout_paused_at", nullValue())
                .body("rollout_enabled", equalTo(true));
    }
}
