package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.newApp;
import static dev.updraft.server.api.ReleaseHealthApiTest.rolloutTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.fixtures.WebhookReceiver;
import dev.updraft.server.device.OfferRecorder;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.webhook.WebhookOutbox;
import dev.updraft.server.webhook.WebhookSender;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * An app's webhook (docs/admin-api.md, "Webhooks"; docs/operations.md, "Webhooks"): set, shown, removed; rollout
 * actions delivered signed to a real receiver on loopback; retries with backoff; nothing for a rolled-back
 * transaction; bad URLs refused; the secret in no answer after the one that set it, and in no log line. The scheduled
 * sender is off in tests; each test runs it itself with the instant it runs at.
 */
@QuarkusTest
class WebhookApiTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    WebhookSender sender;

    @Inject
    WebhookOutbox outbox;

    @Inject
    OfferRecorder offers;

    static JsonPath setWebhook(String app, Map<String, Object> body) {
        return admin().body(body)
                .put("/api/v1/apps/{a}/webhook", app)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static List<Map<String, Object>> deliveries(String app) {
        return Api.all("/api/v1/apps/{a}/webhook/deliveries", app);
    }

    /** One run of the sender as if at {@code at} (the rows of other tests that are due then are sent too). */
    void sendAt(Instant at) {
        sender.send(at);
    }

    @Test
    void aPauseAndAPromotion_areDeliveredSigned_andTheGeneratedSecretIsShownOnce() throws Exception {
        String app = newApp("hook");
        rolloutTo(app, 2);
        try (WebhookReceiver receiver = new WebhookReceiver("unknown-yet")) {
            JsonPath set = setWebhook(app, Map.of("url", receiver.url()));
            String secret = set.getString("secret");
            assertThat(secret).startsWith("whsec_").hasSize(6 + 64);
            receiver.secret(secret);
            assertThat(set.getString("url")).isEqualTo(receiver.url());
            String shown = admin().get("/api/v1/apps/{a}/webhook", app)
                    .then()
                    .statusCode(200)
                    .body("url", equalTo(receiver.url()))
                    .extract()
                    .asString();
            assertThat(shown).doesNotContain(secret).doesNotContain("\"secret\"");

            offers.flush(); // offers are written in batches (updraft.devices.flush-interval); the event's funnel
            // counts them
            admin().post("/api/v1/apps/{a}/channels/production/rollout/pause", app)
                    .then()
                    .statusCode(200);
            admin().post("/api/v1/apps/{a}/channels/production/rollout/pause", app)
                    .then()
                    .statusCode(200); // already paused: no event
            assertThat(deliveries(app)).singleElement().satisfies(d -> {
                assertThat(d)
                        .containsEntry("event_type", "rollout.paused")
                        .containsEntry("state", "pending")
                        .containsEntry("attempts", 0);
            });
            sendAt(Instant.now());

            assertThat(receiver.received()).singleElement().satisfies(r -> {
                assertThat(r.signed()).as(r.signature()).isTrue();
                assertThat(r.type()).isEqualTo("rollout.paused");
            });
            JsonNode body = JSON.readTree(receiver.received().get(0).body());
            assertThat(body.path("id").asText())
                    .isEqualTo(receiver.received().get(0).id());
            assertThat(body.path("type").asText()).isEqualTo("rollout.paused");
            assertThat(body.path("app_id").asText()).isEqualTo(app);
            assertThat(Instant.parse(body.path("created_at").asText()))
                    .isBefore(Instant.now().plusSeconds(1));
            JsonNode data = body.path("data");
            assertThat(data.path("channel").asText()).isEqualTo("production");
            assertThat(data.path("version").asText()).isEqualTo("1.0.2");
            assertThat(data.path("stable_version").asText()).isEqualTo("1.0.1");
            assertThat(data.path("rollout_percentage_bps").asInt()).isEqualTo(10_000);
            assertThat(data.path("actor").asText()).isEqualTo("configured"); // the test's admin key
            assertThat(data.path("reason").asText()).isEqualTo("paused by an operator");
            assertThat(data.path("funnel").path("offered").asInt()).isEqualTo(2);
            assertThat(data.path("funnel").path("installed").asInt()).isEqualTo(2);
            assertThat(data.path("policy").path("action").asText()).isEqualTo("pause");

            admin().post("/api/v1/apps/{a}/channels/production/rollout/promote", app)
                    .then()
                    .statusCode(200);
            sendAt(Instant.now());
            assertThat(receiver.received()).hasSize(2);
            assertThat(receiver.received().get(1).type()).isEqualTo("rollout.promoted");
            assertThat(receiver.received().get(1).signed()).isTrue();

            List<Map<String, Object>> log = deliveries(app);
            assertThat(log)
                    .extracting(d -> d.get("event_type"))
                    .containsExactly("rollout.promoted", "rollout.paused"); // newest first
            assertThat(log)
                    .allSatisfy(d -> assertThat(d)
                            .containsEntry("state", "delivered")
                            .containsEntry("attempts", 1)
                            .containsEntry("last_status", 204)
                            .containsEntry("next_attempt_at", null));
            assertThat(admin().get("/api/v1/apps/{a}/webhook/deliveries", app).asString())
                    .doesNotContain(secret);
        }
    }

    @Test
    void a500IsTriedAgainWithBackoff_untilA2xx_andNoLogLineHoldsTheSecret() throws Exception {
        String app = newApp("retry");
        rolloutTo(app, 1);
        String secret = "my-own-secret-0123456789";
        List<String> lines = new ArrayList<>();
        Handler capture = capture(lines);
        try (WebhookReceiver receiver = new WebhookReceiver(secret, 500, 503)) {
            assertThat(setWebhook(app, Map.of("url", receiver.url(), "secret", secret))
                            .getString("secret"))
                    .isEqualTo(secret);
            admin().post("/api/v1/apps/{a}/channels/production/rollout/rollback", app)
                    .then()
                    .statusCode(200);

            Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // the API shows milliseconds
            sendAt(t0);
            assertThat(deliveries(app))
                    .singleElement()
                    .satisfies(d -> assertThat(d)
                            .containsEntry("state", "pending")
                            .containsEntry("attempts", 1)
                            .containsEntry("last_status", 500)
                            .containsEntry("last_error", "HTTP 500"));
            Instant next = Instant.parse((String) deliveries(app).get(0).get("next_attempt_at"));
            assertThat(next).isEqualTo(t0.plusSeconds(10));
            sendAt(t0.plusSeconds(9)); // not due yet
            assertThat(receiver.received()).hasSize(1);

            sendAt(t0.plusSeconds(10));
            assertThat(deliveries(app).get(0)).containsEntry("attempts", 2).containsEntry("last_status", 503);
            assertThat(Instant.parse((String) deliveries(app).get(0).get("next_attempt_at")))
                    .isEqualTo(t0.plusSeconds(30));

            sendAt(t0.plusSeconds(30));
            assertThat(deliveries(app))
                    .singleElement()
                    .satisfies(d -> assertThat(d)
                            .containsEntry("state", "delivered")
                            .containsEntry("attempts", 3)
                            .containsEntry("last_status", 204)
                            .containsEntry("last_error", null));
            assertThat(receiver.received()).hasSize(3).allSatisfy(r -> {
                assertThat(r.signed()).isTrue();
                assertThat(r.type()).isEqualTo("rollout.rolled_back");
            });
            assertThat(receiver.received())
                    .extracting(WebhookReceiver.Delivery::id)
                    .containsOnly(receiver.received().get(0).id());
            sendAt(t0.plusSeconds(3600));
            assertThat(receiver.received())
                    .as("delivered once: never sent again")
                    .hasSize(3);
        } finally {
            java.util.logging.Logger.getLogger("").removeHandler(capture);
        }
        assertThat(lines).as("the capture saw the sender's lines").anyMatch(l -> l.contains("HTTP 500"));
        assertThat(lines).noneMatch(l -> l.contains(secret));
    }

    @Test
    void aDeliveryThatNeverSucceeds_isGivenUpAfterSixAttempts() throws Exception {
        String app = newApp("giveup");
        rolloutTo(app, 1);
        try (WebhookReceiver receiver =
                new WebhookReceiver("never-mind-the-secret", 500, 500, 500, 500, 500, 500, 500, 500)) {
            setWebhook(app, Map.of("url", receiver.url(), "secret", "never-mind-the-secret"));
            admin().post("/api/v1/apps/{a}/channels/production/rollout/pause", app)
                    .then()
                    .statusCode(200);
            Instant t = Instant.now();
            for (int i = 0; i < 8; i++) {
                sendAt(t);
                t = t.plusSeconds(3600); // past any backoff
            }
            assertThat(receiver.received()).hasSize(6);
            assertThat(deliveries(app))
                    .singleElement()
                    .satisfies(d -> assertThat(d)
                            .containsEntry("state", "failed")
                            .containsEntry("attempts", 6)
                            .containsEntry("last_error", "HTTP 500")
                            .containsEntry("next_attempt_at", null));
        }
    }

    @Test
    void aRolledBackTransaction_queuesNothing_aCommittedOneQueuesOne() {
        String app = newApp("outbox");
        setWebhook(app, Map.of("url", "https://hooks.example.com/updraft"));
        long pk = QuarkusTransaction.requiringNew()
                .call(() -> AppEntity.<AppEntity>find("appId", app).firstResult().id);
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    assertThat(outbox.enqueue(
                                    pk,
                                    app,
                                    WebhookOutbox.ROLLOUT_PAUSED,
                                    Map.of("channel", "production"),
                                    Instant.now()))
                            .isPresent();
                    throw new IllegalStateException("the action failed after queueing its event");
                }))
                .hasMessageContaining("failed after queueing");
        assertThat(deliveries(app)).isEmpty();

        QuarkusTransaction.requiringNew()
                .run(() -> outbox.enqueue(
                        pk, app, WebhookOutbox.ROLLOUT_PAUSED, Map.of("channel", "production"), Instant.now()));
        assertThat(deliveries(app)).hasSize(1);
        // Outside a transaction the outbox refuses to write at all.
        assertThatThrownBy(() -> outbox.enqueue(pk, app, WebhookOutbox.ROLLOUT_PAUSED, Map.of(), Instant.now()))
                .isInstanceOf(jakarta.transaction.TransactionalException.class);
        assertThat(deliveries(app)).hasSize(1);
    }

    @Test
    void anAppWithoutAWebhook_queuesNothing_andRemovingOneFailsWhatWasPending() {
        String app = newApp("nohook");
        rolloutTo(app, 1);
        admin().post("/api/v1/apps/{a}/channels/production/rollout/pause", app)
                .then()
                .statusCode(200);
        assertThat(deliveries(app)).isEmpty();

        admin().post("/api/v1/apps/{a}/channels/production/rollout/resume", app)
                .then()
                .statusCode(200);
        setWebhook(app, Map.of("url", "http://127.0.0.1:9/hook"));
        admin().post("/api/v1/apps/{a}/channels/production/rollout/pause", app)
                .then()
                .statusCode(200);
        admin().delete("/api/v1/apps/{a}/webhook", app).then().statusCode(204);
        admin().delete("/api/v1/apps/{a}/webhook", app)
                .then()
                .statusCode(404)
                .body("error", equalTo("webhook_not_found"));
        sendAt(Instant.now());
        assertThat(deliveries(app))
                .singleElement()
                .satisfies(d -> assertThat(d)
                        .containsEntry("state", "failed")
                        .containsEntry("last_error", "the app has no webhook any more"));
    }

    @Test
    void badUrlsAndSecrets_areRefused_andChangeNothing() {
        String app = newApp("badhook");
        admin().get("/api/v1/apps/{a}/webhook", app).then().statusCode(404).body("error", equalTo("webhook_not_found"));
        for (String url : List.of(
                "ftp://example.com/hook",
                "file:///etc/passwd",
                "https://user:pw@example.com/h",
                "not a url",
                "https:///x")) {
            admin().body(Map.of("url", url))
                    .put("/api/v1/apps/{a}/webhook", app)
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("validation_failed"))
                    .body("details.field", hasItem("url"));
        }
        admin().body(Map.of())
                .put("/api/v1/apps/{a}/webhook", app)
                .then()
                .statusCode(400)
                .body("details.field", hasItem("url"));
        admin().get("/api/v1/apps/{a}/webhook", app).then().statusCode(404);

        setWebhook(app, Map.of("url", "https://hooks.example.com/a"));
        admin().body(Map.of("url", "https://hooks.example.com/b", "secret", "short"))
                .put("/api/v1/apps/{a}/webhook", app)
                .then()
                .statusCode(400)
                .body("details.field", hasItem("secret"))
                .body(not(startsWith("whsec_")));
        admin().body(Map.of("url", "https://hooks.example.com/b", "events", "all"))
                .put("/api/v1/apps/{a}/webhook", app)
                .then()
                .statusCode(400)
                .body("details.field", hasItem("events"));
        admin().body("[1]")
                .put("/api/v1/apps/{a}/webhook", app)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json"));
        admin().get("/api/v1/apps/{a}/webhook", app)
                .then()
                .statusCode(200)
                .body("url", equalTo("https://hooks.example.com/a"));
        admin().get("/api/v1/apps/{a}/webhook", "com.test.no.such.app").then().statusCode(404);
        admin().get("/api/v1/apps/{a}/webhook/deliveries", "BAD APP").then().statusCode(400);
        Api.device().get("/api/v1/apps/{a}/webhook", app).then().statusCode(401);
    }

    /** Every log line of the server (formatted), from now until the handler is removed. */
    static Handler capture(List<String> lines) {
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                String text =
                        r instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage();
                synchronized (lines) {
                    lines.add(text + (r.getThrown() == null ? "" : " " + r.getThrown()));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        h.setLevel(java.util.logging.Level.ALL);
        java.util.logging.Logger.getLogger("").addHandler(h);
        return h;
    }
}
