package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The server's bundle storage: the admin upload, the public download with Range, and names that are refused. */
@QuarkusTest
class StoredFilesApiTest {
    private static final byte[] BYTES = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    Response upload(String appId, byte[] body) {
        return admin().contentType("application/zip").body(body).post("/api/v1/apps/{a}/files", appId);
    }

    @Test
    void aStoredFileIsNamedByItsContentAndServedWholeOrByRange() throws Exception {
        String appId = Api.newApp("storage");
        Response first = upload(appId, BYTES);
        first.then().statusCode(201);
        String name = appId + "/" + sha256(BYTES) + ".zip";
        assertThat(first.jsonPath().getString("name")).isEqualTo(name);
        assertThat(first.jsonPath().getLong("size")).isEqualTo(BYTES.length);
        String url = first.jsonPath().getString("url");
        assertThat(url).endsWith("/files/" + name);
        // The same bytes again: the same file, untouched.
        assertThat(upload(appId, BYTES).jsonPath().getString("url")).isEqualTo(url);

        Response whole = RestAssured.get("/files/" + name);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.asByteArray()).isEqualTo(BYTES);
        assertThat(whole.header("Accept-Ranges")).isEqualTo("bytes");

        Response middle = RestAssured.given().header("Range", "bytes=5-9").get("/files/" + name);
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.asString()).isEqualTo("56789");
        assertThat(middle.header("Content-Range")).isEqualTo("bytes 5-9/20");
        Response suffix = RestAssured.given().header("Range", "bytes=-3").get("/files/" + name);
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.asString()).isEqualTo("hij");
        Response open = RestAssured.given().header("Range", "bytes=18-").get("/files/" + name);
        assertThat(open.asString()).isEqualTo("ij");
    }

    @Test
    void hostile_rangesOutsideTheFileNamesThatAreNotContentAddressesAndUploadsWithoutAKey() throws Exception {
        String appId = Api.newApp("storage");
        upload(appId, BYTES).then().statusCode(201);
        String name = appId + "/" + sha256(BYTES) + ".zip";

        Response beyond = RestAssured.given().header("Range", "bytes=20-").get("/files/" + name);
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.jsonPath().getString("error")).isEqualTo("range_not_satisfiable");
        assertThat(RestAssured.given()
                        .header("Range", "bytes=1-2,5-6")
                        .get("/files/" + name)
                        .statusCode())
                .isEqualTo(416);

        // Not a content address: refused at the edge, before the storage sees a path.
        Response traversal = RestAssured.get("/files/" + appId + "/..%2F..%2Fpg-password");
        assertThat(traversal.statusCode()).isIn(400, 404);
        Response notHex = RestAssured.get("/files/" + appId + "/admin-api-key");
        assertThat(notHex.statusCode()).isEqualTo(400);
        assertThat(notHex.jsonPath().getString("error")).isEqualTo("validation_failed");
        // A well-formed name that was never stored.
        Response absent = RestAssured.get("/files/" + appId + "/" + "0".repeat(64) + ".zip");
        assertThat(absent.statusCode()).isEqualTo(404);
        assertThat(absent.jsonPath().getString("error")).isEqualTo("file_not_found");

        // Storing needs an admin key; an unknown app stores nothing.
        assertThat(RestAssured.given()
                        .contentType("application/zip")
                        .body(BYTES)
                        .post("/api/v1/apps/{a}/files", appId)
                        .statusCode())
                .isEqualTo(401);
        Response unknownApp = upload("com.example.never.added", BYTES);
        assertThat(unknownApp.statusCode()).isEqualTo(404);
        assertThat(unknownApp.jsonPath().getString("error")).isEqualTo("app_not_found");
    }
}
