package dev.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code updraft init}: the plugin's URLs and public key, and with --capgo-cli the Capgo CLI's local* keys. */
class InitCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Cli cli;

    @BeforeEach
    void project() throws Exception {
        Vectors.copyProject(dir);
        cli = new Cli(dir);
    }

    JsonNode updater() throws Exception {
        return JSON.readTree(dir.resolve("capacitor.config.json").toFile())
                .path("plugins")
                .path("CapacitorUpdater");
    }

    @Test
    void writesTheServerUrlsAndThePublicKeyAndKeepsTheRest() throws Exception {
        JsonNode before = JSON.readTree(dir.resolve("capacitor.config.json").toFile());
        assertThat(cli.run("key", "create").exitCode()).isZero();
        Cli.Result r = cli.run("init", "--server", "https://updates.example.com/");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode u = updater();
        assertThat(u.path("updateUrl").asText()).isEqualTo("https://updates.example.com/updates");
        assertThat(u.path("statsUrl").asText()).isEqualTo("https://updates.example.com/stats");
        assertThat(u.path("channelUrl").asText()).isEqualTo("https://updates.example.com/channel_self");
        assertThat(u.path("publicKey").asText()).isEqualTo(Files.readString(dir.resolve(".capgo_key_v2.pub")));
        assertThat(u.has("localApi")).as("only with --capgo-cli").isFalse();
        JsonNode after = JSON.readTree(dir.resolve("capacitor.config.json").toFile());
        assertThat(after.path("appId")).isEqualTo(before.path("appId"));
        assertThat(after.path("webDir")).isEqualTo(before.path("webDir"));
    }

    @Test
    void capgoCliAddsTheLocalKeysThatPointTheCapgoCliAtTheServer() throws Exception {
        Cli.Result r = cli.run("init", "--server", "http://127.0.0.1:8080", "--capgo-cli", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode u = updater();
        assertThat(u.path("localApi").asText()).isEqualTo("http://127.0.0.1:8080/functions/v1");
        assertThat(u.path("localApiFiles").asText()).isEqualTo("http://127.0.0.1:8080/functions/v1");
        assertThat(u.path("localSupa").asText()).isEqualTo("http://127.0.0.1:8080");
        assertThat(u.path("localHost").asText()).isEqualTo("http://127.0.0.1:8080");
        assertThat(u.path("localWebHost").asText()).isEqualTo("http://127.0.0.1:8080");
        assertThat(u.path("localSupaAnon").asText()).isNotBlank();
        assertThat(r.json().path("written").path("localSupa").asText()).isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void withoutACapacitorConfigItFailsInOneLineAndWritesNothing() throws Exception {
        Files.delete(dir.resolve("capacitor.config.json"));
        Cli.Result r = cli.run("init", "--server", "https://updates.example.com");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("capacitor.config.json");
        assertThat(dir.resolve("capacitor.config.json")).doesNotExist();
    }
}
