package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static dev.updraft.server.api.Api.info;
import static dev.updraft.server.api.Api.newApp;
import static dev.updraft.server.api.Api.newDevice;
import static dev.updraft.server.api.Api.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Delta (manifest) bundles on the device API over real HTTP (docs/protocol.md §2.8, §7): the manifest answer,
 * gzip-compressed on the wire for clients that accept it, the zip for plugins that cannot install a manifest, a
 * manifest without a zip, and {@code POST /updates/manifest_size} exact to the byte, with its hostile bodies.
 */
@QuarkusTest
class DeltaApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String STORE = "https://store.example.com/b/";
    private static final int FILES = 3000;

    @TestHTTPResource("/")
    URI root;

    /** {@code i}-th file of a generated bundle: a name, a SHA-256, its payload's URL as the CLI names it, and its size. */
    private static Map<String, Object> entry(int i) {
        String hash = sha256(Integer.toString(i));
        String name = "assets/chunk-" + i + (i % 3 == 0 ? ".js.br" : ".js");
        return Map.of(
                "file_name",
                name,
                "file_hash",
                hash,
                "download_url",
                STORE + "com.example.app/delta/" + sha256(hash) + "_" + name,
                "size",
                1000L + i);
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** An app whose public channel serves {@code version} with a manifest of {@code files} entries (and a zip unless deltaOnly). */
    private static String appWithManifest(String version, int files, boolean deltaOnly) {
        String app = newApp("delta");
        List<Map<String, Object>> manifest = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            manifest.add(entry(i));
        }
        Map<String, Object> body = ch("version", version, "manifest", manifest);
        if (!deltaOnly) {
            body.putAll(ch("external_url", STORE + version + ".zip", "checksum", Api.SHA));
        }
        admin().body(body).post("/api/v1/apps/{a}/bundles", app).then().statusCode(201);
        channel(app, ch("name", "production", "public", true, "bundle", version));
        return app;
    }

    private HttpResponse<byte[]> post(String path, Object body, String acceptEncoding) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(root.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (acceptEncoding != null) {
            r.header("Accept-Encoding", acceptEncoding);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        byte[] body = r.body();
        if ("gzip".equals(r.headers().firstValue("Content-Encoding").orElse(""))) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            }
        }
        return JSON.readTree(body);
    }

    @Test
    void aThousandsOfFilesAnswerIsGzippedOnTheWireAndDecodesToTheSameJson() throws Exception {
        String app = appWithManifest("1.0.1", FILES, false);
        Map<String, Object> device = info(app, newDevice());
        HttpResponse<byte[]> plain = post("/updates", device, null);
        HttpResponse<byte[]> gzipped = post("/updates", device, "gzip, deflate, br");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(gzipped.statusCode()).isEqualTo(200);
        assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(gzipped.headers().firstValue("Vary").orElse("")).containsIgnoringCase("Accept-Encoding");
        assertThat(json(gzipped)).isEqualTo(json(plain));
        // Random hashes compress poorly; names and URL prefixes well: about a third on the wire (docs/protocol.md
        // §7.3).
        assertThat(gzipped.body().length).isLessThan(plain.body().length / 2);
        System.out.printf(
                "manifest answer for %d files: %d bytes, %d gzip-compressed%n",
                FILES, plain.body().length, gzipped.body().length);

        JsonNode manifest = json(plain).get("manifest");
        assertThat(manifest).hasSize(FILES);
        for (JsonNode e : manifest) {
            assertThat(URI.create(e.get("download_url").asText()).isAbsolute()).isTrue();
            assertThat(e.has("size")).isFalse(); // the wire entry is {file_name, file_hash, download_url}
        }
        assertThat(post("/updates", device, "gzip;q=0").headers().firstValue("Content-Encoding"))
                .isEmpty();
        assertThat(post("/updates", device, "identity").headers().firstValue("Content-Encoding"))
                .isEmpty();
    }

    @Test
    void aPluginThatCannotInstallAManifestGetsTheZip() throws Exception {
        String app = appWithManifest("1.0.1", 3, false);
        JsonNode old = json(post("/updates", with(info(app, newDevice()), "plugin_version", "6.24.0"), "gzip"));
        assertThat(old.get("url").asText()).isEqualTo(STORE + "1.0.1.zip");
        assertThat(old.has("manifest")).isFalse();
        JsonNode current = json(post("/updates", info(app, newDevice()), "gzip"));
        assertThat(current.get("manifest")).hasSize(3);
    }

    @Test
    void aManifestWithoutAZipGoesOnlyToPluginsThatInstallManifests() throws Exception {
        String app = appWithManifest("1.0.1", 3, true);
        JsonNode current = json(post("/updates", info(app, newDevice()), null));
        assertThat(current.get("manifest")).hasSize(3);
        assertThat(current.get("url").asText())
                .isEqualTo(current.get("manifest").get(0).get("download_url").asText());
        assertThat(current.get("checksum").asText()).isEmpty();
        JsonNode old = json(post("/updates", with(info(app, newDevice()), "plugin_version", "6.24.0"), null));
        assertThat(old.get("error").asText()).isEqualTo("no_bundle_url");
        assertThat(old.get("kind").asText()).isEqualTo("failed");
        admin().get("/api/v1/apps/{a}/bundles/1.0.1", app)
                .then()
                .statusCode(200)
                .body("external_url", equalTo(""))
                .body("manifest[1].size", equalTo(1001));
    }

    @Test
    void manifestSizeAnswersTheBytesToDownloadExactToTheByte() throws Exception {
        String app = appWithManifest("1.0.1", 5, false);
        List<Object> asked = new ArrayList<>();
        for (int i : new int[] {0, 2, 4}) {
            Map<String, Object> e = new java.util.HashMap<>(entry(i));
            e.remove("size");
            asked.add(e);
        }
        asked.add(Map.of("file_name", "assets/chunk-1.js", "file_hash", "f".repeat(64), "download_url", STORE + "x"));
        asked.add(Map.of("file_name", "../x", "file_hash", sha256("2"), "download_url", STORE + "y"));
        HttpResponse<byte[]> r = post(
                "/updates/manifest_size", with(info(app, newDevice()), "version", "1.0.1", "manifest", asked), "gzip");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode answer = json(r);
        assertThat(answer.get("totalSize").asLong()).isEqualTo(1000 + 1002 + 1004);
        assertThat(answer.get("knownFiles").asInt()).isEqualTo(3);
        assertThat(answer.get("unknownFiles").asInt()).isEqualTo(2);
        assertThat(answer.get("files").get(1).get("size").asLong()).isEqualTo(1002);
        assertThat(answer.get("files").get(1).has("error")).isFalse();
        assertThat(answer.get("files").get(3).get("error").asText()).isEqualTo("not_in_manifest");
        assertThat(answer.get("files").get(3).has("size")).isFalse();
        assertThat(answer.get("files").get(4).get("error").asText()).isEqualTo("invalid_file_name");

        JsonNode unknownVersion = json(post(
                "/updates/manifest_size", with(info(app, newDevice()), "version", "9.9.9", "manifest", asked), null));
        assertThat(unknownVersion.get("totalSize").asLong()).isZero();
        assertThat(unknownVersion.get("files").get(0).get("error").asText()).isEqualTo("unknown_version");
    }

    @Test
    void hostileManifestSizeBodiesGetJsonErrorsNeverA500() throws Exception {
        String app = appWithManifest("1.0.1", 2, false);
        List<Object> one = List.of(Map.of("file_name", "index.html", "file_hash", "a", "download_url", STORE + "i"));
        Map<String, Object> device = info(app, newDevice());
        assertError(
                post(
                        "/updates/manifest_size",
                        with(info("com.example.nothere", newDevice()), "version", "1.0.1", "manifest", one),
                        null),
                429,
                "on_premise_app");
        assertError(post("/updates/manifest_size", with(device, "manifest", one), null), 400, "invalid_json_body");
        assertError(post("/updates/manifest_size", with(device, "version", "1.0.1"), null), 400, "invalid_json_body");
        assertError(
                post("/updates/manifest_size", with(device, "version", "1.0.1", "manifest", "index.html"), null),
                400,
                "invalid_json_body");
        assertError(
                post(
                        "/updates/manifest_size",
                        with(device, "version", "1.0.1", "manifest", List.of(Map.of("file_name", 7))),
                        null),
                400,
                "invalid_json_body");
        assertError(
                post(
                        "/updates/manifest_size",
                        with(device, "device_id", "not-a-uuid", "version", "1.0.1", "manifest", one),
                        null),
                400,
                "invalid_json_body");
        List<Object> tooMany = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            tooMany.add(Map.of("file_name", "f" + i, "file_hash", "a"));
        }
        assertError(
                post("/updates/manifest_size", with(device, "version", "1.0.1", "manifest", tooMany), null),
                400,
                "invalid_json_body");
        HttpResponse<byte[]> notJson = HTTP.send(
                HttpRequest.newBuilder(root.resolve("/updates/manifest_size"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"app_id\":"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertError(notJson, 400, "invalid_json_parse_body");
        List<Object> bad = List.of(
                Map.of("file_name", "/etc/passwd", "file_hash", "a"),
                Map.of("file_name", "a\\b", "file_hash", "a"),
                Map.of("file_name", "", "file_hash", ""));
        JsonNode badNames =
                json(post("/updates/manifest_size", with(device, "version", "1.0.1", "manifest", bad), null));
        for (JsonNode f : badNames.get("files")) {
            assertThat(f.get("error").asText()).isEqualTo("invalid_file_name");
        }
    }

    private static void assertError(HttpResponse<byte[]> r, int status, String error) throws IOException {
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(status);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("message").isTextual()).isTrue();
    }

    @Test
    void theAdminApiStoresEachPayloadsSizeAndRefusesBadOnes() {
        String app = newApp("delta");
        Map<String, Object> good =
                Map.of("file_name", "index.html", "file_hash", Api.SHA, "download_url", STORE + "i", "size", 328);
        admin().body(ch(
                        "version",
                        "1.0.1",
                        "external_url",
                        STORE + "z.zip",
                        "checksum",
                        Api.SHA,
                        "manifest",
                        List.of(good)))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(201)
                .body("manifest[0].size", equalTo(328));
        for (Object size : List.of(-1, 1.5, "328")) {
            Map<String, Object> e = new java.util.HashMap<>(good);
            e.put("size", size);
            admin().body(ch(
                            "version",
                            "1.0.2",
                            "external_url",
                            STORE + "z.zip",
                            "checksum",
                            Api.SHA,
                            "manifest",
                            List.of(e)))
                    .post("/api/v1/apps/{a}/bundles", app)
                    .then()
                    .statusCode(400);
        }
        admin().body(ch("version", "1.0.3", "checksum", Api.SHA))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(400)
                .body("details[0].field", equalTo("external_url"));
        admin().body(ch("version", "1.0.4", "manifest", List.of()))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(400)
                .body("details[0].field", equalTo("external_url"));
    }
}
