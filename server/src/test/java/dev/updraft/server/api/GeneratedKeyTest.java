package dev.updraft.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** First start on an empty database without a configured key: a key is generated into the data folder. */
@QuarkusTest
@TestProfile(GeneratedKeyTest.NoConfiguredKey.class)
@TestMethodOrder(MethodOrderer.MethodName.class) // the second test revokes the key the first one reads
class GeneratedKeyTest {
    static final Path DATA = Path.of("target", "test-data", "keygen-" + UUID.randomUUID());

    public static class NoConfiguredKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("updraft.admin-api-key", "", "updraft.data-dir", DATA.toString());
        }
    }

    @Test
    void keyFileIsOwnerOnly_andTheKeyWorks_andNoOtherKeyDoes() throws Exception {
        Path file = DATA.resolve("admin-api-key");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(DATA.resolve("pg").resolve("PG_VERSION"))
                .exists(); // the embedded PostgreSQL went into the same data folder
        String key = Files.readString(file).strip();
        assertThat(key).startsWith("updraft_").hasSizeGreaterThan(40);
        RestAssured.given()
                .header("Authorization", "Bearer " + key)
                .get("/api/v1/apps")
                .then()
                .statusCode(200)
                .body("entries.size()", equalTo(0));
        RestAssured.given()
                .header("Authorization", "Bearer " + Api.KEY)
                .get("/api/v1/apps")
                .then()
                .statusCode(401)
                .body("error", equalTo("invalid_api_key"));
    }

    /** The generated key is the only one here: it has a name, and revoking it is refused until there is another. */
    @Test
    void theFirstKeyHasAName_andTheLastActiveKeyCannotBeRevoked() throws Exception {
        String key = Files.readString(DATA.resolve("admin-api-key")).strip();
        RestAssured.given()
                .header("Authorization", "Bearer " + key)
                .get("/api/v1/admin-keys")
                .then()
                .statusCode(200)
                .body("entries.name", equalTo(java.util.List.of("generated")))
                .body("entries[0].origin", equalTo("generated"));
        RestAssured.given()
                .header("Authorization", "Bearer " + key)
                .delete("/api/v1/admin-keys/generated")
                .then()
                .statusCode(409)
                .body("error", equalTo("last_active_key"));
        String second = RestAssured.given()
                .header("Authorization", "Bearer " + key)
                .contentType("application/json")
                .body("{\"name\":\"second\"}")
                .post("/api/v1/admin-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        RestAssured.given()
                .header("Authorization", "Bearer " + second)
                .delete("/api/v1/admin-keys/generated")
                .then()
                .statusCode(200);
        RestAssured.given()
                .header("Authorization", "Bearer " + key)
                .get("/api/v1/apps")
                .then()
                .statusCode(401);
        RestAssured.given()
                .header("Authorization", "Bearer " + second)
                .delete("/api/v1/admin-keys/second")
                .then()
                .statusCode(409)
                .body("error", equalTo("last_active_key"));
        RestAssured.given()
                .header("Authorization", "Bearer " + second)
                .get("/api/v1/apps")
                .then()
                .statusCode(200);
    }
}
