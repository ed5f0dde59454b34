package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

/** Named admin keys (create, list, use, revoke) and the throttling of wrong keys per client address. */
@QuarkusTest
class AdminCredentialsTest {
    /** Metrics and OpenAPI are on the management interface (quarkus.management.test-port=0). */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/q", management = true)
    java.net.URL management;

    /** Shaped like the Capgo CLI's anon placeholder (a JWT): not an Updraft key, so never a wrong one. */
    static final String PLACEHOLDER = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJl";

    @Inject
    Session session;

    static String newName() {
        return "ci-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A fresh client address, so one test's failures never throttle another's requests. */
    static String newAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "203.0." + r.nextInt(1, 255) + "." + r.nextInt(1, 255);
    }

    static RequestSpecification from(String address, String key) {
        RequestSpecification spec = RestAssured.given().header("X-Forwarded-For", address);
        return key == null ? spec : spec.header("Authorization", "Bearer " + key);
    }

    @Test
    void createListUseRevoke_theSecretIsShownOnce() {
        String name = newName();
        Response created = admin().body(Map.of("name", name)).post("/api/v1/admin-keys");
        created.then()
                .statusCode(201)
                .header("Cache-Control", "no-store")
                .body("name", equalTo(name))
                .body("key", startsWith("updraft_"))
                .body("created_at", notNullValue());
        String secret = created.path("key");
        assertThat(secret).hasSizeGreaterThan(40);

        RestAssured.given()
                .header("Authorization", "Bearer " + secret)
                .get("/api/v1/apps")
                .then()
                .statusCode(200);
        List<Map<String, Object>> keys = Api.all("/api/v1/admin-keys");
        assertThat(keys).extracting(k -> k.get("name")).contains(name, "configured");
        assertThat(key(name)).containsEntry("origin", "api").containsEntry("active", true);
        assertThat(keys.toString()).doesNotContain(secret).doesNotContain("key_hash");
        assertThat(keys).allSatisfy(k -> assertThat(k).doesNotContainKey("key"));
        admin().body(Map.of("name", name))
                .post("/api/v1/admin-keys")
                .then()
                .statusCode(409)
                .body("error", equalTo("key_exists"));

        // Last use is recorded (written with the periodic refresh, 1 s in tests).
        String lastUsed = null;
        for (int i = 0; i < 50 && lastUsed == null; i++) {
            lastUsed = (String) key(name).get("last_used_at");
            sleep(100);
        }
        assertThat(lastUsed).isNotNull();

        admin().delete("/api/v1/admin-keys/{n}", name)
                .then()
                .statusCode(200)
                .body("active", equalTo(false))
                .body("revoked_at", notNullValue());
        RestAssured.given()
                .header("Authorization", "Bearer " + secret)
                .get("/api/v1/apps")
                .then()
                .statusCode(401)
                .body("error", equalTo("invalid_api_key"));
        admin().delete("/api/v1/admin-keys/{n}", name).then().statusCode(200).body("active", equalTo(false));
        admin().delete("/api/v1/admin-keys/{n}", newName())
                .then()
                .statusCode(404)
                .body("error", equalTo("key_not_found"));
        admin().body(Map.of("name", name)).post("/api/v1/admin-keys").then().statusCode(409);
        assertThat(key(name)).containsEntry("active", false);
    }

    /** The key as listed (the list is read page by page). */
    static Map<String, Object> key(String name) {
        return Api.all("/api/v1/admin-keys").stream()
                .filter(k -> name.equals(k.get("name")))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void hostileKeyNames_areRefused_andNothingIsCreated() {
        int before = Api.all("/api/v1/admin-keys").size();
        List<Object> names = new ArrayList<>(Arrays.asList(
                "UPPER",
                "..",
                ".",
                "",
                "a/b",
                "a b",
                "-x",
                "x".repeat(65),
                "a\u0000b",
                "ключ",
                "a;b",
                "%2e%2e",
                "a\\b",
                "a\nb",
                12,
                true));
        for (Object name : names) {
            admin().body(Map.of("name", name))
                    .post("/api/v1/admin-keys")
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("validation_failed"))
                    .body("details[0].field", equalTo("name"));
        }
        Map<String, Object> nullName = new HashMap<>();
        nullName.put("name", null);
        admin().body(nullName).post("/api/v1/admin-keys").then().statusCode(400);
        admin().body(Map.of("name", newName(), "key", "chosen-by-the-client"))
                .post("/api/v1/admin-keys")
                .then()
                .statusCode(400)
                .body("details.field", hasItem("key"));
        admin().body("not json")
                .post("/api/v1/admin-keys")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json"));
        assertThat(Api.all("/api/v1/admin-keys")).hasSize(before);
    }

    @Test
    void wrongKeys_areThrottledPerAddress_andTheRightKeyWaitsToo() {
        String attacker = newAddress();
        for (int i = 0; i < 20; i++) {
            from(attacker, "wrong-" + i)
                    .get("/api/v1/apps")
                    .then()
                    .statusCode(401)
                    .body("error", equalTo("invalid_api_key"));
        }
        Response throttled = from(attacker, "wrong-21").get("/api/v1/apps");
        throttled
                .then()
                .statusCode(429)
                .body("error", equalTo("too_many_requests"))
                .body("message", notNullValue());
        long retryAfter = Long.parseLong(throttled.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 900L);
        // While throttled, keys from that address are not even checked: the right one gets 429 too.
        from(attacker, Api.KEY).get("/api/v1/apps").then().statusCode(429).header("Retry-After", notNullValue());
        from(attacker, Api.KEY)
                .body("{}")
                .contentType("application/json")
                .post("/api/v1/apps")
                .then()
                .statusCode(429);
        // No key is not a keyed attempt; device endpoints never look at keys.
        from(attacker, null).get("/api/v1/apps").then().statusCode(401).body("error", equalTo("missing_api_key"));
        from(attacker, "wrong")
                .contentType("application/json")
                .body("{}")
                .post("/updates")
                .then()
                .statusCode(not(equalTo(429)));
        // Another address is not affected.
        from(newAddress(), Api.KEY).get("/api/v1/apps").then().statusCode(200);
    }

    @Test
    void missingKeysAndThePlaceholder_areNeverThrottled() {
        String address = newAddress();
        for (int i = 0; i < 25; i++) {
            from(address, null).get("/api/v1/apps").then().statusCode(401).body("error", equalTo("missing_api_key"));
            from(address, PLACEHOLDER)
                    .get("/api/v1/apps")
                    .then()
                    .statusCode(401)
                    .body("error", equalTo("missing_api_key"));
            RestAssured.given()
                    .header("X-Forwarded-For", address)
                    .header("Authorization", "Bearer ")
                    .get("/api/v1/apps")
                    .then()
                    .statusCode(401)
                    .body("error", equalTo("missing_api_key"));
        }
        from(address, Api.KEY).get("/api/v1/apps").then().statusCode(200);
    }

    /**
     * The Capgo CLI's TUS client sends the key as a bare Authorization value: a key only on a TUS request
     * (Tus-Resumable), no key anywhere else, and a wrong one is a wrong key like any other.
     */
    @Test
    void aBareAuthorizationIsAKeyOnlyOnTusRequests() {
        String address = newAddress();
        RestAssured.given()
                .header("X-Forwarded-For", address)
                .header("Authorization", Api.KEY)
                .get("/api/v1/apps")
                .then()
                .statusCode(401)
                .body("error", equalTo("missing_api_key"));
        RestAssured.given()
                .header("X-Forwarded-For", address)
                .header("Authorization", Api.KEY)
                .header("Tus-Resumable", "1.0.0")
                .get("/api/v1/apps")
                .then()
                .statusCode(200);
        RestAssured.given()
                .header("X-Forwarded-For", address)
                .header("Authorization", "not-" + Api.KEY)
                .header("Tus-Resumable", "1.0.0")
                .get("/api/v1/apps")
                .then()
                .statusCode(401)
                .body("error", equalTo("invalid_api_key"));
    }

    /** Another instance revokes a key in the shared database: this one stops accepting it within seconds. */
    @Test
    void aKeyRevokedElsewhere_stopsWorkingHereWithinSeconds() {
        String name = newName();
        String secret = admin().body(Map.of("name", name))
                .post("/api/v1/admin-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        RestAssured.given()
                .header("Authorization", "Bearer " + secret)
                .get("/api/v1/apps")
                .then()
                .statusCode(200);
        QuarkusTransaction.requiringNew()
                .run(() -> session.createNativeMutationQuery(
                                "update admin_api_keys set revoked_at = current_timestamp where name = ?1")
                        .setParameter(1, name)
                        .executeUpdate());
        int status = 200;
        long deadline = System.currentTimeMillis() + 10_000;
        while (status == 200 && System.currentTimeMillis() < deadline) {
            status = RestAssured.given()
                    .header("Authorization", "Bearer " + secret)
                    .get("/api/v1/apps")
                    .statusCode();
            sleep(100);
        }
        assertThat(status).isEqualTo(401);
    }

    @Test
    void openApi_describesTheAdminKeyAsAnOpaqueBearerKey() {
        RestAssured.given()
                .baseUri("http://" + management.getHost())
                .port(management.getPort())
                .queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("components.securitySchemes.adminApiKey.type", equalTo("http"))
                .body("components.securitySchemes.adminApiKey.scheme", equalTo("bearer"))
                .body("components.securitySchemes.adminApiKey", not(org.hamcrest.Matchers.hasKey("bearerFormat")))
                .body("paths.'/api/v1/admin-keys'.get.security[0]", org.hamcrest.Matchers.hasKey("adminApiKey"));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
