package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.fixtures.WebhookReceiver;
import dev.updraft.sim.load.LoadConfig;
import dev.updraft.sim.load.LoadGenerator;
import dev.updraft.sim.load.LoadReport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A fleet against a rollout whose bundle never calls notifyAppReady (docs/operations.md, "Automatic pause"): 2,000
 * load-mode devices, 1.0.2 rolled out to 20 % by {@code bundle upload --rollout 20}. The packaged server pauses the
 * rollout by itself within a minute of the first failures, no device outside the share ever installs 1.0.2, the
 * failures are counted for 1.0.2, not for the running bundle, and the app's webhook (set with {@code updraft webhook
 * set}) gets one signed {@code rollout.paused} delivery.
 */
class RolloutAutoPauseTest extends EndToEnd {
    static final int DEVICES = 2000;
    static final int SHARE_BPS = 2000;

    @Test
    void aRolloutThatNeverConfirmsIsPausedByItself() throws Exception {
        SampleProject p = encryptedApp("dev.updraft.it.rollout", "1.0.1");
        String secret = "it-webhook-secret-0123456789";
        java.nio.file.Files.writeString(p.dir().resolve("webhook.secret"), secret + "\n");
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            p.run("webhook", "set", "--url", receiver.url(), "--secret-file", "webhook.secret");
            pausedByItself(p, receiver);
        }
    }

    private void pausedByItself(SampleProject p, WebhookReceiver receiver) throws Exception {
        publish(
                p,
                p.release("1.0.2", p.variant("www-bad", "never ready", false), true, false),
                "production",
                "--rollout",
                "20");
        JsonNode channel = admin("/api/v1/apps/" + p.appId() + "/channels/production");
        assertThat(channel.path("bundle").asText()).isEqualTo("1.0.1");
        assertThat(channel.path("rollout_version").asText()).isEqualTo("1.0.2");
        String rolloutId = channel.path("rollout_id").asText();

        // Devices on their built-in bundle: outside the share they install 1.0.1 and confirm it; inside, 1.0.2, which
        // never confirms: set, update_fail, back to the built-in bundle, never installed again.
        LoadReport report = LoadGenerator.run(LoadConfig.builder()
                .server(server.url())
                .appId(p.appId())
                .devices(DEVICES)
                .duration(Duration.ofSeconds(25))
                .rate(300)
                .concurrency(32)
                .download(true)
                .downloadConcurrency(8)
                .sendStats(true)
                .publicKey(BundlePublicKey.read(p.publicKeyFile()))
                .neverReady(List.of("1.0.2"))
                .build());
        assertThat(report.rolledBack()).as(report.toText()).isPositive();

        JsonNode paused = waitForPause(p.appId(), Duration.ofSeconds(60));
        assertThat(paused.path("rollout_paused_by").asText())
                .as(paused.toString())
                .isEqualTo("auto");
        assertThat(paused.path("rollout_pause_reason").asText()).contains("devices failed 1.0.2");

        List<JsonNode> failures = events(p.appId(), "update_fail");
        assertThat(failures)
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.path("version_name").asText()).isEqualTo("1.0.2"));
        Instant firstFailure = failures.stream()
                .map(e -> Instant.parse(e.path("received_at").asText()))
                .min(Instant::compareTo)
                .orElseThrow();
        Instant pausedAt = Instant.parse(paused.path("rollout_paused_at").asText());
        assertThat(Duration.between(firstFailure, pausedAt))
                .as("paused within a minute of the first failure")
                .isLessThan(Duration.ofSeconds(60));

        // Only devices of the share installed it: the bucket of docs/protocol.md §2.11, computed here from its
        // definition.
        List<JsonNode> installs = new ArrayList<>(events(p.appId(), "set"));
        installs.removeIf(e -> !e.path("version_name").asText().equals("1.0.2"));
        assertThat(installs)
                .isNotEmpty()
                .allSatisfy(
                        e -> assertThat(bucket(rolloutId, e.path("device_id").asText()))
                                .isLessThan(SHARE_BPS));
        assertThat(installs.size()).as("about a fifth of the fleet at most").isLessThan(DEVICES * 3 / 10);

        JsonNode v102 = p.versionStats("1.0.2");
        assertThat(v102.path("funnel").path("rolled_back").asInt())
                .as(v102.toString())
                .isPositive();
        assertThat(v102.path("failures").asInt()).isPositive();
        assertThat(p.versionStats("1.0.1").path("failures").asInt())
                .as("the running bundle is not blamed")
                .isZero();

        JsonNode audit = admin("/api/v1/audit?limit=100");
        long autoEntries = 0;
        for (JsonNode e : audit.path("entries")) {
            if ("auto-pause".equals(e.path("key_name").asText())
                    && p.appId().equals(e.path("path_params").path("app_id").asText())) {
                autoEntries++;
            }
        }
        assertThat(autoEntries).as(audit.toString()).isEqualTo(1);

        List<WebhookReceiver.Delivery> deliveries = receiver.await("rollout.paused", Duration.ofSeconds(15));
        assertThat(deliveries)
                .as(receiver.received().toString())
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.signed()).as("signature and replay window").isTrue();
                    JsonNode body = JSON.readTree(d.body());
                    assertThat(body.path("id").asText()).isEqualTo(d.id());
                    assertThat(body.path("app_id").asText()).isEqualTo(p.appId());
                    assertThat(body.path("data").path("version").asText()).isEqualTo("1.0.2");
                    assertThat(body.path("data").path("stable_version").asText())
                            .isEqualTo("1.0.1");
                    assertThat(body.path("data").path("actor").asText()).isEqualTo("auto-pause");
                    assertThat(body.path("data").path("outcomes").path("failed").asInt())
                            .isPositive();
                });
        JsonNode log = JSON.readTree(p.run("webhook", "deliveries", "--json").stdout());
        assertThat(log).as(log.toString()).anySatisfy(e -> {
            assertThat(e.path("event_type").asText()).isEqualTo("rollout.paused");
            assertThat(e.path("state").asText()).isEqualTo("delivered");
        });
    }

    private static JsonNode waitForPause(String appId, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode c = admin("/api/v1/apps/" + appId + "/channels/production");
        while (c.path("rollout_paused_at").isNull() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            c = admin("/api/v1/apps/" + appId + "/channels/production");
        }
        return c;
    }

    /** Every event of the app with this action, page by page. */
    private static List<JsonNode> events(String appId, String action) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = admin("/api/v1/apps/" + appId + "/events?limit=1000&action=" + action
                    + (cursor == null ? "" : "&cursor=" + cursor));
            page.path("entries").forEach(out::add);
            cursor = page.path("next_cursor").isNull()
                            || page.path("next_cursor").isMissingNode()
                    ? null
                    : page.path("next_cursor").asText();
        } while (cursor != null);
        return out;
    }

    /** SHA-256(rollout id, "\n", device id in lower case): the first 8 bytes, unsigned, modulo 10,000. */
    static int bucket(String rolloutId, String deviceId) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((rolloutId + "\n" + deviceId.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
        byte[] d = sha.digest();
        return new java.math.BigInteger(1, java.util.Arrays.copyOf(d, 8))
                .mod(java.math.BigInteger.valueOf(10_000))
                .intValue();
    }
}
