package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.bundle;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static dev.updraft.server.api.Api.newApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin API of docs/admin-api.md over real HTTP: auth, each resource, and bad input. */
@QuarkusTest
class AdminApiTest {
    static final String ENC_CHECKSUM = "3049ea3ed5383c19".repeat(32);
    static final String SESSION_KEY = "vDnJ9AfkkBgkrcjYzeTZKA==:" + "A".repeat(340) + "AA==";

    @Test
    void auth_missingWrongAndRightKey() {
        RestAssured.given()
                .get("/api/v1/apps")
                .then()
                .statusCode(401)
                .body("error", equalTo("missing_api_key"))
                .header("WWW-Authenticate", "Bearer");
        RestAssured.given()
                .header("Authorization", "Bearer not-the-key")
                .get("/api/v1/apps")
                .then()
                .statusCode(401)
                .body("error", equalTo("invalid_api_key"));
        RestAssured.given()
                .header("Authorization", "Basic dGVzdDp0ZXN0")
                .get("/api/v1/apps")
                .then()
                .statusCode(401)
                .body("error", equalTo("missing_api_key"));
        // Access is decided on the matched resource: an unknown path is a 404 with or without a key.
        RestAssured.given().get("/api/v1/no-such-thing").then().statusCode(404).body("error", equalTo("not_found"));
        admin().get("/api/v1/apps").then().statusCode(200);
        admin().get("/api/v1/no-such-thing").then().statusCode(404).body("error", equalTo("not_found"));
        // Device endpoints are public by design.
        RestAssured.given().body("{}").post("/updates").then().statusCode(400);
    }

    @Test
    void apps_crud() {
        String app = newApp("adm");
        admin().get("/api/v1/apps/{a}", app)
                .then()
                .statusCode(200)
                .body("app_id", equalTo(app))
                .body("name", equalTo(app))
                .body(
                        "created_at",
                        org.hamcrest.Matchers.matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"));
        assertThat(Api.all("/api/v1/apps")).extracting(a -> a.get("app_id")).contains(app);
        admin().body(Map.of("app_id", app))
                .post("/api/v1/apps")
                .then()
                .statusCode(409)
                .body("error", equalTo("app_exists"));
        admin().body(Map.of("app_id", "com.named." + System.nanoTime(), "name", "Named App"))
                .post("/api/v1/apps")
                .then()
                .statusCode(201)
                .body("name", equalTo("Named App"));
        Response bad = admin().body(Map.of("app_id", "no_dots")).post("/api/v1/apps");
        bad.then()
                .statusCode(400)
                .body("error", equalTo("validation_failed"))
                .body("details[0].field", equalTo("app_id"));
        admin().body(Map.of("app_id", "com.x.y", "colour", "red"))
                .post("/api/v1/apps")
                .then()
                .statusCode(400)
                .body("details.field", hasItem("colour"));
        admin().body(Map.of("app_id", 12))
                .post("/api/v1/apps")
                .then()
                .statusCode(400)
                .body("details[0].message", equalTo("must be a string"));
        admin().get("/api/v1/apps/com.nope.nope").then().statusCode(404).body("error", equalTo("app_not_found"));
        admin().urlEncodingEnabled(false)
                .get("/api/v1/apps/com.x%00y")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_path"));
        admin().urlEncodingEnabled(false)
                .get("/api/v1/apps/" + app + "/bundles/1%00")
                .then()
                .statusCode(400);
        admin().urlEncodingEnabled(false)
                .get("/api/v1/apps/" + app + "/channels/a%00b")
                .then()
                .statusCode(400);
        admin().urlEncodingEnabled(false)
                .get("/api/v1/apps/" + app + "/events?device_id=a%00b")
                .then()
                .statusCode(400);
        admin().body(Map.of("app_id", "com.nul.name", "name", "a\u0000b"))
                .post("/api/v1/apps")
                .then()
                .statusCode(400)
                .body("details[0].field", equalTo("name"));
        admin().body(Map.of(
                        "version",
                        "1.0.0-" + "a".repeat(300),
                        "external_url",
                        "https://x.example.com/a.zip",
                        "checksum",
                        Api.SHA))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(400)
                .body("details[0].field", equalTo("version"));

        bundle(app, "1.0.1");
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.1"));
        admin().delete("/api/v1/apps/{a}", app).then().statusCode(204);
        admin().get("/api/v1/apps/{a}", app).then().statusCode(404);
        admin().delete("/api/v1/apps/{a}", app).then().statusCode(404);
        // The device API no longer knows the app: 429 on_premise_app (docs/protocol.md §1.6).
        RestAssured.given()
                .header("X-Forwarded-For", "192.0.2.10")
                .body(Api.info(app, Api.newDevice()))
                .post("/updates")
                .then()
                .statusCode(429)
                .body("error", equalTo("on_premise_app"));
    }

    @Test
    void bundles_registerIdempotently_neverReuseVersions() {
        String app = newApp("adm");
        Map<String, Object> in = Map.of(
                "version",
                "1.0.1",
                "external_url",
                "https://cdn.example.com/a.zip",
                "checksum",
                Api.SHA,
                "link",
                "https://example.com/notes",
                "comment",
                "first",
                "breaking",
                true);
        admin().body(in)
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(201)
                .body("version", equalTo("1.0.1"))
                .body("encrypted", equalTo(false))
                .body("session_key", equalTo(""))
                .body("key_id", nullValue())
                .body("breaking", equalTo(true))
                .body("link", equalTo("https://example.com/notes"));
        admin().body(in)
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(200)
                .body("comment", equalTo("first"));
        Map<String, Object> other = Api.with(in, "external_url", "https://cdn.example.com/b.zip");
        admin().body(other)
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(409)
                .body("error", equalTo("version_exists"));

        admin().body(Map.of(
                        "version",
                        "1.0.2",
                        "external_url",
                        "https://cdn.example.com/e.zip",
                        "checksum",
                        ENC_CHECKSUM,
                        "session_key",
                        SESSION_KEY,
                        "key_id",
                        "MIIBCgKCAQEAzNUtP9rS",
                        "manifest",
                        List.of(Map.of(
                                "file_name",
                                "index.html",
                                "file_hash",
                                ENC_CHECKSUM,
                                "download_url",
                                "https://cdn.example.com/f/index.html")),
                        "min_update_version",
                        "1.0.0"))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(201)
                .body("encrypted", equalTo(true))
                .body("manifest[0].file_name", equalTo("index.html"))
                .body("min_update_version", equalTo("1.0.0"));
        admin().get("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(200)
                .body("entries.version", equalTo(List.of("1.0.2", "1.0.1")));
        admin().get("/api/v1/apps/{a}/bundles/1.0.2", app)
                .then()
                .statusCode(200)
                .body("key_id", equalTo("MIIBCgKCAQEAzNUtP9rS"));
        admin().get("/api/v1/apps/{a}/bundles/9.9.9", app)
                .then()
                .statusCode(404)
                .body("error", equalTo("bundle_not_found"));

        channel(app, ch("name", "production", "public", true, "bundle", "1.0.1"));
        admin().delete("/api/v1/apps/{a}/bundles/1.0.1", app)
                .then()
                .statusCode(409)
                .body("error", equalTo("bundle_in_use"));
        admin().delete("/api/v1/apps/{a}/bundles/1.0.2", app).then().statusCode(204);
        admin().get("/api/v1/apps/{a}/bundles/1.0.2", app).then().statusCode(404);
        admin().body(Map.of("version", "1.0.2", "external_url", "https://cdn.example.com/e.zip", "checksum", Api.SHA))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(409)
                .body("error", equalTo("version_exists"));
        admin().body(Map.of("version", "1.0.3", "external_url", "https://x.example.com/a.zip", "checksum", Api.SHA))
                .post("/api/v1/apps/{a}/bundles", "com.no.app")
                .then()
                .statusCode(404)
                .body("error", equalTo("app_not_found"));
    }

    @Test
    void bundles_validation() {
        String app = newApp("adm");
        Response r = admin().body(Map.of(
                        "version", "one", "external_url", "ftp://x", "checksum", "ABC", "breaking", "yes", "extra", 1))
                .post("/api/v1/apps/{a}/bundles", app);
        r.then().statusCode(400).body("error", equalTo("validation_failed"));
        assertThat(r.jsonPath().getList("details.field", String.class))
                .contains("version", "external_url", "checksum", "breaking", "extra");
        // Encrypted bundles: 512-hex checksum, session key shape, key_id required.
        admin().body(Map.of(
                        "version",
                        "1.0.1",
                        "external_url",
                        "https://x.example.com/a.zip",
                        "checksum",
                        Api.SHA,
                        "session_key",
                        SESSION_KEY))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(400)
                .body("details.field", org.hamcrest.Matchers.hasItems("checksum", "key_id"));
        admin().body(Map.of(
                        "version",
                        "1.0.1",
                        "external_url",
                        "https://x.example.com/a.zip",
                        "checksum",
                        ENC_CHECKSUM,
                        "session_key",
                        "nocolon",
                        "key_id",
                        "MIIBCgKCAQEAzNUtP9rS"))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(400)
                .body("details[0].field", equalTo("session_key"));
        admin().body(Map.of(
                        "version",
                        "1.0.1",
                        "external_url",
                        "https://x.example.com/a.zip",
                        "checksum",
                        Api.SHA,
                        "key_id",
                        "MIIBCgKCAQEAzNUtP9rS"))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(400)
                .body("details[0].field", equalTo("key_id"));
        admin().body(Map.of(
                        "version",
                        "1.0.1",
                        "external_url",
                        "https://x.example.com/a.zip",
                        "checksum",
                        Api.SHA,
                        "manifest",
                        List.of(Map.of(
                                "file_name",
                                "../evil",
                                "file_hash",
                                Api.SHA,
                                "download_url",
                                "https://x.example.com/f"))))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(400)
                .body("details[0].field", equalTo("manifest[0].file_name"));
        admin().body("{\"version\":")
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json"));
        admin().body("[]")
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json"));
        RestAssured.given()
                .header("Authorization", "Bearer " + Api.KEY)
                .contentType("text/plain")
                .body("hello")
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(415)
                .body("error", equalTo("unsupported_media_type"));
        admin().get("/api/v1/apps/{a}/bundles", app).then().statusCode(200).body("entries.size()", equalTo(0));
    }

    @Test
    void channels_crud_andRules() {
        String app = newApp("adm");
        bundle(app, "1.0.1");
        admin().body(Map.of("name", "beta"))
                .post("/api/v1/apps/{a}/channels", app)
                .then()
                .statusCode(201)
                .body("bundle", nullValue())
                .body("public", equalTo(false))
                .body("allow_device_self_set", equalTo(false))
                .body("ios", equalTo(true))
                .body("android", equalTo(true))
                .body("electron", equalTo(true))
                .body("allow_dev", equalTo(true))
                .body("allow_prod", equalTo(true))
                .body("allow_device", equalTo(true))
                .body("allow_emulator", equalTo(true))
                .body("disable_auto_update", equalTo("none"))
                .body("disable_auto_update_under_native", equalTo(true));
        admin().body(Map.of("name", "beta"))
                .post("/api/v1/apps/{a}/channels", app)
                .then()
                .statusCode(409)
                .body("error", equalTo("channel_exists"));
        admin().body(Map.of("name", "gamma", "bundle", "9.9.9"))
                .post("/api/v1/apps/{a}/channels", app)
                .then()
                .statusCode(404)
                .body("error", equalTo("bundle_not_found"));
        admin().body(Map.of("name", "bad name!"))
                .post("/api/v1/apps/{a}/channels", app)
                .then()
                .statusCode(400);
        admin().body(Map.of("name", "delta", "disable_auto_update", "sometimes"))
                .post("/api/v1/apps/{a}/channels", app)
                .then()
                .statusCode(400)
                .body("details[0].field", equalTo("disable_auto_update"));
        admin().body(Map.of("bundle", "1.0.1", "public", true, "disable_auto_update", "patch"))
                .patch("/api/v1/apps/{a}/channels/beta", app)
                .then()
                .statusCode(200)
                .body("bundle", equalTo("1.0.1"))
                .body("public", equalTo(true))
                .body("disable_auto_update", equalTo("patch"));
        admin().body(Map.of("name", "renamed"))
                .patch("/api/v1/apps/{a}/channels/beta", app)
                .then()
                .statusCode(400);
        admin().body(Map.of("public", "yes"))
                .patch("/api/v1/apps/{a}/channels/beta", app)
                .then()
                .statusCode(400);
        admin().body(Map.of("ios", false))
                .patch("/api/v1/apps/{a}/channels/nope", app)
                .then()
                .statusCode(404)
                .body("error", equalTo("channel_not_found"));
        admin().get("/api/v1/apps/{a}/channels/beta", app)
                .then()
                .statusCode(200)
                .body("bundle", equalTo("1.0.1"));
        admin().get("/api/v1/apps/{a}/channels", app)
                .then()
                .statusCode(200)
                .body("entries.name", equalTo(List.of("beta")));

        String dev = Api.newDevice();
        admin().body(Map.of("channel", "beta"))
                .put("/api/v1/apps/{a}/devices/{d}/override", app, dev)
                .then()
                .statusCode(200);
        admin().body(Map.of("channel", "nope"))
                .put("/api/v1/apps/{a}/devices/{d}/override", app, dev)
                .then()
                .statusCode(404)
                .body("error", equalTo("channel_not_found"));
        admin().body(Map.of())
                .put("/api/v1/apps/{a}/devices/{d}/override", app, dev)
                .then()
                .statusCode(400);
        admin().delete("/api/v1/apps/{a}/devices/{d}/override", app, dev).then().statusCode(204);
        admin().delete("/api/v1/apps/{a}/channels/beta", app).then().statusCode(204);
        admin().get("/api/v1/apps/{a}/channels/beta", app).then().statusCode(404);
    }

    @Test
    void events_limitValidation() {
        String app = newApp("adm");
        admin().queryParam("limit", "1001")
                .get("/api/v1/apps/{a}/events", app)
                .then()
                .statusCode(400)
                .body("details[0].field", equalTo("limit"));
        admin().queryParam("limit", "many")
                .get("/api/v1/apps/{a}/events", app)
                .then()
                .statusCode(400);
        admin().queryParam("limit", "1000")
                .get("/api/v1/apps/{a}/events", app)
                .then()
                .statusCode(200);
        admin().get("/api/v1/apps/{a}/stats", app).then().statusCode(200).body("versions.size()", equalTo(0));
        admin().get("/api/v1/apps/com.no.app/stats").then().statusCode(404);
    }
}
