package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.fixtures.WebhookReceiver;
import dev.updraft.sim.load.LoadConfig;
import dev.updraft.sim.load.LoadGenerator;
import dev.updraft.sim.load.LoadReport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Two packaged servers on one PostgreSQL (docs/operations.md, "Automatic pause", "Webhooks"), a fleet split between
 * them against a rollout that never confirms: both instances evaluate it every interval and both send webhooks, yet
 * the audit log has exactly one pause and the receiver exactly one {@code rollout.paused} delivery.
 */
class TwoInstancesAutoPauseTest extends EndToEnd {
    private static EmbeddedPostgres postgres;
    private static ServerProcess second;

    @Override
    ServerProcess startServer() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        return ServerProcess.start(work.resolve("server-a"), FreePort.find(), database());
    }

    private static Map<String, String> database() {
        return Map.of(
                "updraft.db.url",
                postgres.getJdbcUrl("postgres", "postgres"),
                "updraft.db.user",
                "postgres",
                "updraft.db.password",
                "postgres",
                "updraft.rollouts.auto-pause.interval",
                "3s");
    }

    @Override
    @AfterAll
    void stopStage() throws Exception {
        if (second != null) {
            second.stop();
        }
        super.stopStage();
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aFleetSplitBetweenTwoInstances_isPausedOnce_andDeliveredOnce() throws Exception {
        // The second instance shares the database, so the admin key the first generated works on both.
        second = ServerProcess.start(work.resolve("server-b"), FreePort.find(), database());
        SampleProject p = encryptedApp("dev.updraft.it.twoinstances", "1.0.1");
        String secret = "two-instances-secret-0123";
        Files.writeString(p.dir().resolve("webhook.secret"), secret + "\n");
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            p.run("webhook", "set", "--url", receiver.url(), "--secret-file", "webhook.secret");
            publish(
                    p,
                    p.release("1.0.2", p.variant("www-bad", "never ready", false), true, false),
                    "production",
                    "--rollout",
                    "50");

            BundlePublicKey key = BundlePublicKey.read(p.publicKeyFile());
            CompletableFuture<LoadReport> onA = CompletableFuture.supplyAsync(() -> fleet(server, p, key));
            CompletableFuture<LoadReport> onB = CompletableFuture.supplyAsync(() -> fleet(second, p, key));
            LoadReport a = onA.get();
            LoadReport b = onB.get();
            assertThat(a.rolledBack()).as(a.toText()).isPositive();
            assertThat(b.rolledBack()).as(b.toText()).isPositive();

            JsonNode paused = admin("/api/v1/apps/" + p.appId() + "/channels/production");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (paused.path("rollout_paused_at").isNull() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                paused = admin("/api/v1/apps/" + p.appId() + "/channels/production");
            }
            assertThat(paused.path("rollout_paused_by").asText())
                    .as(paused.toString())
                    .isEqualTo("auto");

            assertThat(receiver.await("rollout.paused", Duration.ofSeconds(15))).hasSize(1);
            // Both instances keep evaluating and sending: give them two more rounds to do it twice, if they would.
            Thread.sleep(7_000);
            assertThat(receiver.ofType("rollout.paused"))
                    .as(receiver.received().toString())
                    .singleElement()
                    .satisfies(d -> assertThat(d.signed()).isTrue());
            List<JsonNode> pausedDeliveries = new java.util.ArrayList<>();
            admin("/api/v1/apps/" + p.appId() + "/webhook/deliveries")
                    .path("entries")
                    .forEach(e -> {
                        if ("rollout.paused".equals(e.path("event_type").asText())) {
                            pausedDeliveries.add(e);
                        }
                    });
            assertThat(pausedDeliveries).singleElement().satisfies(e -> {
                assertThat(e.path("state").asText()).isEqualTo("delivered");
                assertThat(e.path("attempts").asInt()).isEqualTo(1);
            });

            long autoPauses = 0;
            for (JsonNode e : admin("/api/v1/audit?limit=200").path("entries")) {
                if ("auto-pause".equals(e.path("key_name").asText())
                        && p.appId().equals(e.path("path_params").path("app_id").asText())) {
                    autoPauses++;
                }
            }
            assertThat(autoPauses).isEqualTo(1);
            // The second instance sees the same pause.
            assertThat(p.run("channel", "list", "--server", second.url()).stdout())
                    .contains("paused by auto");
        }
    }

    private static LoadReport fleet(ServerProcess target, SampleProject p, BundlePublicKey key) {
        try {
            return LoadGenerator.run(LoadConfig.builder()
                    .server(target.url())
                    .appId(p.appId())
                    .devices(300)
                    .duration(Duration.ofSeconds(15))
                    .rate(60)
                    .concurrency(16)
                    .download(true)
                    .downloadConcurrency(4)
                    .sendStats(true)
                    .publicKey(key)
                    .neverReady(List.of("1.0.2"))
                    .build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
