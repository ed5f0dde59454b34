package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.sim.BundleInfo;
import dev.updraft.sim.BundleStatus;
import dev.updraft.sim.DownloadRecord;
import dev.updraft.sim.SimulatedDevice;
import dev.updraft.sim.store.Fault;
import dev.updraft.sim.store.RequestRecord;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Delta (manifest) releases end to end (docs/protocol.md §7): the packaged server, the mock store and simulated
 * devices as real processes and real HTTP. Each release is an encrypted zip (the fallback for old plugins) plus one
 * payload per file, all with the release's one session key, registered with its manifest through the admin API.
 */
class DeltaUpdateTest extends EndToEnd {

    private static DeltaReleases.Published publishDelta(
            SampleProject p, String version, Path www, List<ObjectNode> extra) throws Exception {
        return DeltaReleases.publish(p, server, store, UPLOAD_TOKEN, version, www, null, extra);
    }

    /** One version's stats from the admin API ({@code GET /api/v1/apps/{app}/stats}). */
    private static JsonNode versionStats(SampleProject p, String version) throws Exception {
        for (JsonNode v : admin("/api/v1/apps/" + p.appId() + "/stats").path("versions")) {
            if (version.equals(v.path("version").asText())) {
                return v;
            }
        }
        return JSON.createObjectNode();
    }

    private static SampleProject deltaApp(String appId) throws Exception {
        SampleProject p = project(appId);
        p.keyCreate();
        return p;
    }

    private static List<RequestRecord> gets() {
        return store.requests().stream().filter(r -> r.method().equals("GET")).toList();
    }

    @Test
    void aDeviceOn101UpdatesToAOneFileChangeDownloadingOnlyThatPayload() throws Exception {
        SampleProject p = deltaApp("dev.updraft.it.delta");
        DeltaReleases.Published v1 = publishDelta(p, "1.0.1", p.www(), List.of());
        SimulatedDevice d = device(p.appId(), p.publicKeyFile());
        launchAndApply(d);
        assertThat(d.currentBundle())
                .as(d.log().toString())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.1", BundleStatus.SUCCESS);
        assertThat(d.downloads().get(0).kind()).isEqualTo(DownloadRecord.MANIFEST);
        assertThat(d.downloads().get(0).filesFetched())
                .isEqualTo(v1.payloadPaths().size());

        DeltaReleases.Published v2 = publishDelta(p, "1.0.2", p.variant("www-102", "1.0.2", true), List.of());
        store.clearRequests();
        nextCycle(d);

        assertThat(d.currentBundle())
                .as(d.log().toString())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.2", BundleStatus.SUCCESS);
        assertThat(gets())
                .as("the store saw one GET: the changed file's payload")
                .extracting(RequestRecord::path)
                .containsExactly(v2.payloadPaths().get("index.html"));
        DownloadRecord last = d.downloads().get(d.downloads().size() - 1);
        assertThat(last.networkBytes()).isEqualTo(v2.payloadSizes().get("index.html"));
        assertThat(last.filesReused()).isEqualTo(v2.payloadPaths().size() - 1);
        Path root =
                d.stateDir().resolve("files/versions").resolve(d.currentBundle().id());
        assertThat(Files.readString(root.resolve("index.html"))).contains("Hello from Updraft 1.0.2");
        assertThat(versionStats(p, "1.0.2")
                        .path("actions")
                        .path("download_manifest_complete")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void aCorruptedPayloadIsReportedAsAManifestChecksumFailAndTheDeviceKeeps101() throws Exception {
        SampleProject p = deltaApp("dev.updraft.it.deltabad");
        publishDelta(p, "1.0.1", p.www(), List.of());
        SimulatedDevice d = device(p.appId(), p.publicKeyFile());
        launchAndApply(d);
        DeltaReleases.Published v2 = publishDelta(p, "1.0.2", p.variant("www-102", "1.0.2", true), List.of());
        String changed = v2.payloadPaths().get("index.html");
        store.addFault(
                changed, Fault.parse("flip:0")); // the first AES block: the padding stays intact, the hash does not

        nextCycle(d);

        assertThat(d.sentActions()).contains("download_manifest_checksum_fail", "download_fail");
        assertThat(d.currentBundle())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.1", BundleStatus.SUCCESS);
        assertThat(d.bundle("1.0.2").status()).isEqualTo(BundleStatus.ERROR);
        assertThat(d.hasFolder(d.bundle("1.0.2").id()))
                .as("nothing of 1.0.2 installed")
                .isFalse();
        // every check offers 1.0.2 again (nothing of it is on the device, so no error-state guard): one report per try
        long reported = d.sentActions().stream()
                .filter("download_manifest_checksum_fail"::equals)
                .count();
        assertThat(reported).isPositive();
        JsonNode stats = versionStats(p, "1.0.2");
        assertThat(stats.path("actions").path("download_manifest_checksum_fail").asLong())
                .as(stats.toString())
                .isEqualTo(reported);
        assertThat(stats.path("funnel")
                        .path("failed_by_stage")
                        .path("manifest_file")
                        .asLong())
                .isEqualTo(1);
        assertThat(versionStats(p, "1.0.1").path("failures").asLong()).isZero();
    }

    @Test
    void aPathThatClimbsOutNeverReachesADeviceAndAHashOfAnotherKeyFailsTheWholeManifestUnfetched() throws Exception {
        SampleProject p = deltaApp("dev.updraft.it.deltapath");
        String goodHash = "a".repeat(512);
        ObjectNode climbing = JSON.createObjectNode()
                .put("file_name", "../x")
                .put("file_hash", goodHash)
                .put("download_url", store.url("/x"));
        // The server refuses ../x at registration (the plugin's own rule, docs/admin-api.md): nothing is stored.
        assertThatRegistrationFails(p, "1.0.1", climbing);
        assertThat(admin("/api/v1/apps/" + p.appId() + "/bundles").path("entries"))
                .isEmpty();

        // A hash the server cannot judge (512 hex digits, signed by another team's key) is refused on the device before
        // any download: manifest_path_fail for the whole manifest, nothing written.
        String foreign = DeltaReleases.foreignSignedHash();
        ObjectNode forged = JSON.createObjectNode()
                .put("file_name", "js/extra.js")
                .put("file_hash", foreign)
                .put("download_url", store.url("/x"));
        publishDelta(p, "1.0.1", p.www(), List.of(forged));
        store.clearRequests();
        SimulatedDevice d = device(p.appId(), p.publicKeyFile());

        launchAndApply(d);

        assertThat(d.sentActions())
                .contains("manifest_path_fail", "download_fail")
                .doesNotContain("download_manifest_start");
        assertThat(gets()).as("nothing fetched").isEmpty();
        assertThat(d.currentBundle().isBuiltin()).isTrue();
        try (Stream<Path> versions = Files.list(d.stateDir().resolve("files/versions"))) {
            assertThat(versions).as("nothing written").isEmpty();
        }
        long reported =
                d.sentActions().stream().filter("manifest_path_fail"::equals).count();
        assertThat(reported).isPositive();
        assertThat(versionStats(p, "1.0.1")
                        .path("actions")
                        .path("manifest_path_fail")
                        .asLong())
                .isEqualTo(reported);
    }

    @Test
    void anOldPluginGetsTheZip() throws Exception {
        SampleProject p = deltaApp("dev.updraft.it.deltaold");
        DeltaReleases.Published v1 = publishDelta(p, "1.0.1", p.www(), List.of());
        store.clearRequests();
        SimulatedDevice old =
                device(p.appId(), p.publicKeyFile(), b -> b.pluginVersion("7.0.34")); // manifests from 7.0.35

        launchAndApply(old);

        assertThat(old.currentBundle())
                .as(old.log().toString())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.1", BundleStatus.SUCCESS);
        assertThat(old.downloads().get(0).kind()).isEqualTo(DownloadRecord.ZIP);
        assertThat(gets()).extracting(RequestRecord::path).containsExactly(v1.zipPath());
        assertThat(old.checks().get(0).answer().hasManifest())
                .as("no manifest for plugin 7.0.34")
                .isFalse();
        assertThat(old.checks().get(0).answer().version()).isEqualTo("1.0.1");
    }

    private static void assertThatRegistrationFails(SampleProject p, String version, ObjectNode entry)
            throws Exception {
        ArrayNode manifest = JSON.createArrayNode().add(entry);
        ObjectNode body = JSON.createObjectNode()
                .put("version", version)
                .put("external_url", store.url("/x.zip"))
                .put("checksum", "b".repeat(512))
                .put("session_key", "x")
                .put("key_id", BundlePublicKey.read(p.publicKeyFile()).keyId())
                .put("channel", "production")
                .put("create_channel", true);
        body.set("manifest", manifest);
        HttpResponse<String> r = DeltaReleases.adminPost(server, "/api/v1/apps/" + p.appId() + "/bundles", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isNotEmpty();
        assertThat(r.body()).contains("file_name");
    }
}
