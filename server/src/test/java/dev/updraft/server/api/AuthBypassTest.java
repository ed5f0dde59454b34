package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every spelling of every admin route, over a raw socket, with every method: without a key nothing is served (400,
 * 401, 404, 405 or 414, never 2xx); with a key the refused spellings stay refused; and nothing changes either way.
 * Also: a delete removes only what it names, and identifiers are refused before any lookup.
 */
@QuarkusTest
class AuthBypassTest {
    /** Metrics and OpenAPI are on the management interface (quarkus.management.test-port=0). */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/q", management = true)
    java.net.URL management;

    static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    static final List<String> DOTS =
            List.of(".", "..", "%2e", "%2E", "%2e%2e", "%2E%2E", ".%2e", "%2e.", ".%2E", "%2E.");
    static final List<String> ENCODED_SLASHES = List.of("%2F", "%2f", "%5C", "%5c", "\\");
    static final List<String> BAD_BYTES = List.of("%00", "%0a", "%0D", "%1f", "%7f", "%ZZ", "%", "%4", "%C3%28", "%FF");
    static final String BODY =
            "{\"app_id\":\"com.attacker.created\",\"name\":\"attacker\",\"channel\":\"beta\",\"version\":\"6.6.6\","
                    + "\"external_url\":\"https://evil.example.com/x.zip\",\"checksum\":\"" + Api.SHA + "\"}";
    /** What Quarkus's root handler refuses as not a java.net.URI (bare 400), or the decoder as too long (bare 414). */
    static final Pattern EMPTY_BODY_EXPECTED = Pattern.compile(".*(\\\\|%(?![0-9A-Fa-f]{2})).*");

    private static final ObjectMapper JSON = new ObjectMapper();

    String app;
    String device;

    @BeforeEach
    void seed() {
        app = Api.newApp("bypass");
        Api.bundle(app, "1.0.0");
        Api.bundle(app, "1.0.1");
        Api.channel(app, Api.ch("name", "beta", "bundle", "1.0.0"));
        device = UUID.randomUUID().toString();
        admin().body(Map.of("channel", "beta"))
                .put("/api/v1/apps/{a}/devices/{d}/override", app, device)
                .then()
                .statusCode(200);
    }

    List<String> canonicalPaths() {
        String a = "/api/v1/apps/" + app;
        return List.of(
                "/api/v1/apps",
                a,
                a + "/bundles",
                a + "/bundles/1.0.0",
                a + "/channels",
                a + "/channels/beta",
                a + "/devices",
                a + "/devices/" + device + "/override",
                a + "/stats",
                a + "/events",
                "/api/v1/admin-keys",
                "/api/v1/admin-keys/configured",
                "/api/v1/audit");
    }

    @Test
    void everySpelling_withoutAKey_servesNothing_andChangesNothing() {
        String before = state();
        String audit = lastAudit();
        int sent = 0;
        for (String path : canonicalPaths()) {
            for (String target : allSpellings(path)) {
                for (String method : METHODS) {
                    RawHttp.Answer answer = RawHttp.send(
                            method, target, null, method.equals("GET") || method.equals("DELETE") ? null : BODY);
                    assertThat(answer.status())
                            .as("%s %s -> %s", method, target, answer)
                            .isIn(400, 401, 404, 405, 414);
                    assertErrorBody(target, answer);
                    sent++;
                }
            }
        }
        assertThat(sent).isGreaterThan(5_000);
        assertThat(state()).isEqualTo(before);
        assertThat(lastAudit()).isEqualTo(audit);
        // Attacker-chosen paths do not become metrics tags (one tag per refused or unmatched kind instead).
        String metrics = RestAssured.given()
                .baseUri("http://" + management.getHost())
                .port(management.getPort())
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(metrics)
                .doesNotContain("uri=\"/%61pi")
                .doesNotContain("uri=\"/api/v1/apps/" + app + "\"")
                .contains("uri=\"/REFUSED\"");
    }

    @Test
    void refusedSpellings_withAKey_stayRefused_andChangeNothing() {
        String before = state();
        String audit = lastAudit();
        for (String path : canonicalPaths()) {
            for (String target : refusedSpellings(path)) {
                for (String method : METHODS) {
                    RawHttp.Answer answer = RawHttp.send(
                            method, target, Api.KEY, method.equals("GET") || method.equals("DELETE") ? null : BODY);
                    assertThat(answer.status())
                            .as("%s %s -> %s", method, target, answer)
                            .isIn(400, 414);
                    assertErrorBody(target, answer);
                }
            }
            for (String target : caseChanges(path)) {
                for (String method : METHODS) {
                    RawHttp.Answer answer = RawHttp.send(
                            method, target, Api.KEY, method.equals("GET") || method.equals("DELETE") ? null : BODY);
                    assertThat(answer.status())
                            .as("%s %s -> %s", method, target, answer)
                            .isIn(404, 405);
                    assertErrorBody(target, answer);
                }
            }
        }
        assertThat(state()).isEqualTo(before);
        assertThat(lastAudit())
                .as("no refused spelling reached a resource method")
                .isEqualTo(audit);
    }

    /** The same resource spelled with encoded unreserved characters is the same resource, and needs the same key. */
    @Test
    void equivalentSpellings_areTheSameResource_withTheSameRule() {
        String encodedApi = "/%61pi/v%31/%61pps/" + app.replace(".", "%2E");
        assertThat(RawHttp.send("GET", encodedApi, null, null).status()).isEqualTo(401);
        RawHttp.Answer keyed = RawHttp.send("GET", encodedApi, Api.KEY, null);
        assertThat(keyed.status()).as(keyed.toString()).isEqualTo(200);
        assertThat(keyed.body()).contains("\"app_id\":\"" + app + "\"");
        assertThat(RawHttp.send("GET", "/api/v1/apps/" + app + "/", Api.KEY, null)
                        .status())
                .isEqualTo(200);
        assertThat(RawHttp.send("DELETE", encodedApi, null, null).status()).isEqualTo(401);
        admin().get("/api/v1/apps/{a}", app).then().statusCode(200);
    }

    @Test
    void canonicalPaths_withTheKey_work() {
        for (String path : canonicalPaths()) {
            RawHttp.Answer answer = RawHttp.send("GET", path, Api.KEY, null);
            if (path.endsWith("/override") || path.endsWith("/admin-keys/configured")) {
                assertThat(answer.status()).as(path).isIn(404, 405); // write-only routes
            } else {
                assertThat(answer.status()).as("%s -> %s", path, answer).isEqualTo(200);
            }
        }
    }

    @Test
    void deletingDotsEmptyOrEncodedSlashes_removesNothing() {
        String before = state();
        String a = "/api/v1/apps/" + app;
        List<String> names = new ArrayList<>(DOTS);
        names.addAll(
                List.of("", "%2F", "..%2F..", "%2e%2e%2f%2e%2e", "1.0.0%2F..", "%2F%2E%2E", "beta%5C..", "..;", "%3B"));
        for (String name : names) {
            for (String collection : List.of("/bundles/", "/channels/", "/devices/")) {
                String target = a + collection + name + (collection.equals("/devices/") ? "/override" : "");
                RawHttp.Answer answer = RawHttp.send("DELETE", target, Api.KEY, null);
                assertThat(answer.status())
                        .as("DELETE %s -> %s", target, answer)
                        .isBetween(400, 499);
            }
            RawHttp.Answer key = RawHttp.send("DELETE", "/api/v1/admin-keys/" + name, Api.KEY, null);
            assertThat(key.status()).as("DELETE admin-keys/%s -> %s", name, key).isBetween(400, 499);
        }
        assertThat(state()).isEqualTo(before);
        // The named bundle goes, and only it.
        admin().delete("/api/v1/apps/{a}/bundles/1.0.1", app).then().statusCode(204);
        admin().get("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(200)
                .body("entries.version", equalTo(List.of("1.0.0")));
        admin().get("/api/v1/apps/{a}/channels/beta", app)
                .then()
                .statusCode(200)
                .body("bundle", equalTo("1.0.0"));
        admin().get("/api/v1/apps/{a}", app).then().statusCode(200);
    }

    /** Well-formed paths with ids that are not ids: 400 with the field named, before any lookup (so never a 404). */
    @Test
    void invalidIdentifiers_inPaths_areRefusedBeforeAnyLookup() {
        String a = "/api/v1/apps/" + app;
        Map<String, String> cases = Map.of(
                "/api/v1/apps/nodots",
                "app_id",
                "/api/v1/apps/com.x%20y",
                "app_id",
                a + "/bundles/not-a-version",
                "version",
                a + "/bundles/1.0",
                "version",
                a + "/channels/-leading-dash",
                "channel",
                a + "/channels/" + "c".repeat(129),
                "channel",
                a + "/devices/not-a-uuid/override",
                "device_id",
                "/api/v1/admin-keys/UPPER",
                "key_name");
        cases.forEach((target, field) -> {
            RawHttp.Answer answer = RawHttp.send("DELETE", target, Api.KEY, null);
            assertThat(answer.status()).as("DELETE %s -> %s", target, answer).isEqualTo(400);
            JsonNode body = json(answer);
            assertThat(body.path("error").asText()).isEqualTo("validation_failed");
            assertThat(body.path("details").get(0).path("field").asText()).isEqualTo(field);
            // Without a key, nothing is said about the path.
            assertThat(RawHttp.send("DELETE", target, null, null).status())
                    .as(target)
                    .isEqualTo(401);
        });
        // Identifiers in bodies are the same rules.
        admin().body(Map.of("channel", "../beta"))
                .put("/api/v1/apps/{a}/devices/{d}/override", app, device)
                .then()
                .statusCode(400)
                .body("details[0].field", equalTo("channel"));
        admin().body(Map.of("name", ".."))
                .post("/api/v1/apps/{a}/channels", app)
                .then()
                .statusCode(400)
                .body("details[0].field", equalTo("name"));
        admin().body(Map.of("app_id", "com.x/../y"))
                .post("/api/v1/apps")
                .then()
                .statusCode(400)
                .body("details[0].field", equalTo("app_id"));
    }

    /** Everything an attacker could have changed, read through the admin API (timestamps of use left out). */
    String state() {
        StringBuilder s = new StringBuilder();
        s.append(Api.all("/api/v1/apps"));
        for (String part : List.of("bundles", "channels", "devices")) {
            s.append(Api.all("/api/v1/apps/{a}/" + part, app));
        }
        s.append(Api.all("/api/v1/admin-keys").stream()
                .filter(k -> Boolean.TRUE.equals(k.get("active")))
                .map(k -> k.get("name"))
                .toList());
        return s.toString();
    }

    /** The newest audit entry: unchanged when no request reached an admin resource method with a key. */
    static String lastAudit() {
        return admin().queryParam("limit", "1")
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("entries[0].id");
    }

    static void assertErrorBody(String target, RawHttp.Answer answer) {
        if (EMPTY_BODY_EXPECTED.matcher(target).matches() || target.length() > 4000) {
            // Refused before any application code runs: documented in docs/admin-api.md ("Errors").
            assertThat(answer.body()).as(answer.toString()).isEmpty();
            return;
        }
        JsonNode body = json(answer);
        assertThat(body.path("error").isTextual() && body.path("message").isTextual())
                .as(answer.toString())
                .isTrue();
    }

    static JsonNode json(RawHttp.Answer answer) {
        try {
            return JSON.readTree(answer.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + answer, e);
        }
    }

    static Set<String> allSpellings(String path) {
        Set<String> all = new LinkedHashSet<>(equivalentSpellings(path));
        all.addAll(refusedSpellings(path));
        all.addAll(caseChanges(path));
        return all;
    }

    /** Each character percent-encoded (both hex cases for letters), and a trailing slash. */
    static Set<String> equivalentSpellings(String path) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 1; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '/') {
                continue;
            }
            String hex = String.format("%%%02X", (int) c);
            out.add(path.substring(0, i) + hex + path.substring(i + 1));
            if (Character.isLetter(c)) {
                out.add(path.substring(0, i) + hex.toLowerCase(Locale.ROOT) + path.substring(i + 1));
            }
        }
        out.add(path + "/");
        return out;
    }

    /** Dot segments (inserted and in place of each segment), '//', ';', encoded slashes, bad bytes, overlong. */
    static Set<String> refusedSpellings(String path) {
        String[] segments = path.substring(1).split("/");
        Set<String> out = new LinkedHashSet<>();
        for (int k = 0; k < segments.length; k++) {
            String head = "/" + String.join("/", List.of(segments).subList(0, k + 1));
            String tail = k + 1 < segments.length
                    ? "/" + String.join("/", List.of(segments).subList(k + 1, segments.length))
                    : "";
            String before =
                    k == 0 ? "" : "/" + String.join("/", List.of(segments).subList(0, k));
            for (String dot : DOTS) {
                out.add(head + "/" + dot + tail);
                out.add(before + "/" + dot + tail);
            }
            out.add(before + "//" + segments[k] + tail);
            out.add(head + ";x=1" + tail);
            if (k > 0) {
                for (String slash : ENCODED_SLASHES) {
                    out.add(before + slash + segments[k] + tail);
                }
            }
        }
        out.add(path + ";");
        for (String bad : BAD_BYTES) {
            out.add(path + bad);
        }
        out.add(path + "/" + "a".repeat(2100));
        out.add(path + "/" + "a".repeat(5000));
        return out;
    }

    static List<String> caseChanges(String path) {
        List<String> out = new ArrayList<>();
        out.add(path.toUpperCase(Locale.ROOT));
        out.add(path.replaceFirst("/api/", "/API/"));
        out.add(path.replaceFirst("/v1/", "/V1/"));
        out.add(path.replaceFirst("/v1/a", "/v1/A"));
        return out;
    }
}
