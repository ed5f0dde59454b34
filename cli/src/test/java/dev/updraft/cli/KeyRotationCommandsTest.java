package dev.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.crypto.BundlePrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key rotation on the command line (docs/operations.md, "Key rotation"): {@code key create --rotate} beside the current
 * key, {@code key delete_old} after a confirmation and a check with the server; and the parity commands {@code doctor},
 * {@code bundle cleanup}, {@code channel currentBundle}, {@code app set --default-key-id} against a stand-in admin API.
 */
class KeyRotationCommandsTest {
    private static final String APP = "/api/v1/apps/" + Vectors.APP_ID;

    @TempDir
    Path dir;

    Cli cli;
    FakeAdminApi api;

    @BeforeEach
    void setUp() throws Exception {
        Vectors.copyProject(dir);
        api = new FakeAdminApi();
        cli = new Cli(dir);
        cli.env.put("UPDRAFT_SERVER", api.url());
        cli.env.put("UPDRAFT_API_KEY", FakeAdminApi.API_KEY);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private String keyId(String file) throws Exception {
        return BundlePrivateKey.read(dir.resolve(file)).publicKey().keyId();
    }

    @Test
    void rotateMakesTheNextKeyBesideTheCurrentOne_ownerOnly_andNeverOverIt() throws Exception {
        assertThat(cli.run("key", "create").exitCode()).isZero();
        byte[] current = Files.readAllBytes(dir.resolve(".capgo_key_v2"));
        String config = Files.readString(dir.resolve("capacitor.config.json"));

        Cli.Result r = cli.run("key", "create", "--rotate");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.readAllBytes(dir.resolve(".capgo_key_v2"))).isEqualTo(current);
        assertThat(Files.readString(dir.resolve("capacitor.config.json")))
                .as("the config keeps the current key until the new native build")
                .isEqualTo(config);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(".capgo_key_v2.next"))))
                .isEqualTo("rw-------");
        assertThat(keyId(".capgo_key_v2.next")).isNotEqualTo(keyId(".capgo_key_v2"));
        assertThat(r.out()).contains("key_id: " + keyId(".capgo_key_v2.next"), "1. Ship the new public key", "3. ");

        byte[] next = Files.readAllBytes(dir.resolve(".capgo_key_v2.next"));
        Cli.Result again = cli.run("key", "create", "--rotate", "--json");
        assertThat(again.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(again.errorJson().path("error").asText()).isEqualTo("rotation_in_progress");
        assertThat(Files.readAllBytes(dir.resolve(".capgo_key_v2.next"))).isEqualTo(next);
        assertThat(cli.run("key", "create", "--rotate", "--force").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void rotateNeedsACurrentKey() {
        Cli.Result r = cli.run("key", "create", "--rotate");
        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("updraft key create");
        assertThat(Files.exists(dir.resolve(".capgo_key_v2.next"))).isFalse();
    }

    @Test
    void deleteOld_asksForYes_isRefusedWhileAChannelServesTheOldKey_thenRetiresIt() throws Exception {
        assertThat(cli.run("key", "create").exitCode()).isZero();
        assertThat(cli.run("key", "create", "--rotate").exitCode()).isZero();
        String oldId = keyId(".capgo_key_v2");
        String nextId = keyId(".capgo_key_v2.next");

        Cli.Result unconfirmed = cli.run("key", "delete_old");
        assertThat(unconfirmed.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unconfirmed.err()).contains(".capgo_key_v2", "--yes");
        assertThat(api.requests).isEmpty();

        String channel = Json.compact(Json.object().put("name", "production").put("bundle", "1.0.1"));
        String bundle = Json.compact(Json.object()
                .put("version", "1.0.1")
                .put("key_id", nextId)
                .set("variants", Json.MAPPER.createArrayNode().add(Json.object().put("key_id", oldId))));
        // the first run sees 1.0.1 (both keys) on production; the second 1.0.2 (the new key only)
        api.on("GET", APP + "/channels", 200, FakeAdminApi.page(null, channel));
        api.on("GET", APP + "/channels", 200, FakeAdminApi.page(null, channel.replace("1.0.1", "1.0.2")));
        api.on("GET", APP + "/bundles/1.0.1", 200, bundle);
        Cli.Result inUse = cli.run("key", "delete_old", "--yes", "--json");
        assertThat(inUse.exitCode()).as(inUse.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(inUse.errorJson().path("error").asText()).isEqualTo("key_in_use");
        assertThat(inUse.errorJson().path("message").asText()).contains("channel production (1.0.1)");
        assertThat(keyId(".capgo_key_v2")).as("nothing deleted").isEqualTo(oldId);

        String retired = Json.compact(Json.object().put("version", "1.0.2").put("key_id", nextId));
        api.on("GET", APP + "/bundles/1.0.2", 200, retired);
        Cli.Result done = cli.run("key", "delete_old", "--yes", "--json");
        assertThat(done.exitCode()).as(done.toString()).isZero();
        assertThat(done.json().path("deletedKeyId").asText()).isEqualTo(oldId);
        assertThat(done.json().path("deleted").toString()).contains(".capgo_key_v2\"", ".capgo_key_v2.pub\"");
        assertThat(keyId(".capgo_key_v2")).isEqualTo(nextId);
        assertThat(Files.exists(dir.resolve(".capgo_key_v2.next"))).isFalse();
        assertThat(Files.exists(dir.resolve(".capgo_key_v2.next.pub"))).isFalse();
    }

    @Test
    void doctorAgainstAnUnreachableServer_exitsNonZeroWithOneErrorLine() throws Exception {
        api.close(); // nothing listens there any more
        Cli.Result r = cli.run("doctor");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).contains("server");
        assertThat(r.out()).contains("ok    config", "fail  server", "skip  app", "skip  channel");
    }

    @Test
    void doctorPassesEveryCheck_andFailsTheChannelItCannotFind() throws Exception {
        Files.copy(
                Vectors.file("project/capacitor.config.after-key-create.json"),
                dir.resolve("capacitor.config.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Vectors.file("keys/.capgo_key_v2"), dir.resolve(".capgo_key_v2"));
        api.on("GET", "/api/v1/apps", 200, FakeAdminApi.page(null));
        api.on(
                "GET",
                APP,
                200,
                Json.compact(Json.object().put("app_id", Vectors.APP_ID).put("name", "Demo")));
        api.on(
                "GET",
                APP + "/channels/production",
                200,
                Json.compact(Json.object().put("bundle", "1.0.1")));
        Cli.Result ok = cli.run("doctor", "--json");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.json().path("ok").asBoolean()).isTrue();
        assertThat(ok.json().path("checks").size()).isEqualTo(5);

        api.on("GET", APP + "/channels/beta", 404, FakeAdminApi.error("channel_not_found", "No channel 'beta'"));
        Cli.Result missing = cli.run("doctor", "--channel", "beta");
        assertThat(missing.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(missing.out()).contains("fail  channel");
    }

    @Test
    void cleanupKeepsTheNewestAndEveryBundleAChannelServes_andDeletesOnlyWithYes() {
        String[] versions = {"1.0.5", "1.0.4", "1.0.3", "1.0.2", "1.0.1"}; // newest first, as the server lists them
        String[] entries = new String[versions.length];
        for (int i = 0; i < versions.length; i++) {
            entries[i] = Json.compact(Json.object().put("version", versions[i]));
        }
        api.on("GET", APP + "/bundles", 200, FakeAdminApi.page(null, entries));
        api.on(
                "GET",
                APP + "/channels",
                200,
                FakeAdminApi.page(
                        null,
                        Json.compact(Json.object().put("name", "production").put("bundle", "1.0.2"))));
        Cli.Result preview = cli.run("bundle", "cleanup", "--keep", "2");
        assertThat(preview.exitCode()).as(preview.toString()).isZero();
        assertThat(preview.out()).contains("1.0.3, 1.0.1");
        assertThat(api.routesCalled()).noneMatch(r -> r.startsWith("DELETE"));

        api.on("DELETE", APP + "/bundles/1.0.3", 204, null);
        api.on("DELETE", APP + "/bundles/1.0.1", 204, null);
        Cli.Result done = cli.run("bundle", "cleanup", "--keep", "2", "--yes");
        assertThat(done.exitCode()).as(done.toString()).isZero();
        assertThat(api.routesCalled().stream().filter(r -> r.startsWith("DELETE")))
                .containsExactly("DELETE " + APP + "/bundles/1.0.3", "DELETE " + APP + "/bundles/1.0.1");
        assertThat(cli.run("bundle", "cleanup", "--keep", "-1").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void currentBundleAndAppSetDefaultKey() {
        api.on(
                "GET",
                APP + "/channels/production",
                200,
                Json.compact(Json.object().put("bundle", "1.0.7")));
        Cli.Result r = cli.run("channel", "currentBundle", "production");
        assertThat(r.out().strip()).isEqualTo("1.0.7");

        api.on("PATCH", APP, 200, Json.compact(Json.object().put("default_key_id", "MIIBCgKCAQEAzNUtP9rS")));
        assertThat(cli.run("app", "set", "--default-key-id", "MIIBCgKCAQEAzNUtP9rS")
                        .exitCode())
                .isZero();
        assertThat(api.request("PATCH " + APP).body().path("default_key_id").asText())
                .isEqualTo("MIIBCgKCAQEAzNUtP9rS");
        assertThat(cli.run("app", "set", "--default-key-id", "MIIB").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void compatibilityAppliesTheChannelsRulesAndTheProjectsKey() {
        api.on(
                "GET",
                APP + "/channels/production",
                200,
                Json.compact(Json.object()
                        .put("bundle", "1.5.0")
                        .put("disable_auto_update", "major")
                        .put("disable_auto_update_under_native", true)));
        api.on(
                "GET",
                APP + "/bundles",
                200,
                FakeAdminApi.page(
                        null,
                        Json.compact(Json.object().put("version", "2.0.0")),
                        Json.compact(Json.object().put("version", "1.5.0")),
                        Json.compact(Json.object()
                                .put("version", "1.4.0")
                                .put("encrypted", true)
                                .put("key_id", "MIIBCgKCAQEAotherKey1")),
                        Json.compact(Json.object().put("version", "1.0.0"))));
        Cli.Result r =
                cli.run("bundle", "compatibility", "--native-version", "1.2.0", "--public-key", "pub.pem", "--json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.FAILED); // no such key file yet

        cli.run("key", "create");
        r = cli.run("bundle", "compatibility", "--native-version", "1.2.0", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        java.util.Map<String, String> why = new java.util.LinkedHashMap<>();
        r.json()
                .path("bundles")
                .forEach(b -> why.put(
                        b.path("version").asText(),
                        b.path("compatible").asBoolean()
                                ? "yes"
                                : b.path("reason").asText()));
        assertThat(why.get("2.0.0")).contains("major");
        assertThat(why.get("1.5.0")).isEqualTo("yes");
        assertThat(why.get("1.4.0")).contains("not encrypted for key");
        assertThat(why.get("1.0.0")).contains("older than the native version");
        assertThat(cli.run("bundle", "compatibility", "--native-version", "one").exitCode())
                .isEqualTo(ExitCode.USAGE);
    }
}
