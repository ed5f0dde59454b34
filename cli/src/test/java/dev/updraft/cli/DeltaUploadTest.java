package dev.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.crypto.SignedChecksum;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bundle upload --delta} / {@code --delta-only} (docs/cli-reference.md): a store on loopback that keeps what
 * is put, and a fake admin API that records the registration. Counts the PUTs: an unchanged file is never uploaded
 * twice.
 */
class DeltaUploadTest {
    private static final String APP = "/api/v1/apps/" + Vectors.APP_ID;
    private static final String BUNDLES = "POST " + APP + "/bundles";

    @TempDir
    Path dir;

    Cli cli;
    FakeAdminApi api;
    FakeStore store;

    @BeforeEach
    void setUp() throws Exception {
        Vectors.copyProject(dir);
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.forEach(p -> p.toFile().setWritable(true));
        }
        api = new FakeAdminApi();
        store = new FakeStore();
        cli = new Cli(dir);
        cli.env.put("UPDRAFT_SERVER", api.url());
        cli.env.put("UPDRAFT_API_KEY", FakeAdminApi.API_KEY);
    }

    @AfterEach
    void stop() {
        api.close();
        store.close();
    }

    private Cli.Result upload(String version, String... extra) {
        api.on(
                        "POST",
                        APP + "/bundles",
                        200,
                        UploadCommandTest.published(version, true, "production", false, true, true))
                .on(
                        "POST",
                        APP + "/bundles",
                        201,
                        UploadCommandTest.published(version, true, "production", false, true, false));
        List<String> args = new ArrayList<>(
                List.of("bundle", "upload", "--bundle", version, "--path", "www", "--upload-to", store.url() + "/b"));
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    /** The manifest of the last registration (not the dry run). */
    private JsonNode lastManifest() {
        List<FakeAdminApi.Request> registrations;
        synchronized (api.requests) {
            registrations =
                    api.requests.stream().filter(r -> r.route().equals(BUNDLES)).toList();
        }
        JsonNode body = registrations.get(registrations.size() - 1).body();
        assertThat(body.has("dry_run")).isFalse();
        return body.get("manifest");
    }

    private static List<String> names(JsonNode manifest) {
        List<String> names = new ArrayList<>();
        manifest.forEach(e -> names.add(e.get("file_name").asText()));
        return names;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void anUnchangedFileIsNeverUploadedTwice() throws Exception {
        Cli.Result first = upload("1.0.1", "--delta");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(store.count("PUT")).isEqualTo(6); // five payloads and the zip
        JsonNode manifest = lastManifest();
        assertThat(names(manifest))
                .containsExactly(
                        "assets/data/big.txt.br", "assets/img/logo.svg", "css/style.css", "index.html", "js/app.js");
        for (JsonNode e : manifest) {
            String name = e.get("file_name").asText().replaceFirst("\\.br$", "");
            assertThat(e.get("file_hash").asText())
                    .isEqualTo(sha256(Files.readAllBytes(dir.resolve("www").resolve(name))));
            String path = e.get("download_url").asText().substring(store.url().length());
            assertThat(path).startsWith("/b/" + Vectors.APP_ID + "/delta/");
            assertThat(store.objects.get(path)).as(path).hasSize(e.get("size").asInt());
        }
        JsonNode registration =
                api.request(BUNDLES).body(); // the dry run: the full registration, before any byte went to the store
        assertThat(registration.get("dry_run").asBoolean()).isTrue();
        assertThat(registration.get("external_url").asText())
                .startsWith(store.url() + "/b/" + Vectors.APP_ID + "/")
                .endsWith(".zip");

        Files.writeString(dir.resolve("www/css/style.css"), "body { color: blue }\n");
        Cli.Result second = upload("1.0.2", "--delta", "--json");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(store.count("PUT")).isEqualTo(6 + 2); // the changed file and the new zip
        assertThat(second.json().get("delta").get("uploaded").asInt()).isEqualTo(1);
        assertThat(second.json().get("delta").get("already_stored").asInt()).isEqualTo(4);
        assertThat(store.count("GET"))
                .isZero(); // content-addressed: a payload of the right size is not downloaded to compare
        JsonNode after = lastManifest();
        for (int i = 0; i < 5; i++) {
            boolean changed = after.get(i).get("file_name").asText().equals("css/style.css");
            assertThat(after.get(i).get("download_url").equals(manifest.get(i).get("download_url")))
                    .isEqualTo(!changed);
        }
    }

    @Test
    void aFileNameWithASpaceIsRefusedInOneLineAndNothingIsSent() throws Exception {
        Files.writeString(dir.resolve("www/js/my file.js"), "x");
        Cli.Result r = upload("1.0.1", "--delta");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err().strip())
                .doesNotContain("\n")
                .contains("js/my file.js")
                .contains("space");
        assertThat(store.requests).isEmpty();
        assertThat(api.requests).isEmpty();
    }

    @Test
    void capgosSkipRulesLeaveOutToolingFilesAndEmptyFiles() throws Exception {
        Files.writeString(dir.resolve("www/.DS_Store"), "x");
        Files.createDirectories(dir.resolve("www/node_modules/lib"));
        Files.writeString(dir.resolve("www/node_modules/lib/index.js"), "x");
        Files.createDirectories(dir.resolve("www/.git"));
        Files.writeString(dir.resolve("www/.git/config"), "x");
        Files.writeString(dir.resolve("www/tsconfig.json"), "{}");
        Files.writeString(dir.resolve("www/package-lock.json"), "{}");
        Files.writeString(dir.resolve("www/js/empty.js"), "");
        Files.writeString(dir.resolve("www/js/kept.js"), "kept");
        Cli.Result r = upload("1.0.1", "--delta-only");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(names(lastManifest()))
                .containsExactly(
                        "assets/data/big.txt.br",
                        "assets/img/logo.svg",
                        "css/style.css",
                        "index.html",
                        "js/app.js",
                        "js/kept.js");
    }

    @Test
    void deltaOnlyRegistersTheManifestWithoutAZip() throws Exception {
        Cli.Result r = upload("1.0.1", "--delta-only");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(store.count("PUT")).isEqualTo(5);
        assertThat(store.objects.keySet()).allMatch(k -> k.contains("/delta/"));
        JsonNode body = api.request(BUNDLES).body();
        assertThat(body.has("external_url")).isFalse();
        assertThat(body.has("checksum")).isFalse();
        assertThat(body.get("manifest")).hasSize(5);
    }

    @Test
    void brotliOptionsAreHonoured() throws Exception {
        assertThat(upload("1.0.1", "--delta-only", "--no-brotli-patterns", "*.png, *.txt")
                        .exitCode())
                .isZero();
        assertThat(names(lastManifest())).contains("assets/data/big.txt").noneMatch(n -> n.endsWith(".br"));
        assertThat(upload("1.0.2", "--delta-only", "--no-brotli-patterns", "assets/data/**")
                        .exitCode())
                .isZero();
        assertThat(names(lastManifest())).contains("assets/data/big.txt");
        assertThat(upload("1.0.3", "--delta-only", "--disable-brotli").exitCode())
                .isZero();
        assertThat(names(lastManifest())).contains("assets/data/big.txt");
        assertThat(upload("1.0.4", "--delta-only").exitCode()).isZero();
        assertThat(names(lastManifest())).contains("assets/data/big.txt.br");
    }

    @Test
    void anUpdaterThatCannotInstallDeltasIsRefusedBeforeAnythingIsSent() throws Exception {
        Files.writeString(
                dir.resolve("package.json"),
                "{\"version\":\"1.0.0\",\"dependencies\":{\"@capgo/capacitor-updater\":\"^6.24.9\"}}");
        Cli.Result old = upload("1.0.1", "--delta");
        assertThat(old.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(old.err()).contains("6.24.9").contains("6.25.0");
        Files.writeString(dir.resolve("package.json"), "{\"version\":\"1.0.0\"}");
        Cli.Result unknown = upload("1.0.1", "--delta", "--json");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.errorJson().get("error").asText()).isEqualTo("missing_updater_version");
        assertThat(store.requests).isEmpty();
        assertThat(api.requests).isEmpty();
        assertThat(upload("1.0.1", "--delta-only", "--updater-version", "7.0.30")
                        .exitCode())
                .isZero();
    }

    @Test
    void deltaNeedsAStoreBaseAndMakesItsOwnZip() throws Exception {
        Cli.Result external = cli.run(
                "bundle",
                "upload",
                "--bundle",
                "1.0.1",
                "--path",
                "www",
                "--delta",
                "--external",
                store.url() + "/x.zip",
                "--checksum",
                Vectors.PLAIN_SHA256);
        assertThat(external.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(external.err()).contains("--upload-to");
        Cli.Result withFile = upload("1.0.1", "--delta", "--upload-file", "x.zip");
        assertThat(withFile.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(withFile.err()).contains("makes the zip");
        assertThat(store.requests).isEmpty();
    }

    @Test
    void otherBytesAtAPayloadsAddressAreNeverReplacedAndNothingIsRegistered() throws Exception {
        assertThat(upload("1.0.1", "--delta-only").exitCode()).isZero();
        String taken = lastManifest()
                .get(1)
                .get("download_url")
                .asText()
                .substring(store.url().length());
        store.objects.put(taken, "someone else's bytes".getBytes(StandardCharsets.UTF_8));
        int registrations =
                (int) api.routesCalled().stream().filter(BUNDLES::equals).count();
        Cli.Result r = upload("1.0.2", "--delta-only");
        assertThat(r.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(r.err()).contains("already holds other bytes");
        assertThat(new String(store.objects.get(taken), StandardCharsets.UTF_8)).isEqualTo("someone else's bytes");
        assertThat(api.routesCalled().stream().filter(BUNDLES::equals).count())
                .isEqualTo(registrations + 1); // the dry run only
    }

    @Test
    void anEncryptedAppGetsEncryptedPayloadsSignedHashesAndAReusableSessionKeyOnlyOnRequest() throws Exception {
        Files.copy(
                Vectors.file("project/capacitor.config.after-key-create.json"),
                dir.resolve("capacitor.config.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Vectors.file("keys/.capgo_key_v2"), dir.resolve(".capgo_key_v2"));
        BundlePublicKey pub = BundlePublicKey.read(Vectors.file("keys/.capgo_key_v2.pub"));
        Cli.Result first = upload("1.0.1", "--delta");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        JsonNode registration = api.request(BUNDLES).body();
        String sessionKey = registration.get("session_key").asText();
        assertThat(registration.get("key_id").asText()).isEqualTo(Vectors.KEY_ID);
        assertThat(SignedChecksum.isV3Hex(registration.get("checksum").asText()))
                .isTrue();
        JsonNode manifest = lastManifest();
        String keyFolder = "/delta/" + sha256(sessionKey.getBytes(StandardCharsets.UTF_8)) + "/";
        for (JsonNode e : manifest) {
            String name = e.get("file_name").asText().replaceFirst("\\.br$", "");
            BundleChecksum plain =
                    SignedChecksum.parse(e.get("file_hash").asText()).recover(pub);
            assertThat(plain.hex())
                    .isEqualTo(sha256(Files.readAllBytes(dir.resolve("www").resolve(name))));
            assertThat(e.get("download_url").asText()).contains(keyFolder);
        }
        assertThat(store.count("PUT")).isEqualTo(6);

        // Without the opt-in, the next release gets a fresh key, so every payload is new.
        assertThat(upload("1.0.2", "--delta").exitCode()).isZero();
        assertThat(store.count("PUT")).isEqualTo(12);

        // With it, the channel's release's key is kept: only the changed file and the zip are uploaded.
        api.on("GET", APP + "/channels/production", 200, UploadCommandTest.channelJson("production", "1.0.1", true))
                .on(
                        "GET",
                        APP + "/bundles/1.0.1",
                        200,
                        "{\"version\":\"1.0.1\",\"session_key\":\"" + sessionKey + "\"}");
        Files.writeString(dir.resolve("www/css/style.css"), "body { color: blue }\n");
        Cli.Result reused = upload("1.0.3", "--delta", "--delta-reuse-session-key");
        assertThat(reused.exitCode()).as(reused.toString()).isZero();
        assertThat(store.count("PUT")).isEqualTo(14);
        JsonNode last = api.requests.get(api.requests.size() - 1).body();
        assertThat(last.get("session_key").asText()).isEqualTo(sessionKey);
    }

    @Test
    void aSessionKeyOfAnotherKeyPairIsNotReused() throws Exception {
        Files.copy(
                Vectors.file("project/capacitor.config.after-key-create.json"),
                dir.resolve("capacitor.config.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Vectors.file("keys/.capgo_key_v2"), dir.resolve(".capgo_key_v2"));
        String foreign =
                "AAAAAAAAAAAAAAAAAAAAAA==:" + java.util.Base64.getEncoder().encodeToString(new byte[256]);
        api.on("GET", APP + "/channels/production", 200, UploadCommandTest.channelJson("production", "1.0.1", true))
                .on("GET", APP + "/bundles/1.0.1", 200, "{\"version\":\"1.0.1\",\"session_key\":\"" + foreign + "\"}");
        Cli.Result r = upload("1.0.2", "--delta", "--delta-reuse-session-key");
        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("cannot be reused");
        assertThat(store.requests).isEmpty();
    }
}
