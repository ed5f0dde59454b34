package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.device;
import static dev.updraft.server.api.Api.info;
import static dev.updraft.server.api.Api.newApp;
import static dev.updraft.server.api.Api.newDevice;
import static dev.updraft.server.api.Api.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A release encrypted for several keys (docs/admin-api.md, "Key variants"; docs/protocol.md §2.9 rule 7): registered
 * with its variants in one request, listed in the bundle view, each device served the variant for its key_id, and the
 * refusals: a second variant for a key id, variants of an unencrypted or delta release, a default key that is not one.
 */
@QuarkusTest
class KeyVariantsApiTest {
    static final String OLD_KEY = "MIIBCgKCAQEAoldKey01";
    static final String NEW_KEY = "MIIBCgKCAQEAnewKey02";
    static final String THIRD_KEY = "MIIBCgKCAQEAthirdK03";

    /** A session key of the right shape (16-byte IV, 256-byte wrapped key); {@code fill} tells variants apart. */
    static String sessionKey(int fill) {
        byte[] iv = new byte[16];
        byte[] wrapped = new byte[256];
        java.util.Arrays.fill(iv, (byte) fill);
        java.util.Arrays.fill(wrapped, (byte) fill);
        return Base64.getEncoder().encodeToString(iv) + ":"
                + Base64.getEncoder().encodeToString(wrapped);
    }

    static Map<String, Object> variant(String keyId, String url, int fill) {
        return Map.of(
                "key_id",
                keyId,
                "external_url",
                url,
                "checksum",
                Integer.toHexString(fill % 16).repeat(512),
                "session_key",
                sessionKey(fill));
    }

    /** 1.0.1 for OLD_KEY (its first variant) with {@code others}, on the public channel production. */
    static Map<String, Object> release(String version, List<Map<String, Object>> others) {
        Map<String, Object> body =
                new HashMap<>(variant(OLD_KEY, "https://cdn.example.com/" + version + "-old.zip", 1));
        body.put("version", version);
        body.put("variants", others);
        body.put("channel", "production");
        body.put("create_channel", true);
        return body;
    }

    static JsonPath check(String app, Object... kv) {
        return device().body(with(info(app, newDevice()), kv))
                .post("/updates")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void oneReleaseForTwoKeys_eachDeviceGetsTheVariantForItsKey_aThirdKeyGetsAMismatch() {
        String app = newApp("keys");
        admin().body(release("1.0.1", List.of(variant(NEW_KEY, "https://cdn.example.com/1.0.1-new.zip", 2))))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(201)
                .body("bundle.key_id", equalTo(OLD_KEY))
                .body("bundle.variants[0].key_id", equalTo(NEW_KEY))
                .body("bundle.variants[0].external_url", equalTo("https://cdn.example.com/1.0.1-new.zip"));
        admin().get("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(200)
                .body("entries[0].variants.key_id", hasItem(NEW_KEY));

        JsonPath old = check(app, "key_id", OLD_KEY);
        assertThat(old.getString("url")).isEqualTo("https://cdn.example.com/1.0.1-old.zip");
        assertThat(old.getString("session_key")).isEqualTo(sessionKey(1));
        JsonPath fresh = check(app, "key_id", NEW_KEY);
        assertThat(fresh.getString("url")).isEqualTo("https://cdn.example.com/1.0.1-new.zip");
        assertThat(fresh.getString("session_key")).isEqualTo(sessionKey(2));
        assertThat(fresh.getString("checksum")).isEqualTo("2".repeat(512));
        JsonPath third = check(app, "key_id", THIRD_KEY);
        assertThat(third.getString("error")).isEqualTo("key_id_mismatch");
        assertThat(third.getString("deviceKeyId")).isEqualTo(THIRD_KEY);

        // A plugin that sends no usable key id: the first variant, or the app's default key's once it is set.
        assertThat(check(app, "plugin_version", "7.30.0").getString("url")).endsWith("1.0.1-old.zip");
        admin().body(Map.of("default_key_id", NEW_KEY))
                .patch("/api/v1/apps/{a}", app)
                .then()
                .statusCode(200)
                .body("default_key_id", equalTo(NEW_KEY));
        assertThat(check(app, "plugin_version", "7.30.0").getString("url")).endsWith("1.0.1-new.zip");
        assertThat(check(app, "plugin_version", "8.40.7", "key_id", "MIIB").getString("url"))
                .endsWith("1.0.1-new.zip");
        assertThat(check(app, "key_id", OLD_KEY).getString("url"))
                .as("a device that names its key still gets that key's variant")
                .endsWith("1.0.1-old.zip");
    }

    @Test
    void aVariantAddedToALiveRelease_reachesDevicesWithTheNewKey_andIsNeverReplaced() {
        String app = newApp("keys");
        admin().body(release("1.0.1", List.of()))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(201);
        assertThat(check(app, "key_id", NEW_KEY).getString("error")).isEqualTo("key_id_mismatch");

        Map<String, Object> v = variant(NEW_KEY, "https://cdn.example.com/1.0.1-new.zip", 2);
        admin().body(v)
                .post("/api/v1/apps/{a}/bundles/{v}/variants", app, "1.0.1")
                .then()
                .statusCode(201)
                .body("variants[0].key_id", equalTo(NEW_KEY));
        assertThat(check(app, "key_id", NEW_KEY).getString("url")).endsWith("1.0.1-new.zip");
        admin().body(v)
                .post("/api/v1/apps/{a}/bundles/{v}/variants", app, "1.0.1")
                .then()
                .statusCode(200); // the identical variant again: a retry
        admin().body(variant(NEW_KEY, "https://cdn.example.com/other.zip", 3))
                .post("/api/v1/apps/{a}/bundles/{v}/variants", app, "1.0.1")
                .then()
                .statusCode(409)
                .body("error", equalTo("variant_exists"));
        admin().body(variant(OLD_KEY, "https://cdn.example.com/other.zip", 3))
                .post("/api/v1/apps/{a}/bundles/{v}/variants", app, "1.0.1")
                .then()
                .statusCode(409)
                .body("error", equalTo("variant_exists"));
        assertThat(check(app, "key_id", NEW_KEY).getString("url"))
                .as("the refused variant changed nothing")
                .endsWith("1.0.1-new.zip");
        admin().body(variant(THIRD_KEY, "https://cdn.example.com/x.zip", 4))
                .post("/api/v1/apps/{a}/bundles/{v}/variants", app, "9.9.9")
                .then()
                .statusCode(404);
    }

    @Test
    void refusals_beforeAnythingIsWritten() {
        String app = newApp("keys");
        // two variants for one key id, or one for the first variant's key: 400 with the field, nothing registered
        admin().body(release(
                        "1.0.1",
                        List.of(
                                variant(NEW_KEY, "https://cdn.example.com/a.zip", 2),
                                variant(NEW_KEY, "https://cdn.example.com/b.zip", 3))))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(400)
                .body("error", equalTo("validation_failed"))
                .body("details.field", hasItem("variants[1].key_id"));
        admin().body(release("1.0.1", List.of(variant(OLD_KEY, "https://cdn.example.com/a.zip", 2))))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(400)
                .body("details.field", hasItem("variants[0].key_id"));
        admin().get("/api/v1/apps/{a}/bundles/{v}", app, "1.0.1").then().statusCode(404);

        // variants of an unencrypted release, a variant with a bad session key, a default key that is not a key id
        admin().body(Map.of(
                        "version",
                        "1.0.2",
                        "external_url",
                        "https://cdn.example.com/p.zip",
                        "checksum",
                        Api.SHA,
                        "variants",
                        List.of(variant(NEW_KEY, "https://cdn.example.com/a.zip", 2))))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(400)
                .body("details.field", hasItem("variants"));
        Map<String, Object> bad = new HashMap<>(variant(NEW_KEY, "https://cdn.example.com/a.zip", 2));
        bad.put("session_key", "not-a-session-key");
        admin().body(release("1.0.3", List.of(bad)))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(400)
                .body("details.field", hasItem("variants[0].session_key"));
        admin().body(Map.of("default_key_id", "MIIB"))
                .patch("/api/v1/apps/{a}", app)
                .then()
                .statusCode(400)
                .body("details.field", hasItem("default_key_id"));

        // the same version again with other variants: other content
        admin().body(release("1.0.4", List.of(variant(NEW_KEY, "https://cdn.example.com/a.zip", 2))))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(201);
        admin().body(release("1.0.4", List.of(variant(NEW_KEY, "https://cdn.example.com/a.zip", 2))))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(200); // identical: a retry
        admin().body(release("1.0.4", List.of(variant(THIRD_KEY, "https://cdn.example.com/a.zip", 2))))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(409)
                .body("error", equalTo("version_exists"));
    }
}
