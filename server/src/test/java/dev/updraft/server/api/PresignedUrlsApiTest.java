package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.device;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code download_url_mode} of an app (docs/admin-api.md, "Apps"): the update answer carries the registered URL, or,
 * once the app asks for presigned URLs, a GET URL of the server's bucket (the test profile's) signed for the app's
 * lifetime, reused while it has more than half of it left. URLs outside the bucket stay as registered. That the
 * store honours the signature and its expiry is S3StorageTest's (integration-tests, a real S3 API).
 */
@QuarkusTest
class PresignedUrlsApiTest {
    static final String BUCKET_URL = "http://127.0.0.1:9/updraft-test-bucket/";

    private static void register(String app, String url) {
        admin().body(Map.of(
                        "version",
                        "1.0.1",
                        "external_url",
                        url,
                        "checksum",
                        Api.SHA,
                        "channel",
                        "production",
                        "create_channel",
                        true))
                .post("/api/v1/apps/{app}/bundles", app)
                .then()
                .statusCode(201);
    }

    private static String offeredUrl(String app) {
        return device().body(Api.info(app, Api.newDevice()))
                .post("/updates")
                .then()
                .statusCode(200)
                .body("version", equalTo("1.0.1"))
                .extract()
                .path("url");
    }

    private static void presigned(String app, int ttlSeconds) {
        admin().body(Map.of("download_url_mode", "presigned", "presigned_url_ttl_seconds", ttlSeconds))
                .patch("/api/v1/apps/{a}", app)
                .then()
                .statusCode(200)
                .body("download_url_mode", equalTo("presigned"))
                .body("presigned_url_ttl_seconds", equalTo(ttlSeconds));
    }

    @Test
    void aPresignedAppsDevicesGetSignedUrlsOfTheBucket() {
        String app = Api.newApp("presign");
        String object = BUCKET_URL + app + "/" + Api.SHA + ".zip";
        register(app, object);
        admin().get("/api/v1/apps/{a}", app)
                .then()
                .body("download_url_mode", equalTo("public"))
                .body("presigned_url_ttl_seconds", equalTo(3600));
        assertThat(offeredUrl(app)).isEqualTo(object);

        presigned(app, 120);

        String signed = offeredUrl(app);
        assertThat(signed)
                .startsWith(object + "?")
                .contains("X-Amz-Algorithm=AWS4-HMAC-SHA256")
                .contains("X-Amz-Credential=test-access-key%2F")
                .contains("X-Amz-Expires=120")
                .contains("X-Amz-Signature=")
                .doesNotContain("test-secret-key");
        assertThat(offeredUrl(app)).as("reused within half its lifetime").isEqualTo(signed);

        // back to public: the registered URL again
        admin().body(Map.of("download_url_mode", "public"))
                .patch("/api/v1/apps/{a}", app)
                .then()
                .statusCode(200);
        assertThat(offeredUrl(app)).isEqualTo(object);
    }

    @Test
    void aUrlOutsideTheBucketIsServedAsRegistered() {
        String app = Api.newApp("presigncdn");
        String cdn = "https://cdn.example.com/" + app + "/1.0.1.zip";
        register(app, cdn);
        presigned(app, 60);
        assertThat(offeredUrl(app)).isEqualTo(cdn);

        // another bucket on the same endpoint is not the configured one
        String other = Api.newApp("presignother");
        String elsewhere = "http://127.0.0.1:9/another-bucket/" + other + "/x.zip";
        register(other, elsewhere);
        presigned(other, 60);
        assertThat(offeredUrl(other)).isEqualTo(elsewhere);
    }

    @Test
    void badDownloadUrlSettingsAreRefusedAndChangeNothing() {
        String app = Api.newApp("presignbad");
        for (Map<String, Object> bad : new Map[] {
            Map.of("download_url_mode", "signed"),
            Map.of("download_url_mode", 1),
            Map.of("presigned_url_ttl_seconds", 0),
            Map.of("presigned_url_ttl_seconds", 604_801),
            Map.of("presigned_url_ttl_seconds", "1h"),
            Map.of("download_url_mode", "presigned", "presigned_url_ttl_seconds", -5)
        }) {
            admin().body(bad)
                    .patch("/api/v1/apps/{a}", app)
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("validation_failed"));
        }
        admin().body(Map.of("app_id", Api.newDevice(), "download_url_mode", "later"))
                .post("/api/v1/apps")
                .then()
                .statusCode(400);
        admin().get("/api/v1/apps/{a}", app)
                .then()
                .body("download_url_mode", equalTo("public"))
                .body("presigned_url_ttl_seconds", equalTo(3600));
    }
}
