package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.newApp;
import static dev.updraft.server.api.ReleaseHealthApiTest.rolloutTo;
import static dev.updraft.server.api.ReleaseHealthApiTest.stats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.updraft.fixtures.WebhookReceiver;
import dev.updraft.server.admin.AutoPauseJob;
import dev.updraft.server.release.AutoPause;
import dev.updraft.server.webhook.WebhookSender;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The automatic-pause policy per channel (docs/admin-api.md, "Automatic pause per channel"): its fields, the server's
 * settings as defaults, refusals, and each action (pause, rollback, notify) with its webhook event.
 */
@QuarkusTest
class ChannelAutoPauseApiTest {
    @Inject
    AutoPauseJob autoPause;

    @Inject
    WebhookSender sender;

    static io.restassured.response.Response patch(String app, Map<String, Object> body) {
        return admin().body(body).patch("/api/v1/apps/{a}/channels/production", app);
    }

    List<AutoPauseJob.Acted> actedOn(String app) {
        return actedOn(autoPause.evaluate(Instant.now()), app);
    }

    /** One evaluation acts on every app's rollouts; what it did to {@code app}'s. */
    static List<AutoPauseJob.Acted> actedOn(List<AutoPauseJob.Acted> acted, String app) {
        return acted.stream().filter(a -> a.appId().equals(app)).toList();
    }

    @Test
    void aChannelsOwnValues_replaceTheServersSettings_andNullTakesThemBack() {
        String app = newApp("policy");
        rolloutTo(app, 0);
        admin().get("/api/v1/apps/{a}/channels/production", app)
                .then()
                .statusCode(200)
                .body("auto_pause_min_attempts", nullValue())
                .body("auto_pause_action", nullValue())
                .body("auto_pause.min_attempts", equalTo(20))
                .body("auto_pause.min_failures", equalTo(3))
                .body("auto_pause.max_failure_rate", equalTo(0.10f))
                .body("auto_pause.confidence", equalTo(0.95f))
                .body("auto_pause.action", equalTo("pause"));
        patch(
                        app,
                        ch(
                                "auto_pause_min_attempts",
                                5,
                                "auto_pause_min_failures",
                                2,
                                "auto_pause_max_failure_rate",
                                0.25,
                                "auto_pause_confidence",
                                0.9,
                                "auto_pause_action",
                                "notify"))
                .then()
                .statusCode(200)
                .body("auto_pause_min_attempts", equalTo(5))
                .body("auto_pause_action", equalTo("notify"))
                .body("auto_pause.min_attempts", equalTo(5))
                .body("auto_pause.min_failures", equalTo(2))
                .body("auto_pause.max_failure_rate", equalTo(0.25f))
                .body("auto_pause.confidence", equalTo(0.9f))
                .body("auto_pause.action", equalTo("notify"));
        patch(app, ch("auto_pause_min_attempts", null, "auto_pause_action", null))
                .then()
                .statusCode(200)
                .body("auto_pause_min_attempts", nullValue())
                .body("auto_pause.min_attempts", equalTo(20))
                .body("auto_pause.action", equalTo("pause"))
                .body("auto_pause.min_failures", equalTo(2));
        // A new channel can be created with its policy.
        admin().body(ch("name", "beta", "auto_pause_action", "rollback"))
                .post("/api/v1/apps/{a}/channels", app)
                .then()
                .statusCode(201)
                .body("auto_pause.action", equalTo("rollback"));
    }

    @Test
    void valuesThePolicyRefuses_areNamed_andChangeNothing() {
        String app = newApp("badpolicy");
        rolloutTo(app, 0);
        patch(
                        app,
                        ch(
                                "auto_pause_min_attempts",
                                0,
                                "auto_pause_min_failures",
                                "3",
                                "auto_pause_max_failure_rate",
                                1.0,
                                "auto_pause_confidence",
                                0.3,
                                "auto_pause_action",
                                "stop"))
                .then()
                .statusCode(400)
                .body("error", equalTo("validation_failed"))
                .body(
                        "details.field",
                        hasItems(
                                "auto_pause_min_attempts",
                                "auto_pause_min_failures",
                                "auto_pause_max_failure_rate",
                                "auto_pause_confidence",
                                "auto_pause_action"));
        patch(app, ch("auto_pause_max_failure_rate", -0.1))
                .then()
                .statusCode(400)
                .body("details.field", hasItems("auto_pause_max_failure_rate"));
        patch(app, ch("auto_pause_action", "PAUSE")).then().statusCode(400);
        admin().get("/api/v1/apps/{a}/channels/production", app)
                .then()
                .statusCode(200)
                .body("auto_pause_min_attempts", nullValue())
                .body("auto_pause_action", nullValue())
                .body("auto_pause.min_attempts", equalTo(20));
        admin().body(ch("name", "beta", "auto_pause_confidence", 1.5))
                .post("/api/v1/apps/{a}/channels", app)
                .then()
                .statusCode(400);
        admin().get("/api/v1/apps/{a}/channels/beta", app).then().statusCode(404);
    }

    @Test
    void aLowMinimumPausesASmallRollout_whereTheServersSettingsWouldWait_andTheWebhookHearsOfIt() throws Exception {
        String small = newApp("smallpolicy");
        String defaults = newApp("defaultpolicy");
        for (String app : List.of(small, defaults)) {
            List<String> devices = rolloutTo(app, 6);
            devices.forEach(d -> stats(app, d, "update_fail", "1.0.2"));
        }
        patch(small, ch("auto_pause_min_attempts", 5, "auto_pause_min_failures", 2))
                .then()
                .statusCode(200);
        try (WebhookReceiver receiver = new WebhookReceiver("a-secret-of-sixteen-chars")) {
            WebhookApiTest.setWebhook(small, Map.of("url", receiver.url(), "secret", "a-secret-of-sixteen-chars"));
            List<AutoPauseJob.Acted> acted = autoPause.evaluate(Instant.now());
            assertThat(actedOn(acted, defaults))
                    .as("6 devices: too early under the server's 20")
                    .isEmpty();
            assertThat(actedOn(acted, small))
                    .singleElement()
                    .satisfies(a -> assertThat(a.response()).isEqualTo(AutoPause.Response.PAUSE));
            admin().get("/api/v1/apps/{a}/channels/production", small)
                    .then()
                    .body("rollout_paused_by", equalTo("auto"))
                    .body("rollout_pause_reason", containsString("6 of 6 devices failed 1.0.2"));
            sender.send(Instant.now());
            assertThat(receiver.received()).singleElement().satisfies(r -> {
                assertThat(r.type()).isEqualTo("rollout.paused");
                assertThat(r.signed()).isTrue();
                assertThat(r.body())
                        .contains("\"actor\":\"auto-pause\"")
                        .contains("\"failed\":6")
                        .contains("\"min_attempts\":5")
                        .contains("6 of 6 devices failed 1.0.2");
            });
        }
        admin().get("/api/v1/apps/{a}/channels/production", defaults).then().body("rollout_paused_at", nullValue());
    }

    @Test
    void rollback_endsTheRollout_andNotify_warnsOnceAndLeavesItRunning() {
        String rollback = newApp("rollbackpolicy");
        String notify = newApp("notifypolicy");
        for (String app : List.of(rollback, notify)) {
            List<String> devices = rolloutTo(app, 20);
            devices.forEach(d -> stats(app, d, "update_fail", "1.0.2"));
            WebhookApiTest.setWebhook(app, Map.of("url", "https://hooks.example.com/" + app));
        }
        patch(rollback, ch("auto_pause_action", "rollback")).then().statusCode(200);
        patch(notify, ch("auto_pause_action", "notify")).then().statusCode(200);

        List<AutoPauseJob.Acted> acted = autoPause.evaluate(Instant.now());
        assertThat(actedOn(acted, rollback))
                .singleElement()
                .satisfies(a -> assertThat(a.response()).isEqualTo(AutoPause.Response.ROLL_BACK));
        admin().get("/api/v1/apps/{a}/channels/production", rollback)
                .then()
                .body("rollout_version", nullValue())
                .body("bundle", equalTo("1.0.1"));
        assertThat(WebhookApiTest.deliveries(rollback))
                .extracting(d -> d.get("event_type"))
                .containsExactly("rollout.rolled_back");
        assertThat(AuditLogTest.entriesAbout(rollback, 5))
                .filteredOn(e -> "auto-pause".equals(e.get("key_name")))
                .singleElement()
                .satisfies(e -> assertThat(e.get("route"))
                        .isEqualTo("/api/v1/apps/{app_id}/channels/{channel}/rollout/rollback"));

        assertThat(actedOn(acted, notify))
                .singleElement()
                .satisfies(a -> assertThat(a.response()).isEqualTo(AutoPause.Response.WARN));
        assertThat(actedOn(notify)).as("warned once per rollout").isEmpty();
        admin().get("/api/v1/apps/{a}/channels/production", notify)
                .then()
                .body("rollout_paused_at", nullValue())
                .body("rollout_enabled", equalTo(true))
                .body("rollout_version", equalTo("1.0.2"));
        assertThat(WebhookApiTest.deliveries(notify))
                .extracting(d -> d.get("event_type"))
                .containsExactly("release.failure_rate_warning");
        assertThat(AuditLogTest.entriesAbout(notify, 5))
                .filteredOn(e -> "auto-pause".equals(e.get("key_name")))
                .isEmpty();

        // A new rollout bundle is a new rollout: it may be warned about again.
        Api.bundle(notify, "1.0.3");
        patch(notify, ch("rollout_version", "1.0.3")).then().statusCode(200).body("rollout_id", notNullValue());
        assertThat(actedOn(notify)).isEmpty(); // 1.0.3 has no outcomes yet
    }
}
