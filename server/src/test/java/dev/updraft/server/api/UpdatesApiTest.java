package dev.updraft.server.api;

import static dev.updraft.server.api.Api.bundle;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static dev.updraft.server.api.Api.device;
import static dev.updraft.server.api.Api.info;
import static dev.updraft.server.api.Api.newApp;
import static dev.updraft.server.api.Api.newDevice;
import static dev.updraft.server.api.Api.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.fixtures.GoldenVectors;
import dev.updraft.fixtures.GoldenVectors.EncryptionRun;
import dev.updraft.server.persistence.Revisions;
import dev.updraft.server.snapshot.SnapshotStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

/** POST /updates over real HTTP: every rule of the decision table (docs/protocol.md §2.9), the exact shapes, and bad input. */
@QuarkusTest
class UpdatesApiTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Session session;

    @Inject
    SnapshotStore snapshots;

    static Response check(Map<String, Object> body) {
        return device().body(body).post("/updates");
    }

    static JsonNode answer(Map<String, Object> body) {
        Response r = check(body);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        try {
            return JSON.readTree(r.asString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Set<String> keys(JsonNode n) {
        Set<String> s = new LinkedHashSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            s.add(it.next());
        }
        return s;
    }

    static void assertRefusal(JsonNode n, String error, String kind) {
        assertThat(n.path("error").asText()).as(n.toString()).isEqualTo(error);
        assertThat(n.path("kind").asText()).as(n.toString()).isEqualTo(kind);
        assertThat(n.path("message").isTextual()).isTrue();
    }

    /** An app with one public channel "production" on the given bundle (null: built-in) and extra channel fields. */
    static String appWith(String version, Object... channelFields) {
        String app = newApp("upd");
        if (version != null) {
            bundle(app, version);
        }
        Map<String, Object> c = ch("name", "production", "public", true);
        c.put("bundle", version);
        c.putAll(ch(channelFields));
        channel(app, c);
        return app;
    }

    // ---- decision table rows over HTTP -----------------------------------------------------------------------

    @Test
    void row1_unknownVersionBuild() {
        String app = appWith("1.0.1");
        assertRefusal(
                answer(with(info(app, newDevice()), "version_build", "unknown")), "unknown_version_build", "failed");
    }

    @Test
    void row2_nonSemverVersionBuildIs400() {
        String app = appWith("1.0.1");
        check(with(info(app, newDevice()), "version_build", "1.0.0.0.1"))
                .then()
                .statusCode(400)
                .body("error", equalTo("semver_error"));
        // A bare major is padded like the backend does ("2" -> 2.0.0) and accepted.
        assertThat(answer(with(info(app, newDevice()), "version_build", "1", "version_name", "1"))
                        .path("version")
                        .asText())
                .isEqualTo("1.0.1");
    }

    @Test
    void row3_pluginFourIsUnsupported() {
        String app = appWith("1.0.1");
        assertRefusal(
                answer(with(info(app, newDevice()), "plugin_version", "4.13.0")),
                "unsupported_plugin_version",
                "failed");
    }

    @Test
    void row4_missingVersionName_isRefusedByTheSchemaFirst() {
        String app = appWith("1.0.1");
        check(with(info(app, newDevice()), "version_name", null))
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json_body"));
        check(with(info(app, newDevice()), "version_name", ""))
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json_body"));
    }

    @Test
    void row5_noChannel() {
        String bare = newApp("upd");
        assertRefusal(answer(info(bare, newDevice())), "no_channel", "failed");
        String app = appWith("1.0.1");
        channel(app, ch("name", "internal", "public", false));
        // defaultChannel naming a channel that does not qualify: no fallback to the public one.
        assertRefusal(answer(with(info(app, newDevice()), "defaultChannel", "internal")), "no_channel", "failed");
        assertRefusal(answer(with(info(app, newDevice()), "defaultChannel", "does-not-exist")), "no_channel", "failed");
    }

    @Test
    void row5_selfAssignableDefaultChannelIsUsed() {
        String app = appWith("1.0.1");
        bundle(app, "1.0.2");
        channel(app, ch("name", "beta", "bundle", "1.0.2", "allow_device_self_set", true));
        assertThat(answer(with(info(app, newDevice()), "defaultChannel", "beta"))
                        .path("version")
                        .asText())
                .isEqualTo("1.0.2");
    }

    @Test
    void row6_noBundle_whenTheChannelsBundleIsGone() {
        String app = appWith("1.0.1");
        // Data changed outside the API (the API refuses to delete a bundle in use): the snapshot must cope.
        sql(
                app,
                "update bundles set deleted_at = current_timestamp where app_pk = (select id from apps where app_id = ?1)");
        assertRefusal(answer(info(app, newDevice())), "no_bundle", "failed");
    }

    @Test
    void row7_keyIds_comparedOnlyWhenBothHaveOne_andThePluginSendsTheFullId() {
        String plain = appWith("1.0.1");
        // A device with a key and an unencrypted bundle: offered (the plugin refuses it: session_key_required).
        assertThat(answer(with(info(plain, newDevice()), "key_id", "MIIBCgKCAQEAzNUtP9rS"))
                        .path("session_key")
                        .asText())
                .isEmpty();

        String enc = encryptedApp(newApp("upd"));
        EncryptionRun g = GoldenVectors.RUN1;
        // No key id (before 8.2.0) or the 4-character one (8.2.0 to 8.40.7): the encrypted bundle, to decrypt or fail
        // closed.
        assertThat(answer(with(info(enc, newDevice()), "plugin_version", "8.1.0"))
                        .path("session_key")
                        .asText())
                .isEqualTo(g.ivSessionKey());
        assertThat(answer(with(info(enc, newDevice()), "plugin_version", "8.40.7", "key_id", "MIIB"))
                        .path("session_key")
                        .asText())
                .isEqualTo(g.ivSessionKey());
        JsonNode b = answer(with(info(enc, newDevice()), "key_id", "MIIBCgKCAQEAotherKey"));
        assertRefusal(b, "key_id_mismatch", "blocked");
        assertThat(b.path("deviceKeyId").asText()).isEqualTo("MIIBCgKCAQEAotherKey");
        assertThat(b.path("bundleKeyId").asText()).isEqualTo("MIIBCgKCAQEAzNUtP9rS");
    }

    @Test
    void row8_noNewVersion() {
        String app = appWith("1.0.1");
        assertRefusal(
                answer(with(info(app, newDevice()), "version_name", "1.0.1")),
                "no_new_version_available",
                "up_to_date");
        // "builtin" is the native version: native 1.0.1 on its built-in bundle is already there.
        assertRefusal(
                answer(with(info(app, newDevice()), "version_build", "1.0.1", "version_name", "builtin")),
                "no_new_version_available",
                "up_to_date");
    }

    @Test
    void row9_disabledPlatform_throughAnOverride() {
        String app = appWith("1.0.1");
        bundle(app, "1.0.2");
        channel(app, ch("name", "ios-beta", "bundle", "1.0.2", "android", false));
        String dev = newDevice();
        Api.admin()
                .body(Map.of("channel", "ios-beta"))
                .put("/api/v1/apps/{a}/devices/{d}/override", app, dev)
                .then()
                .statusCode(200);
        JsonNode a = answer(info(app, dev));
        assertRefusal(a, "disabled_platform_android", "blocked");
        assertThat(a.path("version").asText()).isEqualTo("1.0.2");
    }

    @Test
    void row10_major() {
        String app = appWith("2.0.0", "disable_auto_update", "major");
        JsonNode a = answer(info(app, newDevice()));
        assertThat(a.toString())
                .isEqualTo("{\"error\":\"disable_auto_update_to_major\",\"message\":\"Cannot upgrade major version\","
                        + "\"kind\":\"blocked\",\"major\":true,\"version\":\"2.0.0\",\"old\":\"1.0.0\"}");
    }

    @Test
    void row11_privateChannel_deviceChoseItThenItClosed() {
        String app = appWith("1.0.1");
        bundle(app, "1.0.2");
        channel(app, ch("name", "beta", "bundle", "1.0.2", "allow_device_self_set", true));
        // A plugin that relies on the server to keep its choice (before 5.34 / 6.34 / 7.34 / 8.0).
        Map<String, Object> old = with(info(app, newDevice()), "plugin_version", "7.33.0");
        device().body(with(old, "channel", "beta"))
                .post("/channel_self")
                .then()
                .statusCode(200)
                .body("status", equalTo("ok"));
        assertThat(answer(old).path("version").asText()).isEqualTo("1.0.2");
        Api.admin()
                .body(Map.of("allow_device_self_set", false))
                .patch("/api/v1/apps/{a}/channels/beta", app)
                .then()
                .statusCode(200);
        assertRefusal(answer(old), "cannot_update_via_private_channel", "blocked");
    }

    @Test
    void row12_minor() {
        String app = appWith("1.1.0", "disable_auto_update", "minor");
        assertRefusal(answer(info(app, newDevice())), "disable_auto_update_to_minor", "blocked");
    }

    @Test
    void row13_patch() {
        String app = appWith("1.0.1", "disable_auto_update", "patch");
        assertRefusal(answer(info(app, newDevice())), "disable_auto_update_to_patch", "blocked");
    }

    @Test
    void row14_versionNumber() {
        String app = appWith("1.0.1", "disable_auto_update", "version_number");
        assertRefusal(answer(info(app, newDevice())), "misconfigured_channel", "failed");
        Api.admin()
                .body(Map.of(
                        "version",
                        "1.0.2",
                        "external_url",
                        "https://cdn.example.com/x.zip",
                        "checksum",
                        Api.SHA,
                        "min_update_version",
                        "1.0.5"))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(201);
        Api.admin()
                .body(Map.of("bundle", "1.0.2"))
                .patch("/api/v1/apps/{a}/channels/production", app)
                .then()
                .statusCode(200);
        assertRefusal(answer(info(app, newDevice())), "disable_auto_update_to_metadata", "blocked");
    }

    @Test
    void row15_underNative() {
        String app = appWith("0.9.0");
        JsonNode a = answer(info(app, newDevice()));
        assertRefusal(a, "disable_auto_update_under_native", "blocked");
        assertThat(a.path("old").asText()).isEqualTo("1.0.0");
        Api.admin()
                .body(Map.of("disable_auto_update_under_native", false))
                .patch("/api/v1/apps/{a}/channels/production", app)
                .then()
                .statusCode(200);
        assertThat(answer(info(app, newDevice())).path("version").asText()).isEqualTo("0.9.0");
    }

    @Test
    void row16_prodAndDev() {
        String app = appWith("1.0.1", "allow_prod", false);
        assertRefusal(answer(info(app, newDevice())), "disable_prod_build", "blocked");
        String dev = appWith("1.0.1", "allow_dev", false);
        assertRefusal(answer(with(info(dev, newDevice()), "is_prod", false)), "disable_dev_build", "blocked");
    }

    @Test
    void row17_deviceAndEmulator() {
        String app = appWith("1.0.1", "allow_device", false);
        assertRefusal(answer(info(app, newDevice())), "disable_device", "blocked");
        String emu = appWith("1.0.1", "allow_emulator", false);
        assertRefusal(answer(with(info(emu, newDevice()), "is_emulator", true)), "disable_emulator", "blocked");
    }

    @Test
    void row18_builtin() {
        String app = appWith(null);
        JsonNode already = answer(info(app, newDevice()));
        assertRefusal(already, "already_on_builtin", "up_to_date");
        assertThat(already.path("version").asText()).isEqualTo("builtin");
        assertThat(check(with(info(app, newDevice()), "version_name", "1.0.3")).asString())
                .isEqualTo("{\"version\":\"builtin\"}");
        assertRefusal(
                answer(with(info(app, newDevice()), "version_name", "1.0.3", "plugin_version", "6.1.0")),
                "revert_to_builtin_plugin_version_too_old",
                "failed");
    }

    @Test
    void row19_noUsableUrl() {
        String app = appWith("1.0.1");
        sql(
                app,
                "update bundles set external_url = 'ftp://files.example.com/x.zip' where app_pk = (select id from apps where app_id = ?1)");
        assertRefusal(answer(info(app, newDevice())), "no_bundle_url", "failed");
    }

    @Test
    void ok_updateAnswerRawJsonHasNoErrorKindOrMessage() {
        String app = appWith("1.0.1");
        Response r = check(info(app, newDevice()));
        r.then().statusCode(200);
        String raw = r.asString();
        assertThat(raw).doesNotContain("\"error\"", "\"kind\"", "\"message\"", "null");
        assertThat(raw)
                .isEqualTo(
                        "{\"version\":\"1.0.1\",\"url\":\"https://cdn.example.com/1.0.1.zip\",\"session_key\":\"\",\"checksum\":\""
                                + Api.SHA + "\"}");
    }

    // ---- the golden vector and the shapes of docs/protocol.md §2.6 -------------------------------------------------

    /** Where the documented example serves the golden bundle from. */
    static final String GOLDEN_URL = "https://cdn.example.com/bundles/com.example.selfhosted_1.0.1.zip_encrypted.zip";

    /** Registers the golden vector bundle (encrypted by the real Capgo CLI) by its external URL. */
    static String encryptedApp(String app) {
        EncryptionRun g = GoldenVectors.RUN1;
        Api.admin()
                .body(Map.of(
                        "version",
                        g.version(),
                        "external_url",
                        GOLDEN_URL,
                        "checksum",
                        g.encryptedChecksumHex(),
                        "session_key",
                        g.ivSessionKey(),
                        "key_id",
                        g.keyId()))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(201);
        channel(app, ch("name", "production", "public", true, "bundle", g.version()));
        return app;
    }

    @Test
    void golden_theDocumentedExampleDeviceGetsTheExactShapesOfSection2_6() {
        EncryptionRun g = GoldenVectors.RUN1;
        String app = g.appId();
        RestAssured.given()
                .header("Authorization", "Bearer " + Api.KEY)
                .delete("/api/v1/apps/{a}", app); // from an earlier run
        Api.admin().body(Map.of("app_id", app)).post("/api/v1/apps").then().statusCode(201);
        encryptedApp(app);
        // The documented example body (docs/protocol.md §1.4), key order as Android sends it.
        String body =
                "{\"platform\":\"android\",\"device_id\":\"6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f\",\"app_id\":\"com.example.selfhosted\","
                        + "\"custom_id\":\"\",\"version_build\":\"1.0.0\",\"version_code\":\"1\",\"version_os\":\"14\",\"version_name\":\"1.0.0\","
                        + "\"plugin_version\":\"8.51.23\",\"is_emulator\":false,\"is_prod\":true,\"install_source\":\"google_play\","
                        + "\"defaultChannel\":\"\",\"key_id\":\"MIIBCgKCAQEAzNUtP9rS\"}";
        String update = device().body(body)
                .post("/updates")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(update)
                .isEqualTo(
                        "{\"version\":\"1.0.1\",\"url\":\"https://cdn.example.com/bundles/com.example.selfhosted_1.0.1.zip_encrypted.zip\","
                                + "\"session_key\":\"" + g.ivSessionKey() + "\",\"checksum\":\""
                                + g.encryptedChecksumHex() + "\"}");
        assertThat(g.ivSessionKey())
                .startsWith("vDnJ9AfkkBgkrcjYzeTZKA==:qfNmIFOYElJ00eQB")
                .hasSize(369);
        assertThat(g.encryptedChecksumHex())
                .startsWith("3049ea3ed5383c19")
                .endsWith("99839e37fb0")
                .hasSize(512);

        // No update: the device already runs 1.0.1.
        String same = device().body(body.replace("\"version_name\":\"1.0.0\"", "\"version_name\":\"1.0.1\""))
                .post("/updates")
                .asString();
        assertThat(same)
                .isEqualTo(
                        "{\"error\":\"no_new_version_available\",\"message\":\"No new version available\",\"kind\":\"up_to_date\"}");

        // Major gate: channel on 2.0.0 with disable_auto_update=major.
        Api.admin()
                .body(Map.of(
                        "version",
                        "2.0.0",
                        "external_url",
                        "https://cdn.example.com/bundles/2.0.0.zip",
                        "checksum",
                        g.encryptedChecksumHex(),
                        "session_key",
                        g.ivSessionKey(),
                        "key_id",
                        g.keyId()))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(201);
        Api.admin()
                .body(Map.of("bundle", "2.0.0", "disable_auto_update", "major"))
                .patch("/api/v1/apps/{a}/channels/production", app)
                .then()
                .statusCode(200);
        assertThat(device().body(body).post("/updates").asString())
                .isEqualTo(
                        "{\"error\":\"disable_auto_update_to_major\","
                                + "\"message\":\"Cannot upgrade major version\",\"kind\":\"blocked\",\"major\":true,\"version\":\"2.0.0\",\"old\":\"1.0.0\"}");

        // Revert to built-in.
        Api.admin()
                .body(ch("bundle", null))
                .patch("/api/v1/apps/{a}/channels/production", app)
                .then()
                .statusCode(200);
        assertThat(device().body(body.replace("\"version_name\":\"1.0.0\"", "\"version_name\":\"1.0.1\""))
                        .post("/updates")
                        .asString())
                .isEqualTo("{\"version\":\"builtin\"}");
    }

    // ---- bad input: always a 4xx {error, message}, never a 500 --------------------------------------------------

    @Test
    void badInput_malformedJson_wrongTypes_missingFields() {
        String app = appWith("1.0.1");
        device().body("{\"app_id\": ")
                .post("/updates")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json_parse_body"));
        device().body("").post("/updates").then().statusCode(400).body("error", equalTo("invalid_json_parse_body"));
        device().body("[1,2]").post("/updates").then().statusCode(400).body("error", equalTo("invalid_json_body"));
        device().body("\"text\"").post("/updates").then().statusCode(400).body("error", equalTo("invalid_json_body"));
        device().body(with(info(app, newDevice()), "is_prod", "yes"))
                .post("/updates")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json_body"));
        device().body(with(info(app, newDevice()), "app_id", 5))
                .post("/updates")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json_body"));
        device().body(with(info(app, newDevice()), "version_name", Map.of("x", 1)))
                .post("/updates")
                .then()
                .statusCode(400);
        for (String field : List.of("app_id", "device_id", "version_build", "platform")) {
            device().body(with(info(app, newDevice()), field, null))
                    .post("/updates")
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("invalid_json_body"))
                    .body("message", org.hamcrest.Matchers.containsString("'" + field + "'"));
        }
        device().body(with(info(app, newDevice()), "platform", "windows"))
                .post("/updates")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json_body"));
        device().body(with(info(app, newDevice()), "app_id", "not an id"))
                .post("/updates")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json_body"));
        device().body("{\"a\":\"" + "x".repeat(40_000) + "\"}")
                .post("/updates")
                .then()
                .statusCode(413)
                .body("error", equalTo("payload_too_large"));
        RestAssured.given().put("/updates").then().statusCode(405).body("error", equalTo("method_not_allowed"));
        // Extra keys, missing optional keys and any key order are fine.
        Map<String, Object> minimal = Map.of(
                "platform",
                "ios",
                "device_id",
                newDevice(),
                "app_id",
                app,
                "version_build",
                "1.0.0",
                "version_name",
                "1.0.0",
                "plugin_version",
                "8.51.23",
                "future_key",
                List.of(1, 2));
        assertThat(answer(minimal).path("version").asText()).isEqualTo("1.0.1");
    }

    @Test
    void unknownApp_is429OnPremiseApp_withoutARetryHint() {
        Response r = check(info("com.unknown.app", newDevice()));
        r.then()
                .statusCode(429)
                .body("error", equalTo("on_premise_app"))
                .body("message", org.hamcrest.Matchers.notNullValue());
        assertThat(r.header("Retry-After")).isNull();
        assertThat(r.asString()).doesNotContain("retryAfterSeconds", "rateLimitResetAt", "\"kind\"");
    }

    void sql(String appId, String statement) {
        QuarkusTransaction.requiringNew().run(() -> {
            session.createNativeMutationQuery(statement).setParameter(1, appId).executeUpdate();
            Long pk = session.createNativeQuery("select id from apps where app_id = ?1", Long.class)
                    .setParameter(1, appId)
                    .getSingleResult();
            Revisions.bump(pk);
        });
        snapshots.reload(appId);
    }
}
