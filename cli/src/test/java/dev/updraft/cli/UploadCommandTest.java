package dev.updraft.cli;

import static dev.updraft.cli.KeyCommandTest.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bundle upload} against a fake admin API that checks what the CLI sends. */
class UploadCommandTest {
    private static final String APP = "/api/v1/apps/" + Vectors.APP_ID;
    private static final String URL = "https://cdn.example.com/bundles/com.example.selfhosted_1.0.1.zip_encrypted.zip";

    @TempDir
    Path dir;

    Cli cli;
    FakeAdminApi api;

    @BeforeEach
    void setUp() throws Exception {
        Vectors.copyProject(dir);
        // the app ships the golden public key, as after 'key create'
        Files.copy(Vectors.file("project/capacitor.config.after-key-create.json"), dir.resolve("capacitor.config.json"), StandardCopyOption.REPLACE_EXISTING);
        api = new FakeAdminApi();
        cli = new Cli(dir);
        cli.env.put("UPDRAFT_SERVER", api.url());
        cli.env.put("UPDRAFT_API_KEY", FakeAdminApi.API_KEY);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    static String bundleJson(String version, boolean encrypted) {
        return Json.compact(Json.object().put("version", version).put("external_url", URL).put("checksum", "x")
                .put("encrypted", encrypted).put("created_at", "2025-01-01T00:00:00Z"));
    }

    static String channelJson(String name, String bundle, boolean isPublic) {
        return Json.compact(Json.object().put("name", name).put("bundle", bundle).put("public", isPublic).put("allow_device_self_set", false)
                .put("ios", true).put("android", true).put("electron", true).put("allow_dev", true).put("allow_prod", true)
                .put("allow_device", true).put("allow_emulator", true).put("disable_auto_update", "none")
                .put("disable_auto_update_under_native", true));
    }

    private Cli.Result uploadEncrypted(String... extra) {
        String[] base = {"bundle", "upload", "--bundle", "1.0.1", "--external", URL, "--iv-session-key", Vectors.IV_SESSION_KEY,
            "--encrypted-checksum", Vectors.ENCRYPTED_CHECKSUM};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return cli.run(args);
    }

    @Test
    void registersTheEncryptedBundleAndCreatesAPublicChannelForIt() throws Exception {
        api.on("POST", APP + "/bundles", 201, bundleJson("1.0.1", true))
                .on("GET", APP + "/channels/production", 404, FakeAdminApi.error("channel_not_found", "no channel production"))
                .on("GET", APP + "/channels", 200, "[]")
                .on("POST", APP + "/channels", 201, channelJson("production", "1.0.1", true));

        Cli.Result r = uploadEncrypted();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(api.routesCalled()).containsExactly("POST " + APP + "/bundles", "GET " + APP + "/channels/production",
                "GET " + APP + "/channels", "POST " + APP + "/channels");
        FakeAdminApi.Request register = api.request("POST " + APP + "/bundles");
        assertThat(register.authorization()).isEqualTo("Bearer " + FakeAdminApi.API_KEY);
        assertThat(register.contentType()).isEqualTo("application/json");
        JsonNode body = register.body();
        assertThat(fieldNames(body)).containsExactlyInAnyOrder("version", "external_url", "checksum", "session_key", "key_id");
        assertThat(body.get("version").asText()).isEqualTo("1.0.1");
        assertThat(body.get("external_url").asText()).isEqualTo(URL);
        assertThat(body.get("checksum").asText()).isEqualTo(Vectors.ENCRYPTED_CHECKSUM);
        assertThat(body.get("session_key").asText()).isEqualTo(Vectors.IV_SESSION_KEY);
        assertThat(body.get("key_id").asText()).isEqualTo(Vectors.KEY_ID).isEqualTo("MIIBCgKCAQEAzNUtP9rS");
        JsonNode channel = api.request("POST " + APP + "/channels").body();
        assertThat(fieldNames(channel)).containsExactlyInAnyOrder("name", "bundle", "public");
        assertThat(channel.get("name").asText()).isEqualTo("production");
        assertThat(channel.get("bundle").asText()).isEqualTo("1.0.1");
        assertThat(channel.get("public").asBoolean()).isTrue();
        assertThat(r.out()).contains("Bundle 1.0.1 registered for com.example.selfhosted (encrypted, key_id MIIBCgKCAQEAzNUtP9rS)")
                .contains("made public").contains("Channel production now serves 1.0.1");
        assertThat(r.out() + r.err()).doesNotContain(FakeAdminApi.API_KEY);
    }

    @Test
    void pointsAnExistingChannelWithPatchAndAcceptsAnIdenticalReupload() throws Exception {
        api.on("POST", APP + "/bundles", 200, bundleJson("1.0.1", true))
                .on("GET", APP + "/channels/beta", 200, channelJson("beta", "1.0.0", false))
                .on("PATCH", APP + "/channels/beta", 200, channelJson("beta", "1.0.1", false));

        Cli.Result r = uploadEncrypted("--channel", "beta", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(api.routesCalled()).containsExactly("POST " + APP + "/bundles", "GET " + APP + "/channels/beta", "PATCH " + APP + "/channels/beta");
        JsonNode patch = api.request("PATCH " + APP + "/channels/beta").body();
        assertThat(fieldNames(patch)).containsExactly("bundle");
        assertThat(patch.get("bundle").asText()).isEqualTo("1.0.1");
        JsonNode out = r.json();
        assertThat(fieldNames(out)).containsExactly("app_id", "bundle", "external_url", "encrypted", "key_id", "checksum",
                "bundle_created", "channel", "channel_created", "channel_public");
        assertThat(out.get("bundle_created").asBoolean()).isFalse();
        assertThat(out.get("channel_created").asBoolean()).isFalse();
        assertThat(out.get("key_id").asText()).isEqualTo(Vectors.KEY_ID);
    }

    @Test
    void aNewChannelIsNotMadePublicWhenTheAppAlreadyHasOne() throws Exception {
        api.on("POST", APP + "/bundles", 201, bundleJson("1.0.1", true))
                .on("GET", APP + "/channels/beta", 404, FakeAdminApi.error("channel_not_found", "no channel beta"))
                .on("GET", APP + "/channels", 200, "[" + channelJson("production", "1.0.0", true) + "]")
                .on("POST", APP + "/channels", 201, channelJson("beta", "1.0.1", false));

        Cli.Result r = uploadEncrypted("-c", "beta");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode channel = api.request("POST " + APP + "/channels").body();
        assertThat(fieldNames(channel)).containsExactlyInAnyOrder("name", "bundle");
        assertThat(r.out()).contains("Channel beta created").doesNotContain("public");
    }

    @Test
    void sendsOptionalFieldsAndAnUnencryptedBundle() throws Exception {
        Files.copy(Vectors.file("project/capacitor.config.before-key-create.json"), dir.resolve("capacitor.config.json"), StandardCopyOption.REPLACE_EXISTING);
        api.on("POST", APP + "/bundles", 201, bundleJson("1.0.2", false))
                .on("GET", APP + "/channels/production", 200, channelJson("production", "1.0.1", true))
                .on("PATCH", APP + "/channels/production", 200, channelJson("production", "1.0.2", true));

        Cli.Result r = cli.run("bundle", "upload", Vectors.APP_ID, "-b", "1.0.2", "-e", "https://cdn.example.com/plain.zip",
                "--checksum", Vectors.PLAIN_SHA256.toUpperCase(), "--link", "https://example.com/notes", "--comment", "fixes",
                "--min-update-version", "1.0.0");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode body = api.request("POST " + APP + "/bundles").body();
        assertThat(fieldNames(body)).containsExactlyInAnyOrder("version", "external_url", "checksum", "min_update_version", "link", "comment");
        assertThat(body.get("checksum").asText()).isEqualTo(Vectors.PLAIN_SHA256); // lowercased, as the server stores it
        assertThat(body.get("min_update_version").asText()).isEqualTo("1.0.0");
        assertThat(r.out()).contains("(not encrypted)");
        assertThat(r.err()).doesNotContain("warning");
    }

    @Test
    void warnsThatAnUnencryptedBundleIsRefusedByAppsWithAPublicKey() throws Exception {
        api.on("POST", APP + "/bundles", 201, bundleJson("1.0.2", false))
                .on("GET", APP + "/channels/production", 200, channelJson("production", "1.0.1", true))
                .on("PATCH", APP + "/channels/production", 200, channelJson("production", "1.0.2", true));
        Cli.Result r = cli.run("bundle", "upload", "-b", "1.0.2", "-e", "https://cdn.example.com/plain.zip", "--checksum", Vectors.PLAIN_SHA256);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).contains("session_key_required");
    }

    @Test
    void acceptsHttpUrlsWithAWarning() throws Exception {
        api.on("POST", APP + "/bundles", 201, bundleJson("1.0.1", true))
                .on("GET", APP + "/channels/production", 200, channelJson("production", "1.0.0", true))
                .on("PATCH", APP + "/channels/production", 200, channelJson("production", "1.0.1", true));
        Cli.Result r = cli.run("bundle", "upload", "-b", "1.0.1", "-e", "http://127.0.0.1:9000/b.zip", "--iv-session-key", Vectors.IV_SESSION_KEY,
                "--encrypted-checksum", Vectors.ENCRYPTED_CHECKSUM, "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(api.request("POST " + APP + "/bundles").body().get("external_url").asText()).isEqualTo("http://127.0.0.1:9000/b.zip");
        JsonNode warning = Json.MAPPER.readTree(r.err().lines().findFirst().orElseThrow());
        assertThat(warning.get("warning").asText()).isEqualTo("insecure_url");
        assertThat(warning.get("message").asText()).contains("real devices need https://");
    }

    @Test
    void aRejectedVersionIsOneLineWithTheServersMessage() {
        api.on("POST", APP + "/bundles", 409, FakeAdminApi.error("version_exists", "version 1.0.1 already exists with another checksum; versions are never reused"));

        Cli.Result r = uploadEncrypted();

        assertThat(r.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(r.err()).isEqualTo("error: version 1.0.1 already exists with another checksum; versions are never reused\n");
        assertThat(api.routesCalled()).containsExactly("POST " + APP + "/bundles");

        Cli.Result json = uploadEncrypted("--json");
        assertThat(json.errorJson().get("error").asText()).isEqualTo("version_exists");
        assertThat(json.out()).isEmpty();
    }

    @Test
    void anUnknownAppSaysHowToAddIt() {
        api.on("POST", APP + "/bundles", 404, FakeAdminApi.error("app_not_found", "no app com.example.selfhosted"));
        Cli.Result r = uploadEncrypted();
        assertThat(r.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(r.err()).contains("no app com.example.selfhosted").contains("updraft app add com.example.selfhosted");
    }

    @Test
    void aRejectedApiKeyIsOneLineAndNeverPrinted() {
        cli.env.put("UPDRAFT_API_KEY", "wrong-key-value");
        Cli.Result r = uploadEncrypted();
        assertThat(r.exitCode()).isEqualTo(ExitCode.AUTH);
        assertThat(r.err()).startsWith("error: the server at " + api.url() + " rejected the API key: the API key is not valid")
                .doesNotContain("wrong-key-value");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void aMissingApiKeySaysWhereToPutItAndSendsNothing() {
        cli.env.remove("UPDRAFT_API_KEY");
        Cli.Result r = uploadEncrypted("--json");
        assertThat(r.exitCode()).isEqualTo(ExitCode.AUTH);
        assertThat(r.errorJson().get("error").asText()).isEqualTo("missing_api_key");
        assertThat(r.errorJson().get("message").asText()).contains("--apikey").contains("UPDRAFT_API_KEY").contains("admin-api-key");
        assertThat(api.requests).isEmpty();
    }

    @Test
    void anUnreachableServerIsOneLine() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Cli.Result r = uploadEncrypted("--server", "http://127.0.0.1:" + port);
        assertThat(r.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(r.err()).startsWith("error: cannot reach the Updraft server at http://127.0.0.1:" + port);
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void aSessionKeyNeedsAPublicKeyForTheKeyId() throws Exception {
        Files.copy(Vectors.file("project/capacitor.config.before-key-create.json"), dir.resolve("capacitor.config.json"), StandardCopyOption.REPLACE_EXISTING);

        Cli.Result r = uploadEncrypted();

        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("--iv-session-key needs the app's public key to compute the key_id");
        assertThat(api.requests).isEmpty();

        Vectors.copy("keys/.capgo_key_v2.pub", dir, ".capgo_key_v2.pub"); // the .pub file is the fallback
        api.on("POST", APP + "/bundles", 201, bundleJson("1.0.1", true))
                .on("GET", APP + "/channels/production", 200, channelJson("production", "1.0.0", true))
                .on("PATCH", APP + "/channels/production", 200, channelJson("production", "1.0.1", true));
        Cli.Result withPub = uploadEncrypted();
        assertThat(withPub.exitCode()).as(withPub.toString()).isZero();
        assertThat(api.request("POST " + APP + "/bundles").body().get("key_id").asText()).isEqualTo(Vectors.KEY_ID);
    }

    @Test
    void valuesMadeWithAnotherKeyOrInTheWrongFormAreRefusedBeforeSending() throws Exception {
        assertThat(cli.run("key", "create", "--force").exitCode()).isZero(); // the app now ships a different public key
        Cli.Result wrongKey = uploadEncrypted("--json");
        assertThat(wrongKey.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(wrongKey.errorJson().get("error").asText()).isEqualTo("session_key_wrong_key");

        Files.copy(Vectors.file("project/capacitor.config.after-key-create.json"), dir.resolve("capacitor.config.json"), StandardCopyOption.REPLACE_EXISTING);
        Cli.Result plainForEncrypted = cli.run("bundle", "upload", "-b", "1.0.1", "-e", URL, "--iv-session-key", Vectors.IV_SESSION_KEY,
                "--checksum", Vectors.PLAIN_SHA256);
        assertThat(plainForEncrypted.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(plainForEncrypted.err()).contains("not the zip's SHA-256");

        Cli.Result encryptedWithoutKey = cli.run("bundle", "upload", "-b", "1.0.1", "-e", URL, "--encrypted-checksum", Vectors.ENCRYPTED_CHECKSUM);
        assertThat(encryptedWithoutKey.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(encryptedWithoutKey.err()).contains("pass --iv-session-key too");

        Cli.Result both = uploadEncrypted("--checksum", Vectors.PLAIN_SHA256);
        assertThat(both.exitCode()).isEqualTo(ExitCode.USAGE);

        Cli.Result noExternal = cli.run("bundle", "upload", "-b", "1.0.1", "--checksum", Vectors.PLAIN_SHA256);
        assertThat(noExternal.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noExternal.err()).contains("--external");

        Cli.Result ftp = cli.run("bundle", "upload", "-b", "1.0.1", "-e", "ftp://x/y.zip", "--checksum", Vectors.PLAIN_SHA256);
        assertThat(ftp.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(ftp.err()).contains("--external must be an absolute https://");

        Cli.Result semver = uploadEncrypted("--min-update-version", "one");
        assertThat(semver.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(semver.err()).contains("is not a semantic version");
        assertThat(api.requests).isEmpty();
    }

    @Test
    void uploadFilePutsTheVerifiedBundleToTheStoreFirst() throws Exception {
        Vectors.copy("bundle/com.example.selfhosted_1.0.1.zip_encrypted.zip", dir, "enc.zip");
        String storeUrl = api.url() + "/store/bundles/enc.zip";
        api.on("PUT", "/store/bundles/enc.zip", 201, null)
                .on("POST", APP + "/bundles", 201, bundleJson("1.0.1", true))
                .on("GET", APP + "/channels/production", 200, channelJson("production", "1.0.0", true))
                .on("PATCH", APP + "/channels/production", 200, channelJson("production", "1.0.1", true));

        Cli.Result r = cli.run("bundle", "upload", "-b", "1.0.1", "-e", storeUrl, "--upload-file", "enc.zip", "--upload-token", "store-token",
                "--iv-session-key", Vectors.IV_SESSION_KEY, "--encrypted-checksum", Vectors.ENCRYPTED_CHECKSUM);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(api.routesCalled().get(0)).isEqualTo("PUT /store/bundles/enc.zip");
        FakeAdminApi.Request put = api.request("PUT /store/bundles/enc.zip");
        assertThat(put.authorization()).isEqualTo("Bearer store-token");
        assertThat(put.bytes()).isEqualTo(Files.readAllBytes(dir.resolve("enc.zip")));
        assertThat(api.request("POST " + APP + "/bundles").body().get("external_url").asText()).isEqualTo(storeUrl);
    }

    @Test
    void uploadFileThatDoesNotMatchTheChecksumIsNotSent() throws Exception {
        Vectors.copy("bundle/com.example.selfhosted_1.0.1.zip", dir, "plain.zip"); // not the encrypted bundle
        Cli.Result r = cli.run("bundle", "upload", "-b", "1.0.1", "-e", api.url() + "/store/x.zip", "--upload-file", "plain.zip",
                "--iv-session-key", Vectors.IV_SESSION_KEY, "--encrypted-checksum", Vectors.ENCRYPTED_CHECKSUM);
        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(api.requests).isEmpty();
    }
}
