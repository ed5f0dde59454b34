package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.sim.BundleInfo;
import dev.updraft.sim.BundleStatus;
import dev.updraft.sim.SimulatedDevice;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
     * The Capgo CLI accepts only https:// external URLs and the test store is plain HTTP, so the simulated device is
     * checked on the answer it gets (the URL, session key and checksum it would download and verify); installing a
     * bundle the Capgo CLI registered is shown by the folder upload below.
     */
    @Test
    void externalUploadWithIvSessionKeyIsOfferedToDevicesAsUpdraftWouldRegisterIt() throws Exception {
        SampleProject p = capgoProject("dev.updraft.it.capgo.external");
        p.keyCreate();
        SampleProject.Release r = p.release("1.0.1", p.www(), true, true);
        String url = "https://cdn.example.com/bundles/" + r.file().getFileName();

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

        SimulatedDevice d = device(p.appId(), p.publicKeyFile());
        d.launch(); // the cold start's update check (the download from the example host cannot succeed)
        assertThat(d.lastCheck().answer().kind()).isEqualTo(dev.updraft.protocol.UpdateAnswer.Kind.UPDATE);
        assertThat(d.lastCheck().answer().url()).isEqualTo(url);
        assertThat(d.lastCheck().answer().sessionKey()).isEqualTo(r.ivSessionKey());
        assertThat(d.lastCheck().answer().checksum()).isEqualTo(r.checksum());

        // The audit log names the Capgo route, like any admin write.
        assertThat(admin("/api/v1/audit?limit=1000").toString()).contains("/rest/v1/app_versions");
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
