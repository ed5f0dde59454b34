package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.protocol.UpdateAnswer;
import dev.updraft.sim.BundleInfo;
import dev.updraft.sim.BundleStatus;
import dev.updraft.sim.SimulatedDevice;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged server on an external PostgreSQL 15 (updraft.db.url; the embedded default is not started): the seed
 * flow, then a crash and restart that keeps bundles, channels and stats.
 */
class PostgresFlowTest extends EndToEnd {
    private static EmbeddedPostgres postgres;

    @Override
    ServerProcess startServer() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        return ServerProcess.start(
                work.resolve("server-data"),
                FreePort.find(),
                Map.of(
                        "updraft.db.url", postgres.getJdbcUrl("postgres", "postgres"),
                        "updraft.db.user", "postgres",
                        "updraft.db.password", "postgres"));
    }

    @Override
    @AfterAll
    void stopStage() throws Exception {
        super.stopStage();
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theSeedFlowRunsOnPostgresAndSurvivesACrash() throws Exception {
        JsonNode health = JSON.readTree(java.net
                .URI
                .create(server.managementUrl("/q/health/ready"))
                .toURL()
                .openStream());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(server.dataDir().resolve("pg"))
                .as("no embedded PostgreSQL beside the external one")
                .doesNotExist();

        SampleProject p = encryptedApp("dev.updraft.it.postgres", "1.0.1");
        SimulatedDevice d = device(p.appId(), p.publicKeyFile());
        launchAndApply(d);
        assertThat(d.currentBundle())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.1", BundleStatus.SUCCESS);

        server.kill();
        server.restart();

        assertThat(p.versionStats("1.0.1").path("installs").asInt()).isEqualTo(1);
        SimulatedDevice fresh = device(p.appId(), p.publicKeyFile());
        launchAndApply(fresh);
        assertThat(fresh.currentBundle().version()).isEqualTo("1.0.1");
        d.checkForUpdate();
        assertThat(d.lastCheck().answer().kind()).isEqualTo(UpdateAnswer.Kind.UP_TO_DATE);
    }
}
