package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.fixtures.GoldenVectors;
import dev.updraft.protocol.ManifestEntry;
import dev.updraft.protocol.UpdateOffer;
import dev.updraft.sim.CheckResult.Outcome;
import dev.updraft.sim.FakeUpdateServer.Reply;
import dev.updraft.sim.store.Fault;
import dev.updraft.sim.store.RequestRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin's delta (manifest) path (docs/protocol.md §7.4) against a real mock store on loopback: validation
 * before any download, reuse from the built-in assets and the cache, per-file downloads with their failure stats.
 */
class ManifestUpdateTest extends DeviceTestSupport {
    private static final String READY_JS =
            "import { CapacitorUpdater } from '@capgo/capacitor-updater';\nCapacitorUpdater.notifyAppReady();\n";

    /** A plain (unencrypted) web folder of {@code n} files plus index.html and app.js. */
    private static Map<String, byte[]> files(String label, int n) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("index.html", ("<!doctype html><title>" + label + "</title>").getBytes(StandardCharsets.UTF_8));
        m.put("js/app.js", (READY_JS + "console.log('app');\n").getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < n; i++) {
            m.put("assets/f" + i + ".txt", ("file " + i + " ").repeat(50 + i).getBytes(StandardCharsets.UTF_8));
        }
        return m;
    }

    private static Map<String, byte[]> withChange(Map<String, byte[]> release, String path, String content) {
        Map<String, byte[]> next = new LinkedHashMap<>(release);
        next.put(path, content.getBytes(StandardCharsets.UTF_8));
        return next;
    }

    /** Puts each file under {@code /delta/<sha256>_<basename>} (content-addressed) and returns its manifest. */
    private List<ManifestEntry> publishPlain(Map<String, byte[]> files) throws Exception {
        List<ManifestEntry> manifest = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String hash = BundleChecksum.of(new java.io.ByteArrayInputStream(f.getValue()))
                    .hex();
            String key = "delta/" + hash + "_" + Path.of(f.getKey()).getFileName();
            Path p = store.dir().resolve(key);
            Files.createDirectories(p.getParent());
            if (!Files.exists(p)) {
                Files.write(p, f.getValue());
            }
            manifest.add(new ManifestEntry(f.getKey(), hash, store.url("/" + key)));
        }
        return manifest;
    }

    private void offerDelta(String version, String sessionKey, List<ManifestEntry> manifest) {
        byte[] answer = new UpdateOffer(
                        version, "https://404.capgo.app/no.zip", sessionKey, "", manifest, null, null, false)
                .toJson();
        server.updates = r -> version.equals(r.object().getString("version_name"))
                ? FakeUpdateServer.NO_NEW_VERSION
                : Reply.wire(200, answer);
    }

    private DeviceConfig.Builder plain() {
        return config().publicKey((BundlePublicKey) null);
    }

    /** A plain device that installed and confirmed the delta release {@code version}. */
    private SimulatedDevice plainDeviceOn(String version, List<ManifestEntry> manifest, DeviceConfig cfg) {
        offerDelta(version, "", manifest);
        SimulatedDevice d = device(cfg, "phone");
        d.launch();
        d.background();
        d.foreground();
        assertThat(d.currentBundle().version()).isEqualTo(version);
        assertThat(d.currentBundle().status()).isEqualTo(BundleStatus.SUCCESS);
        return d;
    }

    private static String path(String url) {
        return java.net.URI.create(url).getPath();
    }

    @Test
    void theGoldenEncryptedDeltaOfTheCapgoCliInstalls() throws Exception {
        JsonNode run = GoldenVectors.json().get("delta_upload_run");
        JsonNode body = new ObjectMapper()
                .readTree(GoldenVectors.file("delta/set_manifest_request_body.json")
                        .toFile());
        List<ManifestEntry> manifest = new ArrayList<>();
        for (JsonNode e : body.get("manifest")) {
            String name = e.get("file_name").asText();
            Path p = store.dir().resolve("golden").resolve(name);
            Files.createDirectories(p.getParent());
            Files.write(p, GoldenVectors.bytes("delta/uploaded-encrypted/" + name));
            manifest.add(new ManifestEntry(name, e.get("file_hash").asText(), store.url("/golden/" + name)));
        }
        offerDelta("1.0.1", run.get("ivSessionKey").asText(), manifest);
        SimulatedDevice d = device(
                config().publicKey(BundlePublicKey.read(GoldenVectors.file("keys/.capgo_key_v2.pub")))
                        .build(),
                "golden");

        d.launch();
        d.background();
        d.foreground();

        assertThat(d.currentBundle().version()).isEqualTo("1.0.1");
        assertThat(d.currentBundle().status()).isEqualTo(BundleStatus.SUCCESS);
        assertThat(d.currentBundle().checksum())
                .as("a manifest bundle has no zip checksum")
                .isEmpty();
        Path root =
                d.stateDir().resolve("files/versions").resolve(d.currentBundle().id());
        for (String f :
                List.of("index.html", "js/app.js", "css/style.css", "assets/img/logo.svg", "assets/data/big.txt")) {
            assertThat(root.resolve(f)).as(f).hasBinaryContent(GoldenVectors.bytes("project/www/" + f));
        }
        assertThat(server.statsActions())
                .containsSubsequence(
                        "download_manifest_start",
                        "download_manifest_complete",
                        "download_complete",
                        "set_next",
                        "set");
        DownloadRecord rec = d.downloads().get(0);
        assertThat(rec.kind()).isEqualTo(DownloadRecord.MANIFEST);
        assertThat(rec.filesFetched()).isEqualTo(5);
        assertThat(rec.networkBytes()).isEqualTo(304 + 128 + 96 + 336 + 192);
        try (Stream<Path> cache = Files.list(d.stateDir().resolve("cache/capgo_downloads"))) {
            assertThat(cache.map(p -> p.getFileName().toString()))
                    .as("the cache, filled after the install")
                    .contains("9f7fb9145a4161b5b942547922be050823630cf4b6c68b61d33e8673cbd2da6e_big.txt")
                    .hasSize(5);
        }
    }

    @Test
    void aOneFileChangeDownloadsOnlyThatPayload() throws Exception {
        Map<String, byte[]> v1 = files("1.0.1", 20);
        SimulatedDevice d = plainDeviceOn("1.0.1", publishPlain(v1), plain().build());
        Map<String, byte[]> v2 = withChange(v1, "assets/f7.txt", "changed in 1.0.2".repeat(40));
        List<ManifestEntry> m2 = publishPlain(v2);
        offerDelta("1.0.2", "", m2);
        store.clearRequests();

        d.background();
        d.foreground();
        d.background();

        assertThat(d.currentBundle().version()).isEqualTo("1.0.2");
        List<RequestRecord> gets =
                store.requests().stream().filter(r -> r.method().equals("GET")).toList();
        String changed = path(m2.stream()
                .filter(e -> e.fileName().equals("assets/f7.txt"))
                .findFirst()
                .orElseThrow()
                .downloadUrl());
        assertThat(gets).extracting(RequestRecord::path).containsExactly(changed);
        DownloadRecord rec = d.downloads().get(d.downloads().size() - 1);
        assertThat(rec.networkBytes()).isEqualTo(v2.get("assets/f7.txt").length);
        assertThat(rec.filesFetched()).isEqualTo(1);
        assertThat(rec.filesReused()).isEqualTo(v2.size() - 1);
        assertThat(d.report()
                        .toJson()
                        .getJsonArray("downloads")
                        .getJsonObject(1)
                        .getLong("network_bytes"))
                .isEqualTo(rec.networkBytes());
        Path root =
                d.stateDir().resolve("files/versions").resolve(d.currentBundle().id());
        for (Map.Entry<String, byte[]> f : v2.entrySet()) {
            assertThat(root.resolve(f.getKey())).as(f.getKey()).hasBinaryContent(f.getValue());
        }
    }

    @Test
    void builtInAssetsWithTheSameHashAreNotDownloaded() throws Exception {
        Map<String, byte[]> v1 = files("1.0.1", 5);
        Path builtin = tmp.resolve("builtin");
        for (Map.Entry<String, byte[]> f : v1.entrySet()) {
            if (!f.getKey().equals("index.html")) {
                Files.createDirectories(builtin.resolve(f.getKey()).getParent());
                Files.write(builtin.resolve(f.getKey()), f.getValue());
            }
        }
        Files.writeString(builtin.resolve("index.html"), "the built-in index.html differs");
        List<ManifestEntry> m1 = publishPlain(v1);

        SimulatedDevice d =
                plainDeviceOn("1.0.1", m1, plain().builtinAssets(builtin).build());

        assertThat(store.requests().stream()
                        .filter(r -> r.method().equals("GET"))
                        .map(RequestRecord::path))
                .containsExactly(path(m1.get(0).downloadUrl())); // index.html only
        assertThat(d.downloads().get(0).filesReused()).isEqualTo(v1.size() - 1);
    }

    @Test
    void aPathThatClimbsOutFailsTheWholeManifestBeforeAnyDownload() throws Exception {
        List<ManifestEntry> m = new ArrayList<>(publishPlain(files("1.0.1", 3)));
        m.add(new ManifestEntry("../x", m.get(0).fileHash(), m.get(0).downloadUrl()));
        offerDelta("1.0.1", "", m);
        SimulatedDevice d = device(plain().build(), "phone");

        d.launch();

        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.DOWNLOAD_FAILED);
        assertThat(store.requests()).as("nothing fetched").isEmpty();
        assertThat(server.statsEvents()).anySatisfy(e -> {
            assertThat(e.getString("action")).isEqualTo("manifest_path_fail");
            assertThat(e.getString("version_name")).isEqualTo("1.0.1:../x");
        });
        assertThat(server.statsActions()).contains("download_fail").doesNotContain("download_manifest_start");
        assertNothingWritten(d);
        assertThat(d.currentBundle().isBuiltin()).isTrue();
    }

    @Test
    void twoEntriesForOneFileFailTheWholeManifest() throws Exception {
        List<ManifestEntry> m = new ArrayList<>(publishPlain(files("1.0.1", 2)));
        ManifestEntry app = m.get(1);
        m.add(new ManifestEntry(app.fileName() + ".br", app.fileHash(), app.downloadUrl()));
        offerDelta("1.0.1", "", m);
        SimulatedDevice d = device(plain().build(), "phone");

        d.launch();

        assertThat(server.statsActions()).contains("manifest_path_fail", "download_fail");
        assertThat(store.requests()).isEmpty();
        assertNothingWritten(d);
    }

    @Test
    void aCorruptedPayloadIsAChecksumFailAndTheDeviceKeepsItsBundle() throws Exception {
        Map<String, byte[]> v1 = files("1.0.1", 4);
        SimulatedDevice d = plainDeviceOn("1.0.1", publishPlain(v1), plain().build());
        Map<String, byte[]> v2 = withChange(v1, "assets/f2.txt", "new in 1.0.2 ".repeat(30));
        List<ManifestEntry> m2 = publishPlain(v2);
        String changed = path(m2.get(4).downloadUrl());
        store.addFault(changed, Fault.parse("flip:3"));
        offerDelta("1.0.2", "", m2);
        server.statsRequests.clear();

        d.background();
        d.foreground();

        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.DOWNLOAD_FAILED);
        assertThat(server.statsEvents()).anySatisfy(e -> {
            assertThat(e.getString("action")).isEqualTo("download_manifest_checksum_fail");
            assertThat(e.getString("version_name")).isEqualTo("1.0.2:assets/f2.txt");
        });
        assertThat(server.statsActions())
                .containsSubsequence("download_manifest_start", "download_manifest_checksum_fail", "download_fail")
                .doesNotContain("download_manifest_complete", "set_next");
        assertThat(d.currentBundle().version()).isEqualTo("1.0.1");
        assertThat(d.bundle("1.0.2").status()).isEqualTo(BundleStatus.ERROR);
        assertThat(d.hasFolder(d.bundle("1.0.2").id())).isFalse();
        assertNoLeftovers(d);
        try (Stream<Path> cache = Files.list(d.stateDir().resolve("cache/capgo_downloads"))) {
            assertThat(cache.map(p -> p.getFileName().toString()))
                    .as("nothing unverified in the cache")
                    .noneMatch(n -> n.startsWith(m2.get(4).fileHash()));
        }
    }

    @Test
    void aMissingPayloadIsAFileFail() throws Exception {
        List<ManifestEntry> m = publishPlain(files("1.0.1", 2));
        store.addFault(path(m.get(2).downloadUrl()), Fault.parse("404"));
        offerDelta("1.0.1", "", m);
        SimulatedDevice d = device(plain().build(), "phone");

        d.launch();

        assertThat(server.statsEvents()).anySatisfy(e -> {
            assertThat(e.getString("action")).isEqualTo("download_manifest_file_fail");
            assertThat(e.getString("version_name"))
                    .isEqualTo("1.0.1:" + m.get(2).fileName());
        });
        assertThat(d.currentBundle().isBuiltin()).isTrue();
        assertNoLeftovers(d);
    }

    @Test
    void aCutTransferResumesWithARangeAndAResetConnectionIsRetried() throws Exception {
        Map<String, byte[]> v1 = files("1.0.1", 2);
        v1.put("assets/big.bin", new byte[200_000]);
        new java.util.Random(7).nextBytes(v1.get("assets/big.bin"));
        List<ManifestEntry> m = publishPlain(v1);
        String big = path(m.get(4).downloadUrl());
        store.addFault(big, Fault.parse("truncate:50000#1"));
        store.addFault("/delta/*", Fault.parse("reset#1")); // the first payload request of all: no answer at all

        SimulatedDevice d =
                plainDeviceOn("1.0.1", m, plain().downloadBackoffMs(0).build());

        List<RequestRecord> bigGets = store.requests(big);
        assertThat(bigGets.stream().map(RequestRecord::range)).contains("bytes=50000-");
        assertThat(store.requests().stream().filter(r -> "reset:0#1".equals(r.fault())))
                .hasSize(1);
        assertThat(d.stateDir()
                        .resolve("files/versions")
                        .resolve(d.currentBundle().id())
                        .resolve("assets/big.bin"))
                .hasBinaryContent(v1.get("assets/big.bin"));
    }

    private static void assertNothingWritten(SimulatedDevice d) throws Exception {
        try (Stream<Path> versions = Files.list(d.stateDir().resolve("files/versions"))) {
            assertThat(versions).isEmpty();
        }
        assertNoLeftovers(d);
    }

    private static void assertNoLeftovers(SimulatedDevice d) throws Exception {
        try (Stream<Path> cache = Files.list(d.stateDir().resolve("cache"))) {
            assertThat(cache.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("capgo_unzip_"));
        }
        try (Stream<Path> files = Files.list(d.stateDir().resolve("files"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("temp_") || n.startsWith("update_"));
        }
    }
}
