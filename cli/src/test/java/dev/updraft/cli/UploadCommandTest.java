package dev.updraft.cli;

import static dev.updraft.cli.KeyCommandTest.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundleEncryptor;
import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.crypto.ProgressListener;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bundle upload} against a fake admin API (and a fake store on the same port) that checks what the CLI sends,
 * and in which order: nothing reaches the store before the server agreed, nothing is registered before the store
 * holds the bytes, and nothing at all is sent for input that is wrong locally.
 */
class UploadCommandTest {
    private static final String APP = "/api/v1/apps/" + Vectors.APP_ID;
    private static final String BUNDLES = "POST " + APP + "/bundles";
    private static final String URL = "https://cdn.example.com/bundles/com.example.selfhosted_1.0.1.zip_encrypted.zip";
    private static final String STORE_PATH = "/store/bundles/enc.zip";

    @TempDir
    Path dir;

    Cli cli;
    FakeAdminApi api;

    @BeforeEach
    void setUp() throws Exception {
        Vectors.copyProject(dir);
        // the app ships the golden public key, as after 'key create'
        Files.copy(
                Vectors.file("project/capacitor.config.after-key-create.json"),
                dir.resolve("capacitor.config.json"),
                StandardCopyOption.REPLACE_EXISTING);
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
        return Json.compact(Json.object()
                .put("version", version)
                .put("external_url", URL)
                .put("checksum", "x")
                .put("encrypted", encrypted)
                .put("created_at", "2025-01-01T00:00:00Z"));
    }

    static String channelJson(String name, String bundle, boolean isPublic) {
        return Json.compact(Json.object()
                .put("name", name)
                .put("bundle", bundle)
                .put("public", isPublic)
                .put("allow_device_self_set", false)
                .put("ios", true)
                .put("android", true)
                .put("electron", true)
                .put("allow_dev", true)
                .put("allow_prod", true)
                .put("allow_device", true)
                .put("allow_emulator", true)
                .put("disable_auto_update", "none")
                .put("disable_auto_update_under_native", true));
    }

    /** The server's answer to a registration that names a channel (docs/admin-api.md, "Bundles"). */
    static String published(
            String version,
            boolean bundleCreated,
            String channel,
            boolean channelCreated,
            boolean isPublic,
            boolean dryRun) {
        return "{\"bundle\":" + bundleJson(version, true) + ",\"bundle_created\":" + bundleCreated + ",\"channel\":"
                + channelJson(channel, version, isPublic) + ",\"channel_created\":" + channelCreated + ",\"dry_run\":"
                + dryRun + "}";
    }

    private Cli.Result uploadEncrypted(String... extra) {
        return cli.run(concat(
                new String[] {
                    "bundle",
                    "upload",
                    "--bundle",
                    "1.0.1",
                    "--external",
                    URL,
                    "--iv-session-key",
                    Vectors.IV_SESSION_KEY,
                    "--encrypted-checksum",
                    Vectors.ENCRYPTED_CHECKSUM
                },
                extra));
    }

    /** Uploads the golden encrypted bundle through the fake store at {@link #STORE_PATH}. */
    private Cli.Result uploadGoldenFile(String... extra) throws Exception {
        Vectors.copy("bundle/com.example.selfhosted_1.0.1.zip_encrypted.zip", dir, "enc.zip");
        return cli.run(concat(
                new String[] {
                    "bundle",
                    "upload",
                    "-b",
                    "1.0.1",
                    "-e",
                    api.url() + STORE_PATH,
                    "--upload-file",
                    "enc.zip",
                    "--upload-token",
                    "store-token",
                    "--iv-session-key",
                    Vectors.IV_SESSION_KEY,
                    "--encrypted-checksum",
                    Vectors.ENCRYPTED_CHECKSUM
                },
                extra));
    }

    private static String lastLine(String text) {
        return text.lines().reduce((a, b) -> b).orElse("");
    }

    /** The error object: the last line of stderr in --json mode (warnings come before it, one JSON line each). */
    private static JsonNode lastErrorJson(Cli.Result r) throws Exception {
        return Json.MAPPER.readTree(lastLine(r.err()));
    }

    private static String[] concat(String[] base, String[] extra) {
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return args;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void registersTheEncryptedBundleAndLinksItsChannelInOneRequest() throws Exception {
        api.on("POST", APP + "/bundles", 201, published("1.0.1", true, "production", true, true, false));

        Cli.Result r = uploadEncrypted();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(api.routesCalled()).containsExactly(BUNDLES); // no dry run without a file to upload
        FakeAdminApi.Request register = api.request(BUNDLES);
        assertThat(register.authorization()).isEqualTo("Bearer " + FakeAdminApi.API_KEY);
        assertThat(register.contentType()).isEqualTo("application/json");
        JsonNode body = register.body();
        assertThat(fieldNames(body))
                .containsExactlyInAnyOrder(
                        "version", "external_url", "checksum", "session_key", "key_id", "channel", "create_channel");
        assertThat(body.get("version").asText()).isEqualTo("1.0.1");
        assertThat(body.get("external_url").asText()).isEqualTo(URL);
        assertThat(body.get("checksum").asText()).isEqualTo(Vectors.ENCRYPTED_CHECKSUM);
        assertThat(body.get("session_key").asText()).isEqualTo(Vectors.IV_SESSION_KEY);
        assertThat(body.get("key_id").asText()).isEqualTo(Vectors.KEY_ID).isEqualTo("MIIBCgKCAQEAzNUtP9rS");
        assertThat(body.get("channel").asText()).isEqualTo("production");
        assertThat(body.get("create_channel").asBoolean()).isTrue();
        assertThat(r.out())
                .contains("Bundle 1.0.1 registered for com.example.selfhosted (encrypted, key_id MIIBCgKCAQEAzNUtP9rS)")
                .contains("Channel production created and made public")
                .contains("Channel production now serves 1.0.1");
        assertThat(r.out() + r.err()).doesNotContain(FakeAdminApi.API_KEY);
    }

    @Test
    void anIdenticalReuploadIsFineAndTheJsonSaysWhatHappened() throws Exception {
        api.on("POST", APP + "/bundles", 200, published("1.0.1", false, "beta", false, false, false));

        Cli.Result r = uploadEncrypted("--channel", "beta", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(api.request(BUNDLES).body().get("channel").asText()).isEqualTo("beta");
        JsonNode out = r.json();
        assertThat(fieldNames(out))
                .containsExactly(
                        "app_id",
                        "bundle",
                        "external_url",
                        "encrypted",
                        "key_id",
                        "checksum",
                        "upload",
                        "bundle_created",
                        "channel",
                        "channel_created",
                        "channel_public");
        assertThat(out.get("bundle_created").asBoolean()).isFalse();
        assertThat(out.get("channel_created").asBoolean()).isFalse();
        assertThat(out.get("upload").isNull()).isTrue();
        assertThat(out.get("key_id").asText()).isEqualTo(Vectors.KEY_ID);
    }

    @Test
    void aNewChannelThatIsNotPublicIsReportedAsSuch() {
        api.on("POST", APP + "/bundles", 201, published("1.0.1", true, "beta", true, false, false));
        Cli.Result r = uploadEncrypted("-c", "beta");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Channel beta created\n").doesNotContain("public");
    }

    @Test
    void sendsOptionalFieldsAndAnUnencryptedBundle() throws Exception {
        Files.copy(
                Vectors.file("project/capacitor.config.before-key-create.json"),
                dir.resolve("capacitor.config.json"),
                StandardCopyOption.REPLACE_EXISTING);
        api.on("POST", APP + "/bundles", 201, published("1.0.2", true, "production", false, true, false));

        Cli.Result r = cli.run(
                "bundle",
                "upload",
                Vectors.APP_ID,
                "-b",
                "1.0.2",
                "-e",
                "https://cdn.example.com/plain.zip",
                "--checksum",
                Vectors.PLAIN_SHA256.toUpperCase(),
                "--link",
                "https://example.com/notes",
                "--comment",
                "fixes",
                "--min-update-version",
                "1.0.0");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode body = api.request(BUNDLES).body();
        assertThat(fieldNames(body))
                .containsExactlyInAnyOrder(
                        "version",
                        "external_url",
                        "checksum",
                        "min_update_version",
                        "link",
                        "comment",
                        "channel",
                        "create_channel");
        assertThat(body.get("checksum").asText())
                .isEqualTo(Vectors.PLAIN_SHA256); // lowercased, as the server stores it
        assertThat(body.get("min_update_version").asText()).isEqualTo("1.0.0");
        assertThat(r.out()).contains("(not encrypted)");
        assertThat(r.err()).doesNotContain("warning");
    }

    @Test
    void warnsThatAnUnencryptedBundleIsRefusedByAppsWithAPublicKey() {
        api.on("POST", APP + "/bundles", 201, published("1.0.2", true, "production", false, true, false));
        Cli.Result r = cli.run(
                "bundle",
                "upload",
                "-b",
                "1.0.2",
                "-e",
                "https://cdn.example.com/plain.zip",
                "--checksum",
                Vectors.PLAIN_SHA256);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).contains("session_key_required");
    }

    @Test
    void acceptsHttpUrlsWithAWarning() throws Exception {
        api.on("POST", APP + "/bundles", 201, published("1.0.1", true, "production", false, true, false));
        Cli.Result r = cli.run(
                "bundle",
                "upload",
                "-b",
                "1.0.1",
                "-e",
                "http://127.0.0.1:9000/b.zip",
                "--iv-session-key",
                Vectors.IV_SESSION_KEY,
                "--encrypted-checksum",
                Vectors.ENCRYPTED_CHECKSUM,
                "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(api.request(BUNDLES).body().get("external_url").asText()).isEqualTo("http://127.0.0.1:9000/b.zip");
        JsonNode warning = Json.MAPPER.readTree(r.err().lines().findFirst().orElseThrow());
        assertThat(warning.get("warning").asText()).isEqualTo("insecure_url");
        assertThat(warning.get("message").asText()).contains("real devices need https://");
    }

    @Test
    void aRejectedVersionIsOneLineWithTheServersMessage() {
        api.on(
                "POST",
                APP + "/bundles",
                409,
                FakeAdminApi.error(
                        "version_exists",
                        "version 1.0.1 already exists with another checksum; versions are never reused"));

        Cli.Result r = uploadEncrypted();

        assertThat(r.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(r.err())
                .isEqualTo("error: version 1.0.1 already exists with another checksum; versions are never reused\n");
        assertThat(api.routesCalled()).containsExactly(BUNDLES);

        Cli.Result json = uploadEncrypted("--json");
        assertThat(json.errorJson().get("error").asText()).isEqualTo("version_exists");
        assertThat(json.out()).isEmpty();
    }

    @Test
    void anUnknownAppSaysHowToAddIt() {
        api.on("POST", APP + "/bundles", 404, FakeAdminApi.error("app_not_found", "no app com.example.selfhosted"));
        Cli.Result r = uploadEncrypted();
        assertThat(r.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(r.err())
                .contains("no app com.example.selfhosted")
                .contains("updraft app add com.example.selfhosted");
    }

    @Test
    void aRejectedApiKeyIsOneLineAndNeverPrinted() {
        cli.env.put("UPDRAFT_API_KEY", "wrong-key-value");
        Cli.Result r = uploadEncrypted();
        assertThat(r.exitCode()).isEqualTo(ExitCode.AUTH);
        assertThat(r.err())
                .startsWith("error: the server at " + api.url() + " rejected the API key: the API key is not valid")
                .doesNotContain("wrong-key-value");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void aMissingApiKeySaysWhereToPutItAndSendsNothing() throws Exception {
        cli.env.remove("UPDRAFT_API_KEY");
        Cli.Result r = uploadEncrypted("--json");
        assertThat(r.exitCode()).isEqualTo(ExitCode.AUTH);
        assertThat(lastErrorJson(r).get("error").asText()).isEqualTo("missing_api_key");
        assertThat(lastErrorJson(r).get("message").asText())
                .contains("--apikey")
                .contains("UPDRAFT_API_KEY")
                .contains("admin-api-key");
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
        Files.copy(
                Vectors.file("project/capacitor.config.before-key-create.json"),
                dir.resolve("capacitor.config.json"),
                StandardCopyOption.REPLACE_EXISTING);

        Cli.Result r = uploadEncrypted();

        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("--iv-session-key needs the app's public key to compute the key_id");
        assertThat(api.requests).isEmpty();

        Vectors.copy("keys/.capgo_key_v2.pub", dir, ".capgo_key_v2.pub"); // the .pub file is the fallback
        api.on("POST", APP + "/bundles", 201, published("1.0.1", true, "production", false, true, false));
        Cli.Result withPub = uploadEncrypted();
        assertThat(withPub.exitCode()).as(withPub.toString()).isZero();
        assertThat(api.request(BUNDLES).body().get("key_id").asText()).isEqualTo(Vectors.KEY_ID);
    }

    @Test
    void valuesMadeWithAnotherKeyOrInTheWrongFormAreRefusedBeforeSending() throws Exception {
        assertThat(cli.run("key", "create", "--force").exitCode()).isZero(); // the app now ships a different public key
        Cli.Result wrongKey = uploadEncrypted("--json");
        assertThat(wrongKey.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(wrongKey.errorJson().get("error").asText()).isEqualTo("session_key_wrong_key");

        Files.copy(
                Vectors.file("project/capacitor.config.after-key-create.json"),
                dir.resolve("capacitor.config.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Cli.Result plainForEncrypted = cli.run(
                "bundle",
                "upload",
                "-b",
                "1.0.1",
                "-e",
                URL,
                "--iv-session-key",
                Vectors.IV_SESSION_KEY,
                "--checksum",
                Vectors.PLAIN_SHA256);
        assertThat(plainForEncrypted.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(plainForEncrypted.err()).contains("not the zip's SHA-256");

        Cli.Result encryptedWithoutKey = cli.run(
                "bundle", "upload", "-b", "1.0.1", "-e", URL, "--encrypted-checksum", Vectors.ENCRYPTED_CHECKSUM);
        assertThat(encryptedWithoutKey.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(encryptedWithoutKey.err()).contains("pass --iv-session-key too");

        Cli.Result both = uploadEncrypted("--checksum", Vectors.PLAIN_SHA256);
        assertThat(both.exitCode()).isEqualTo(ExitCode.USAGE);

        Cli.Result noExternal = cli.run("bundle", "upload", "-b", "1.0.1", "--checksum", Vectors.PLAIN_SHA256);
        assertThat(noExternal.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noExternal.err())
                .contains("pass --external URL")
                .contains("--upload-to BASE_URL")
                .contains("--s3-bucket-name");

        Cli.Result ftp =
                cli.run("bundle", "upload", "-b", "1.0.1", "-e", "ftp://x/y.zip", "--checksum", Vectors.PLAIN_SHA256);
        assertThat(ftp.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(ftp.err()).contains("--external must be an absolute https://");

        Cli.Result uploadToWithoutFile = cli.run(
                "bundle",
                "upload",
                "-b",
                "1.0.1",
                "--upload-to",
                "https://store.example.com/b",
                "--checksum",
                Vectors.PLAIN_SHA256);
        assertThat(uploadToWithoutFile.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(uploadToWithoutFile.err()).contains("--upload-to needs --upload-file");

        Cli.Result semver = uploadEncrypted("--min-update-version", "one");
        assertThat(semver.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(semver.err()).contains("is not a semantic version");
        assertThat(api.requests).isEmpty();
    }

    @Test
    void invalidIdentifiersAreUsageErrorsAndNothingIsSent() throws Exception {
        String[][] cases = {
            {"--bundle", "..", "invalid_bundle_version"},
            {"--bundle", "1.0.1/../2", "invalid_bundle_version"},
            {"--channel", "..", "invalid_channel_name"},
            {"--channel", "a/b", "invalid_channel_name"},
            {"--channel", "", "invalid_channel_name"},
        };
        for (String[] c : cases) {
            Cli.Result r = cli.run(
                    "bundle",
                    "upload",
                    c[0],
                    c[1],
                    "-e",
                    URL,
                    "--iv-session-key",
                    Vectors.IV_SESSION_KEY,
                    "--encrypted-checksum",
                    Vectors.ENCRYPTED_CHECKSUM,
                    "--json");
            assertThat(r.exitCode()).as(String.join(" ", c)).isEqualTo(ExitCode.USAGE);
            assertThat(lastErrorJson(r).get("error").asText()).isEqualTo(c[2]);
        }
        Cli.Result badApp =
                cli.run("bundle", "upload", "..", "-b", "1.0.1", "-e", URL, "--checksum", Vectors.PLAIN_SHA256);
        assertThat(badApp.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(badApp.err())
                .startsWith("error: APP_ID: the app id must be a reverse-domain id")
                .contains("(got '..')");
        assertThat(api.requests).isEmpty();
    }

    @Test
    void uploadFileAsksTheServerFirstThenUploadsWithoutOverwritingThenRegisters() throws Exception {
        api.on("POST", APP + "/bundles", 200, published("1.0.1", true, "production", true, true, true))
                .on("POST", APP + "/bundles", 201, published("1.0.1", true, "production", true, true, false))
                .on("HEAD", STORE_PATH, 404, null)
                .on("PUT", STORE_PATH, 201, null);

        Cli.Result r = uploadGoldenFile("--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(api.routesCalled()).containsExactly(BUNDLES, "HEAD " + STORE_PATH, "PUT " + STORE_PATH, BUNDLES);
        JsonNode dryRun = api.requests.get(0).body();
        assertThat(dryRun.get("dry_run").asBoolean()).isTrue();
        JsonNode register = api.requests.get(3).body();
        assertThat(register.has("dry_run")).isFalse();
        assertThat(register.get("external_url").asText()).isEqualTo(api.url() + STORE_PATH);
        ((com.fasterxml.jackson.databind.node.ObjectNode) dryRun).remove("dry_run");
        assertThat(dryRun).isEqualTo(register); // the server was asked about exactly what is registered
        FakeAdminApi.Request put = api.request("PUT " + STORE_PATH);
        assertThat(put.authorization()).isEqualTo("Bearer store-token");
        assertThat(put.ifNoneMatch()).isEqualTo("*");
        assertThat(put.bytes()).isEqualTo(Files.readAllBytes(dir.resolve("enc.zip")));
        assertThat(r.json().get("upload").asText()).isEqualTo("created");
        assertThat(r.json().get("bundle_created").asBoolean()).isTrue();
    }

    @Test
    void aVersionThatExistsWithOtherContentIsRefusedBeforeAnyByteGoesToTheStore() throws Exception {
        api.on(
                "POST",
                APP + "/bundles",
                409,
                FakeAdminApi.error(
                        "version_exists", "Version 1.0.1 already exists with other content; use a new version name"));

        Cli.Result r = uploadGoldenFile();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(lastLine(r.err()))
                .isEqualTo(
                        "error: Version 1.0.1 already exists with other content; use a new version name; nothing was uploaded to the store");
        assertThat(api.routesCalled()).containsExactly(BUNDLES);
        assertThat(api.requests.get(0).body().get("dry_run").asBoolean()).isTrue();
    }

    @Test
    void aChannelTheServerRefusesMeansNothingUploadedAndNothingRegistered() throws Exception {
        api.on(
                "POST",
                APP + "/bundles",
                400,
                "{\"error\":\"validation_failed\",\"message\":\"channel: the channel name is longer than 128 characters\","
                        + "\"details\":[{\"field\":\"channel\",\"message\":\"the channel name is longer than 128 characters\"}]}");
        Cli.Result r = uploadGoldenFile("--channel", "production");
        assertThat(r.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(r.err()).contains("nothing was uploaded to the store");
        assertThat(api.routesCalled()).containsExactly(BUNDLES);
        assertThat(api.requests.get(0).body().get("dry_run").asBoolean()).isTrue();

        // an invalid name never even reaches the server
        Cli.Result local = uploadGoldenFile("--channel", "../production");
        assertThat(local.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(api.routesCalled()).hasSize(1);
    }

    @Test
    void otherBytesOnTheStoreAreNeverReplacedAndNothingIsRegistered() throws Exception {
        api.on("POST", APP + "/bundles", 200, published("1.0.1", true, "production", true, true, true))
                .on("HEAD", STORE_PATH, 200, null)
                .onBytes("GET", STORE_PATH, 200, "the live bundle, other bytes".getBytes(StandardCharsets.UTF_8));

        Cli.Result r = uploadGoldenFile("--json");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(lastErrorJson(r).get("error").asText()).isEqualTo("store_object_exists");
        assertThat(lastErrorJson(r).get("message").asText())
                .contains("not replaced")
                .contains("nothing was registered");
        assertThat(api.routesCalled()).containsExactly(BUNDLES, "HEAD " + STORE_PATH, "GET " + STORE_PATH);
    }

    @Test
    void aStoreThatAlreadyHoldsTheseBytesCountsAsUploaded() throws Exception {
        byte[] golden = Files.readAllBytes(Vectors.file("bundle/com.example.selfhosted_1.0.1.zip_encrypted.zip"));
        api.on("POST", APP + "/bundles", 200, published("1.0.1", false, "production", false, true, true))
                .on("POST", APP + "/bundles", 200, published("1.0.1", false, "production", false, true, false))
                .on("HEAD", STORE_PATH, 200, null)
                .onBytes("GET", STORE_PATH, 200, golden);

        Cli.Result r = uploadGoldenFile("--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(api.routesCalled()).containsExactly(BUNDLES, "HEAD " + STORE_PATH, "GET " + STORE_PATH, BUNDLES);
        assertThat(r.json().get("upload").asText()).isEqualTo("identical");
    }

    @Test
    void anObjectThatAppearsDuringTheUploadIsComparedNotReplaced() throws Exception {
        api.on("POST", APP + "/bundles", 200, published("1.0.1", true, "production", true, true, true))
                .on("HEAD", STORE_PATH, 404, null)
                .on("PUT", STORE_PATH, 412, FakeAdminApi.error("precondition_failed", "exists"))
                .onBytes("GET", STORE_PATH, 200, "someone else's bundle".getBytes(StandardCharsets.UTF_8));

        Cli.Result r = uploadGoldenFile();

        assertThat(r.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(r.err()).contains("already holds other bytes");
        assertThat(api.routesCalled())
                .containsExactly(BUNDLES, "HEAD " + STORE_PATH, "PUT " + STORE_PATH, "GET " + STORE_PATH);
    }

    @Test
    void uploadToNamesTheObjectByTheSha256OfItsBytes() throws Exception {
        Vectors.copy("bundle/com.example.selfhosted_1.0.1.zip_encrypted.zip", dir, "enc.zip");
        String object = "/store/" + Vectors.APP_ID + "/" + sha256(Files.readAllBytes(dir.resolve("enc.zip"))) + ".zip";
        api.on("POST", APP + "/bundles", 200, published("1.0.1", true, "production", true, true, true))
                .on("POST", APP + "/bundles", 201, published("1.0.1", true, "production", true, true, false))
                .on("HEAD", object, 404, null)
                .on("PUT", object, 201, null);

        Cli.Result r = cli.run(
                "bundle",
                "upload",
                "-b",
                "1.0.1",
                "--upload-to",
                api.url() + "/store/",
                "--upload-file",
                "enc.zip",
                "--iv-session-key",
                Vectors.IV_SESSION_KEY,
                "--encrypted-checksum",
                Vectors.ENCRYPTED_CHECKSUM,
                "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(api.routesCalled()).containsExactly(BUNDLES, "HEAD " + object, "PUT " + object, BUNDLES);
        assertThat(api.requests.get(3).body().get("external_url").asText()).isEqualTo(api.url() + object);
        assertThat(r.json().get("external_url").asText()).isEqualTo(api.url() + object);
    }

    @Test
    void anUploadFileThatDoesNotMatchTheChecksumIsNotSent() throws Exception {
        Vectors.copy("bundle/com.example.selfhosted_1.0.1.zip", dir, "plain.zip"); // not the encrypted bundle
        Cli.Result r = cli.run(
                "bundle",
                "upload",
                "-b",
                "1.0.1",
                "-e",
                api.url() + "/store/x.zip",
                "--upload-file",
                "plain.zip",
                "--iv-session-key",
                Vectors.IV_SESSION_KEY,
                "--encrypted-checksum",
                Vectors.ENCRYPTED_CHECKSUM);
        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(api.requests).isEmpty();
    }

    @Test
    void anEncryptedFileThatIsNotAZipIsRefusedBeforeAnythingIsSent() throws Exception {
        java.util.Set<Path> tempBefore = decryptedCopies();
        Path random = dir.resolve("random.bin");
        byte[] bytes = new byte[10_000];
        new Random(11).nextBytes(bytes);
        Files.write(random, bytes);
        // encrypted and signed with the app's real key: everything matches, except that devices could never unzip it
        BundleEncryptor.EncryptedBundle enc = new BundleEncryptor(
                        BundlePrivateKey.read(Vectors.file("keys/.capgo_key_v2")))
                .encrypt(random, dir.resolve("random.enc"), ProgressListener.NONE);

        Cli.Result r = cli.run(
                "bundle",
                "upload",
                "-b",
                "1.0.1",
                "-e",
                api.url() + "/store/x.zip",
                "--upload-file",
                "random.enc",
                "--iv-session-key",
                enc.ivSessionKey(),
                "--encrypted-checksum",
                enc.checksum().hex(),
                "--json");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(lastErrorJson(r).get("error").asText()).isEqualTo("not_a_zip");
        assertThat(lastErrorJson(r).get("message").asText()).startsWith("not a zip file");
        assertThat(api.requests).isEmpty();
        assertThat(decryptedCopies()).isEqualTo(tempBefore); // the decrypted copy is gone
    }

    private static java.util.Set<Path> decryptedCopies() throws Exception {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("updraft-upload-"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void aPlainZipWithoutIndexHtmlIsRefusedBeforeAnythingIsSent() throws Exception {
        Path zip = dir.resolve("no-index.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("js/app.js"));
            out.write("notifyAppReady()".getBytes(StandardCharsets.UTF_8));
        }
        Cli.Result r = cli.run(
                "bundle",
                "upload",
                "-b",
                "1.0.1",
                "-e",
                api.url() + "/store/x.zip",
                "--upload-file",
                "no-index.zip",
                "--checksum",
                BundleChecksum.of(zip).hex());
        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(lastLine(r.err()))
                .isEqualTo(
                        "error: index.html is neither at the root nor in a single top-level folder: devices cannot start this bundle (set_fail)");
        assertThat(api.requests).isEmpty();
    }

    @Test
    void oneCommand_dryUploadZipsAndEncryptsTheBuildAndAsksTheServerButUploadsAndRegistersNothing() throws Exception {
        Vectors.copy("keys/.capgo_key_v2", dir, ".capgo_key_v2");
        api.on("POST", APP + "/bundles", 200, published("1.0.1", true, "production", true, true, true));
        Cli.Result r = cli.run("bundle", "upload", "--bundle", "1.0.1", "--path", "www", "--dry-upload", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(api.routesCalled()).containsExactly(BUNDLES);
        JsonNode check = api.request(BUNDLES).body();
        assertThat(check.path("dry_run").asBoolean()).isTrue();
        assertThat(check.path("session_key").asText()).contains(":");
        assertThat(check.path("checksum").asText()).hasSize(512);
        assertThat(check.path("external_url").asText())
                .startsWith(api.url() + "/files/" + Vectors.APP_ID + "/")
                .endsWith(".zip");
        assertThat(r.json().path("dry_upload").asBoolean()).isTrue();
    }

    @Test
    void oneCommand_aServerThatStoredOtherBytesStopsItBeforeTheRegistration() throws Exception {
        Vectors.copy("keys/.capgo_key_v2", dir, ".capgo_key_v2");
        api.on("POST", APP + "/bundles", 200, published("1.0.1", true, "production", true, true, true));
        api.on(
                "POST",
                APP + "/files",
                201,
                "{\"name\":\"x\",\"sha256\":\"" + "0".repeat(64) + "\",\"size\":1,\"url\":\"" + api.url()
                        + "/files/x\"}");
        Cli.Result r = cli.run("bundle", "upload", "--bundle", "1.0.1", "--path", "www");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("the server stored other bytes than");
        // the dry run, the upload, and no registration after it
        assertThat(api.routesCalled()).containsExactly(BUNDLES, "POST " + APP + "/files");
        assertThat(api.request("POST " + APP + "/files").bytes()).isNotEmpty();
    }
}
