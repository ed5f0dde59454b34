package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.sim.BundleInfo;
import dev.updraft.sim.BundleStatus;
import dev.updraft.sim.DeviceConfig;
import dev.updraft.sim.DeviceHttp;
import dev.updraft.sim.DownloadRecord;
import dev.updraft.sim.SimulatedDevice;
import dev.updraft.sim.store.MockStore;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unmodified Capgo CLI 8.68.1 (CapgoCli) against the packaged server, configured only through the local* keys of
 * capacitor.config.json and an Updraft admin key (docs/protocol.md, "The Capgo CLI"): each command's result is
 * checked with Updraft's admin API and a simulated device. What the CLI sends is recorded in
 * src/test/resources/capgo/recordings.
 */
class CapgoCliTest extends EndToEnd {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static CapgoCli capgo;

    @BeforeAll
    static void fetchCli() throws Exception {
        capgo = CapgoCli.fetch();
    }

    /**
     * The sample app as a Capgo CLI project: {@code updraft init --capgo-cli} points it at the server, node_modules
     * holds what the Capgo CLI inspects.
     */
    static SampleProject capgoProject(String appId) throws Exception {
        SampleProject p = project(appId);
        JsonNode init = p.json("init", "--capgo-cli");
        assertThat(init.path("written").path("localApi").asText()).isEqualTo(server.url("/functions/v1"));
        JsonNode updater = JSON.readTree(
                        p.dir().resolve("capacitor.config.json").toFile())
                .path("plugins")
                .path("CapacitorUpdater");
        assertThat(updater.path("localSupa").asText()).isEqualTo(server.url());
        assertThat(updater.path("localApiFiles").asText()).isEqualTo(server.url("/functions/v1"));
        assertThat(updater.path("updateUrl").asText()).isEqualTo(server.url("/updates"));
        assertThat(updater.path("appReadyTimeout").asInt())
                .as("other settings are kept")
                .isEqualTo(10000);
        // The CLI reads the installed versions of the native packages from node_modules (no npm install needed).
        for (String[] dep : new String[][] {{"@capacitor/core", "8.0.0"}, {"@capgo/capacitor-updater", "8.51.23"}}) {
            Path dir = Files.createDirectories(p.dir().resolve("node_modules").resolve(dep[0]));
            Files.writeString(
                    dir.resolve("package.json"), "{\"name\":\"" + dep[0] + "\",\"version\":\"" + dep[1] + "\"}");
        }
        return p;
    }

    CapgoCli.Result capgo(SampleProject p, String... args) throws Exception {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--apikey";
        all[args.length + 1] = server.adminKey();
        CapgoCli.Result r = capgo.run(p.dir(), all);
        assertThat(r.exitCode())
                .as("capgo %s:\n%s", String.join(" ", args), r.output())
                .isZero();
        return r;
    }

    /**
     * The Capgo CLI accepts only https:// external URLs: the release is served by a mock store over TLS with a
     * self-signed certificate made here, which the simulated device trusts through its configured trust (never "trust
     * all"); a device without that trust cannot download it.
     */
    @Test
    void externalUploadWithIvSessionKeyIsInstalledAsUpdraftWouldRegisterIt() throws Exception {
        SampleProject p = capgoProject("dev.updraft.it.capgo.external");
        p.keyCreate();
        SampleProject.Release r = p.release("1.0.1", p.www(), true, true);
        Path tlsDir = Files.createDirectories(work.resolve("tls"));
        Path keyStore = tlsDir.resolve("store.p12");
        Path certificate = tlsDir.resolve("store.pem");
        keytool(
                "-genkeypair",
                "-alias",
                "store",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "san=ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                "it-store-pass");
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "store",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                "it-store-pass",
                "-file",
                certificate.toString());
        Path served = Files.createDirectories(tlsDir.resolve("files").resolve(p.appId()));
        Files.copy(r.file(), served.resolve(r.file().getFileName()));

        try (MockStore tlsStore = MockStore.startTls(tlsDir.resolve("files"), 0, null, keyStore, "it-store-pass");
                DeviceHttp trusting = DeviceHttp.create(certificate)) {
            String url = tlsStore.url("/" + p.appId() + "/" + r.file().getFileName());
            assertThat(url).startsWith("https://127.0.0.1:");
            capgo(
                    p,
                    "bundle",
                    "upload",
                    p.appId(),
                    "--bundle",
                    "1.0.1",
                    "--channel",
                    "production",
                    "--external",
                    url,
                    "--iv-session-key",
                    r.ivSessionKey(),
                    "--encrypted-checksum",
                    r.checksum());

            JsonNode bundle = admin("/api/v1/apps/" + p.appId() + "/bundles/1.0.1");
            assertThat(bundle.path("external_url").asText()).isEqualTo(url);
            assertThat(bundle.path("session_key").asText()).isEqualTo(r.ivSessionKey());
            assertThat(bundle.path("checksum").asText()).isEqualTo(r.checksum());
            assertThat(bundle.path("encrypted").asBoolean()).isTrue();
            JsonNode channel = admin("/api/v1/apps/" + p.appId() + "/channels/production");
            assertThat(channel.path("bundle").asText()).isEqualTo("1.0.1");
            assertThat(channel.path("public").asBoolean())
                    .as("the app's first channel, as updraft makes it")
                    .isTrue();

            DeviceConfig config = DeviceConfig.builder()
                    .appId(p.appId())
                    .server(server.url())
                    .versionBuild("1.0.0")
                    .publicKey(p.publicKeyFile())
                    .build();
            try (SimulatedDevice d =
                    SimulatedDevice.open(config, work.resolve("devices").resolve("tls"), trusting)) {
                launchAndApply(d);
                assertThat(d.checks().get(0).answer().url()).isEqualTo(url);
                assertInstalled(d, "1.0.1");
            }
            // Hostile: the default trust does not know the store's certificate, so nothing is installed.
            SimulatedDevice untrusting = device(p.appId(), p.publicKeyFile());
            launchAndApply(untrusting);
            assertThat(untrusting.currentBundle().id()).isEqualTo(BundleInfo.BUILTIN_ID);
        }

        // The audit log names the Capgo route, like any admin write.
        assertThat(admin("/api/v1/audit?limit=1000").toString()).contains("/rest/v1/app_versions");
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(Arrays.asList(args));
        Process k = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(k.waitFor()).as("keytool %s: %s", args[0], out).isZero();
    }

    @Test
    void folderUploadIsStoredOnTheServerAndPendingUntilVerified() throws Exception {
        SampleProject p = capgoProject("dev.updraft.it.capgo.folder");
        capgo(p, "bundle", "upload", p.appId(), "--bundle", "1.0.1", "--channel", "production", "--path", "www");

        JsonNode bundle = admin("/api/v1/apps/" + p.appId() + "/bundles/1.0.1");
        String url = bundle.path("external_url").asText();
        assertThat(url).startsWith(server.url("/files/" + p.appId() + "/")).endsWith(".zip");
        assertThat(bundle.path("encrypted").asBoolean()).isFalse();

        SimulatedDevice d = device(p.appId(), null);
        launchAndApply(d);
        assertThat(d.currentBundle())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.1", BundleStatus.SUCCESS);

        // The stored file is served with Range.
        HttpResponse<byte[]> whole =
                HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> tail = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Range", "bytes=10-")
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 10, whole.body().length));

        // The same with updraft in one command: zipped, stored on the server, registered, linked.
        JsonNode dry = p.json("bundle", "upload", "--bundle", "1.0.2", "--channel", "production", "--dry-upload");
        assertThat(dry.path("dry_upload").asBoolean()).isTrue();
        assertThat(admin("/api/v1/apps/" + p.appId() + "/bundles").toString()).doesNotContain("1.0.2");
        JsonNode mine = p.json("bundle", "upload", "--bundle", "1.0.2", "--channel", "production");
        assertThat(mine.path("upload").asText()).isEqualTo("stored");
        assertThat(mine.path("external_url").asText()).startsWith(server.url("/files/" + p.appId() + "/"));
        nextCycle(d);
        assertThat(d.currentBundle().version()).isEqualTo("1.0.2");

        // Hostile: an upsert of the same version with other content is 409, and nothing changes.
        HttpResponse<String> other = capgoCall(
                "POST",
                "/rest/v1/app_versions",
                "{\"name\":\"1.0.1\",\"app_id\":\"" + p.appId() + "\",\"checksum\":\"" + "ab".repeat(32)
                        + "\",\"storage_provider\":\"r2-direct\"}",
                server.adminKey());
        assertThat(other.statusCode()).as(other.body()).isEqualTo(409);
        assertThat(JSON.readTree(other.body()).path("error").asText()).isEqualTo("version_exists");
        assertThat(admin("/api/v1/apps/" + p.appId() + "/bundles/1.0.1").path("checksum"))
                .isEqualTo(bundle.path("checksum"));
    }

    @Test
    void aPendingUploadIsInvisibleToDevicesAndAWrongZipIsRefused() throws Exception {
        SampleProject p = capgoProject("dev.updraft.it.capgo.pending");
        String key = server.adminKey();
        String sha = "cd".repeat(32);
        HttpResponse<String> announced = capgoCall(
                "POST",
                "/rest/v1/app_versions",
                "{\"name\":\"1.0.1\",\"app_id\":\"" + p.appId() + "\",\"checksum\":\"" + sha
                        + "\",\"storage_provider\":\"r2-direct\"}",
                key);
        assertThat(announced.statusCode()).as(announced.body()).isEqualTo(201);
        HttpResponse<String> link = capgoCall(
                "POST",
                "/functions/v1/files/upload_link",
                "{\"app_id\":\"" + p.appId() + "\",\"name\":\"1.0.1\",\"version\":0}",
                key);
        assertThat(link.statusCode()).as(link.body()).isEqualTo(200);
        String uploadUrl = JSON.readTree(link.body()).path("url").asText();

        // Not a bundle yet: the admin API does not list it and a device is told nothing is new.
        assertThat(admin("/api/v1/apps/" + p.appId() + "/bundles").path("entries"))
                .isEmpty();
        HttpResponse<String> confirmTooEarly = capgoCall(
                "POST",
                "/rest/v1/app_versions",
                "{\"name\":\"1.0.1\",\"app_id\":\"" + p.appId() + "\",\"checksum\":\"" + sha
                        + "\",\"storage_provider\":\"r2\"}",
                key);
        assertThat(confirmTooEarly.statusCode()).as(confirmTooEarly.body()).isEqualTo(409);
        assertThat(JSON.readTree(confirmTooEarly.body()).path("error").asText()).isEqualTo("upload_missing");

        // A zip whose SHA-256 is not the announced checksum is refused; the version stays pending.
        HttpResponse<String> wrong = HTTP.send(
                HttpRequest.newBuilder(URI.create(uploadUrl))
                        .header("Content-Type", "application/zip")
                        .PUT(HttpRequest.BodyPublishers.ofString("not the announced zip"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(400);
        assertThat(JSON.readTree(wrong.body()).path("error").asText()).isEqualTo("checksum_mismatch");
        assertThat(admin("/api/v1/apps/" + p.appId() + "/bundles").path("entries"))
                .isEmpty();

        SimulatedDevice d = device(p.appId(), null);
        d.launch();
        assertThat(d.currentBundle().id()).isEqualTo(BundleInfo.BUILTIN_ID);
        assertThat(d.lastCheck().answer().kind()).isNotEqualTo(dev.updraft.protocol.UpdateAnswer.Kind.UPDATE);
    }

    @Test
    void aWrongCapgkeyIs401JsonAndThePlaceholderIsNeverAKey() throws Exception {
        HttpResponse<String> wrong = capgoCall("GET", "/functions/v1/app", null, "not-an-updraft-key");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).path("error").asText()).isEqualTo("invalid_api_key");
        // Only the placeholder bearer, no capgkey: no key at all, not a wrong one.
        HttpResponse<String> none = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url("/functions/v1/app")))
                        .header("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.placeholder")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(none.body()).path("error").asText()).isEqualTo("missing_api_key");
        // The two config answers stay public.
        for (String path : new String[] {"/functions/v1/files/config", "/functions/v1/private/config"}) {
            HttpResponse<String> open = HTTP.send(
                    HttpRequest.newBuilder(URI.create(server.url(path))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(open.statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void channelBundleAndAppCommandsActThroughTheAdminServices() throws Exception {
        SampleProject p = capgoProject("dev.updraft.it.capgo.manage");
        capgo(p, "bundle", "upload", p.appId(), "--bundle", "1.0.1", "--channel", "production", "--path", "www");
        p.json("bundle", "upload", "--bundle", "1.0.2", "--channel", "beta"); // updraft's one command, beside it

        capgo(p, "channel", "add", "staging", p.appId());
        assertThat(admin("/api/v1/apps/" + p.appId() + "/channels/staging")
                        .path("public")
                        .asBoolean())
                .isFalse();
        capgo(p, "channel", "set", "staging", p.appId(), "--bundle", "1.0.2");
        assertThat(admin("/api/v1/apps/" + p.appId() + "/channels/staging")
                        .path("bundle")
                        .asText())
                .isEqualTo("1.0.2");
        assertThat(capgo(p, "channel", "list", p.appId()).output()).contains("staging", "production", "beta");
        capgo(p, "channel", "delete", "staging", p.appId());
        assertThat(admin("/api/v1/apps/" + p.appId() + "/channels").toString()).doesNotContain("staging");

        assertThat(capgo(p, "bundle", "list", p.appId()).output()).contains("1.0.1", "1.0.2");
        capgo(p, "channel", "delete", "beta", p.appId());
        capgo(p, "bundle", "delete", "1.0.2", p.appId());
        assertThat(admin("/api/v1/apps/" + p.appId() + "/bundles").toString())
                .contains("1.0.1")
                .doesNotContain("1.0.2");

        capgo(p, "app", "add", "dev.updraft.it.capgo.added", "--name", "Added by Capgo");
        assertThat(admin("/api/v1/apps/dev.updraft.it.capgo.added").path("name").asText())
                .isEqualTo("Added by Capgo");
        assertThat(capgo(p, "app", "list").output()).contains("dev.updraft.it.capgo.added", p.appId());
    }

    /**
     * {@code bundle upload --delta}: the CLI uploads the encrypted zip, then every file by TUS, then sets the manifest
     * and confirms the version; a device whose plugin installs manifests fetches the files one by one (each decrypted
     * and checked against its signed hash), an older plugin gets the zip.
     */
    @Test
    void deltaUploadIsStoredFileByFileAndInstalledFromTheManifest() throws Exception {
        SampleProject p = capgoProject("dev.updraft.it.capgo.delta");
        p.keyCreate();
        capgo(
                p,
                "bundle",
                "upload",
                p.appId(),
                "--bundle",
                "1.0.1",
                "--channel",
                "production",
                "--path",
                "www",
                "--delta");

        JsonNode bundle = admin("/api/v1/apps/" + p.appId() + "/bundles/1.0.1");
        assertThat(bundle.path("encrypted").asBoolean()).isTrue();
        assertThat(bundle.path("external_url").asText()).startsWith(server.url("/files/" + p.appId() + "/"));
        JsonNode manifest = bundle.path("manifest");
        assertThat(manifest.size()).as(bundle.toString()).isGreaterThanOrEqualTo(2);
        for (JsonNode e : manifest) {
            assertThat(e.path("download_url").asText()).startsWith(server.url("/files/" + p.appId() + "/"));
            assertThat(e.path("file_hash").asText()).hasSize(512);
        }

        SimulatedDevice d = device(p.appId(), p.publicKeyFile());
        launchAndApply(d);
        assertInstalled(d, "1.0.1");
        assertThat(d.downloads().get(0).kind()).isEqualTo(DownloadRecord.MANIFEST);
        assertThat(d.downloads().get(0).filesFetched()).isEqualTo(manifest.size());

        SimulatedDevice old = device(p.appId(), p.publicKeyFile(), b -> b.pluginVersion("7.0.34"));
        launchAndApply(old);
        assertInstalled(old, "1.0.1");
        assertThat(old.downloads().get(0).kind()).isEqualTo(DownloadRecord.ZIP);
        assertThat(admin("/api/v1/audit?limit=1000").toString())
                .contains("/functions/v1/files/upload/attachments/{token}", "/functions/v1/private/set_manifest");
    }

    /**
     * The TUS endpoint and set_manifest by hand, as the CLI sends them (an unencrypted release, whose payloads the
     * server can check byte for byte), with every refusal: nothing reaches devices until the manifest checks out and
     * the version is confirmed.
     */
    @Test
    void tusUploadsAndSetManifestRefuseWhatDoesNotCheckOut() throws Exception {
        SampleProject p = capgoProject("dev.updraft.it.capgo.tus");
        String key = server.adminKey();
        byte[] index =
                "<html><script>CapacitorUpdater.notifyAppReady()</script></html>".getBytes(StandardCharsets.UTF_8);
        String indexHash = sha256(index);
        ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipBytes)) {
            zip.putNextEntry(new ZipEntry("index.html"));
            zip.write(index);
            zip.closeEntry();
        }
        byte[] zip = zipBytes.toByteArray();
        String version = "{\"name\":\"1.0.1\",\"app_id\":\"" + p.appId() + "\",\"checksum\":\"" + sha256(zip)
                + "\",\"storage_provider\":\"%s\"}";
        assertThat(capgoCall("POST", "/rest/v1/app_versions", version.formatted("r2-direct"), key)
                        .statusCode())
                .isEqualTo(201);
        String link = JSON.readTree(capgoCall(
                                "POST",
                                "/functions/v1/files/upload_link",
                                "{\"app_id\":\"" + p.appId() + "\",\"name\":\"1.0.1\"}",
                                key)
                        .body())
                .path("url")
                .asText();
        assertThat(HTTP.send(
                                HttpRequest.newBuilder(URI.create(link))
                                        .PUT(HttpRequest.BodyPublishers.ofByteArray(zip))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);

        String good = "orgs/o/apps/" + p.appId() + "/delta/" + indexHash + "_index.html";
        String bad = "orgs/o/apps/" + p.appId() + "/delta/bad_index.html";
        String goodUpload = tusCreate(good, index.length, key);
        String badUpload = tusCreate(bad, index.length, key);

        // TUS refusals: the wrong offset (409), more bytes than Upload-Length (413), an unknown id and another key's
        // upload (404), a request without Tus-Resumable 1.0.0 (412).
        assertThat(tusPatch(goodUpload, 5, index, key).statusCode()).isEqualTo(409);
        assertThat(tusPatch(goodUpload, 0, Arrays.copyOf(index, index.length + 1), key)
                        .statusCode())
                .isEqualTo(413);
        assertThat(tusHead(goodUpload, key).headers().firstValue("Upload-Offset"))
                .as("nothing of a refused PATCH is kept")
                .contains("0");
        String unknown = "A".repeat(43);
        assertThat(tusPatch(unknown, 0, index, key).statusCode()).isEqualTo(404);
        String otherKey = JSON.readTree(adminPost("/api/v1/admin-keys", "{\"name\":\"tus-other\"}"))
                .path("key")
                .asText();
        assertThat(tusPatch(goodUpload, 0, index, otherKey).statusCode()).isEqualTo(404);
        assertThat(tusHead(goodUpload, otherKey).statusCode()).isEqualTo(404);
        HttpResponse<String> noTus = HTTP.send(
                HttpRequest.newBuilder(URI.create(goodUpload))
                        .header("capgkey", key)
                        .header("Upload-Offset", "0")
                        .header("Content-Type", "application/offset+octet-stream")
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(index))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noTus.statusCode()).isEqualTo(412);

        HttpResponse<String> done = tusPatch(goodUpload, 0, index, key);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(204);
        assertThat(done.headers().firstValue("Upload-Offset")).contains(String.valueOf(index.length));
        assertThat(done.headers().firstValue("X-Capgo-Manifest-Size-Receipt")).contains(String.valueOf(index.length));
        byte[] other = "<html>not the file the hash names</html>".getBytes(StandardCharsets.UTF_8);
        assertThat(tusPatch(badUpload, 0, Arrays.copyOf(other, index.length), key)
                        .statusCode())
                .isEqualTo(204);

        // set_manifest refusals; after each the version is still invisible.
        String entry = "{\"file_name\":\"%s\",\"s3_path\":\"%s\",\"file_hash\":\"" + indexHash + "\"}";
        String manifest = "{\"app_id\":\"" + p.appId() + "\",\"name\":\"1.0.1\",\"manifest\":[%s]}";
        String[][] refused = {
            {entry.formatted("index.html", bad), "checksum_mismatch"},
            {entry.formatted("index.html", good.replace("_index", "_never")), "file_not_uploaded"},
            {entry.formatted("../x", good), "validation_failed"},
            {entry.formatted("/etc/x", good), "validation_failed"},
        };
        for (String[] r : refused) {
            HttpResponse<String> answer =
                    capgoCall("POST", "/functions/v1/private/set_manifest", manifest.formatted(r[0]), key);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).path("error").asText()).isEqualTo(r[1]);
            assertThat(admin("/api/v1/apps/" + p.appId() + "/bundles").path("entries"))
                    .isEmpty();
        }
        HttpResponse<String> notYours = capgoCall(
                "POST",
                "/functions/v1/private/set_manifest",
                manifest.formatted(entry.formatted("index.html", good)),
                otherKey);
        assertThat(JSON.readTree(notYours.body()).path("error").asText()).isEqualTo("file_not_uploaded");

        // The right manifest: concurrent identical requests and a repeat are all ok; another manifest is 409.
        String right = manifest.formatted(entry.formatted("index.html", good));
        List<CompletableFuture<HttpResponse<String>>> together = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            together.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return capgoCall("POST", "/functions/v1/private/set_manifest", right, key);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<HttpResponse<String>> f : together) {
            assertThat(f.get().statusCode()).as(f.get().body()).isEqualTo(200);
        }
        assertThat(capgoCall("POST", "/functions/v1/private/set_manifest", right, key)
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> another = capgoCall(
                "POST",
                "/functions/v1/private/set_manifest",
                manifest.formatted(entry.formatted("main.html", good)),
                key);
        assertThat(another.statusCode()).as(another.body()).isEqualTo(409);
        assertThat(admin("/api/v1/apps/" + p.appId() + "/bundles").path("entries"))
                .isEmpty();

        // Confirmed: registered with the zip and the manifest; a device without a key installs it file by file.
        assertThat(capgoCall("POST", "/rest/v1/app_versions", version.formatted("r2"), key)
                        .statusCode())
                .isEqualTo(201);
        capgoCall(
                "POST",
                "/functions/v1/channel",
                "{\"app_id\":\"" + p.appId() + "\",\"channel\":\"production\",\"version\":\"1.0.1\"}",
                key);
        JsonNode registered =
                admin("/api/v1/apps/" + p.appId() + "/bundles/1.0.1").path("manifest");
        assertThat(registered.size()).isEqualTo(1);
        assertThat(registered.get(0).path("file_hash").asText()).isEqualTo(indexHash);
        SimulatedDevice d = device(p.appId(), null);
        launchAndApply(d);
        assertInstalled(d, "1.0.1");
        assertThat(d.downloads().get(0).kind()).isEqualTo(DownloadRecord.MANIFEST);
        assertThat(capgoCall("POST", "/functions/v1/private/set_manifest", right, key)
                        .statusCode())
                .as("the same manifest after the registration is a retry")
                .isEqualTo(200);
    }

    /** The device runs the version, confirmed (its log in the failure message). */
    static void assertInstalled(SimulatedDevice d, String version) {
        assertThat(d.currentBundle())
                .as(d.log().toString())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly(version, BundleStatus.SUCCESS);
    }

    /** TUS creation as the CLI's client sends it (the key as the bare Authorization value); the upload's URL. */
    static String tusCreate(String objectPath, int length, String key) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url("/functions/v1/files/upload/attachments/")))
                        .header("Tus-Resumable", "1.0.0")
                        .header("Authorization", key)
                        .header("Upload-Length", String.valueOf(length))
                        .header(
                                "Upload-Metadata",
                                "filename "
                                        + Base64.getEncoder()
                                                .encodeToString(objectPath.getBytes(StandardCharsets.UTF_8))
                                        + ",filetype dGV4dC9odG1s")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Tus-Resumable")).contains("1.0.0");
        return r.headers().firstValue("Location").orElseThrow();
    }

    static HttpResponse<String> tusPatch(String upload, long offset, byte[] bytes, String key) throws Exception {
        String url =
                upload.startsWith("http") ? upload : server.url("/functions/v1/files/upload/attachments/" + upload);
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Tus-Resumable", "1.0.0")
                        .header("Authorization", key)
                        .header("Upload-Offset", String.valueOf(offset))
                        .header("Content-Type", "application/offset+octet-stream")
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> tusHead(String upload, String key) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(upload))
                        .header("Tus-Resumable", "1.0.0")
                        .header("Authorization", key)
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String adminPost(String path, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url(path)))
                        .header("Authorization", "Bearer " + server.adminKey())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        return r.body();
    }

    static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** One call shaped like the Capgo CLI's: the key in capgkey, a placeholder bearer. */
    static HttpResponse<String> capgoCall(String method, String path, String json, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path)))
                .header("capgkey", key)
                .header("Authorization", "Bearer updraft-placeholder")
                .header("Content-Type", "application/json")
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
