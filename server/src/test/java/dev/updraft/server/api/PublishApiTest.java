package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static dev.updraft.server.api.Api.device;
import static dev.updraft.server.api.Api.info;
import static dev.updraft.server.api.Api.newApp;
import static dev.updraft.server.api.Api.newDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/apps/{app}/bundles} with {@code channel}: the bundle and its channel link in one transaction,
 * every refusal before the first write, and {@code dry_run} (docs/admin-api.md, "Bundles").
 */
@QuarkusTest
class PublishApiTest {

    private static Map<String, Object> bundle(String version, String url, Object... extra) {
        Map<String, Object> m = new HashMap<>(Map.of("version", version, "external_url", url, "checksum", Api.SHA));
        for (int i = 0; i < extra.length; i += 2) {
            m.put((String) extra[i], extra[i + 1]);
        }
        return m;
    }

    private static Response publish(String app, Map<String, Object> body) {
        return admin().body(body).post("/api/v1/apps/{a}/bundles", app);
    }

    private static List<String> versions(String app) {
        return admin().get("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entries.version", String.class);
    }

    @Test
    void registersAndLinksInOneRequest_creatingTheFirstChannelPublic() {
        String app = newApp("pub");
        publish(app, bundle("1.0.1", "https://cdn.example.com/1.zip", "channel", "production", "create_channel", true))
                .then()
                .statusCode(201)
                .body("bundle.version", equalTo("1.0.1"))
                .body("bundle_created", equalTo(true))
                .body("channel.name", equalTo("production"))
                .body("channel.bundle", equalTo("1.0.1"))
                .body("channel.public", equalTo(true))
                .body("channel_created", equalTo(true))
                .body("dry_run", equalTo(false));
        // The snapshot was reloaded: a device gets the bundle right away.
        device().body(info(app, newDevice()))
                .post("/updates")
                .then()
                .statusCode(200)
                .body("version", equalTo("1.0.1"))
                .body("url", equalTo("https://cdn.example.com/1.zip"));

        // A second channel is created, but not public: the app has one.
        publish(app, bundle("1.0.2", "https://cdn.example.com/2.zip", "channel", "beta", "create_channel", true))
                .then()
                .statusCode(201)
                .body("channel.public", equalTo(false))
                .body("channel_created", equalTo(true));
        // An existing channel is pointed at the new bundle, its settings kept.
        publish(app, bundle("1.0.3", "https://cdn.example.com/3.zip", "channel", "production", "create_channel", true))
                .then()
                .statusCode(201)
                .body("channel.bundle", equalTo("1.0.3"))
                .body("channel.public", equalTo(true))
                .body("channel_created", equalTo(false));
        admin().get("/api/v1/apps/{a}/channels/production", app)
                .then()
                .statusCode(200)
                .body("bundle", equalTo("1.0.3"));
        admin().get("/api/v1/apps/{a}/channels/beta", app)
                .then()
                .statusCode(200)
                .body("bundle", equalTo("1.0.2"));
    }

    @Test
    void anIdenticalRetryIs200AndChangesNothing() {
        String app = newApp("pub");
        Map<String, Object> in =
                bundle("1.0.1", "https://cdn.example.com/1.zip", "channel", "production", "create_channel", true);
        publish(app, in).then().statusCode(201);
        String updatedAt = admin().get("/api/v1/apps/{a}/channels/production", app)
                .then()
                .extract()
                .path("updated_at");
        publish(app, in)
                .then()
                .statusCode(200)
                .body("bundle_created", equalTo(false))
                .body("channel_created", equalTo(false))
                .body("channel.bundle", equalTo("1.0.1"))
                .body("channel.updated_at", equalTo(updatedAt));
        assertThat(versions(app)).containsExactly("1.0.1");
    }

    @Test
    void aBadOrMissingChannelLeavesNoBundleBehind() {
        String app = newApp("pub");
        for (String bad : new String[] {"..", ".", "", "a/b", "has space", "x".repeat(129)}) {
            publish(app, bundle("1.0.1", "https://cdn.example.com/1.zip", "channel", bad, "create_channel", true))
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("validation_failed"))
                    .body("details[0].field", equalTo("channel"));
        }
        publish(app, bundle("1.0.1", "https://cdn.example.com/1.zip", "channel", "beta"))
                .then()
                .statusCode(404)
                .body("error", equalTo("channel_not_found"));
        publish(app, bundle("1.0.1", "https://cdn.example.com/1.zip", "create_channel", true))
                .then()
                .statusCode(400)
                .body("details[0].field", equalTo("create_channel"));
        publish(app, bundle("1.0.1", "https://cdn.example.com/1.zip", "channel", 7))
                .then()
                .statusCode(400)
                .body("details[0].message", equalTo("must be a string"));
        assertThat(versions(app)).isEmpty();
        admin().get("/api/v1/apps/{a}/channels", app).then().statusCode(200).body("entries.size()", equalTo(0));
        // The version is still free: the refusals stored nothing.
        publish(app, bundle("1.0.1", "https://cdn.example.com/other.zip", "channel", "beta", "create_channel", true))
                .then()
                .statusCode(201);
    }

    @Test
    void aTakenVersionIsRefusedAndTheChannelKeepsServingWhatItServed() {
        String app = newApp("pub");
        publish(app, bundle("1.0.1", "https://cdn.example.com/1.zip", "channel", "production", "create_channel", true))
                .then()
                .statusCode(201);
        publish(
                        app,
                        bundle(
                                "1.0.1",
                                "https://cdn.example.com/evil.zip",
                                "channel",
                                "production",
                                "create_channel",
                                true))
                .then()
                .statusCode(409)
                .body("error", equalTo("version_exists"));
        publish(app, bundle("1.0.2", "https://cdn.example.com/2.zip")).then().statusCode(201);
        admin().delete("/api/v1/apps/{a}/bundles/1.0.2", app).then().statusCode(204);
        publish(app, bundle("1.0.2", "https://cdn.example.com/2.zip", "channel", "production"))
                .then()
                .statusCode(409)
                .body("error", equalTo("version_exists"));
        admin().get("/api/v1/apps/{a}/channels/production", app).then().body("bundle", equalTo("1.0.1"));
        admin().get("/api/v1/apps/{a}/bundles/1.0.1", app)
                .then()
                .body("external_url", equalTo("https://cdn.example.com/1.zip"));
    }

    @Test
    void aDryRunAnswersWhatWouldHappenAndWritesNothing() {
        String app = newApp("pub");
        Map<String, Object> in =
                bundle("1.0.1", "https://cdn.example.com/1.zip", "channel", "production", "create_channel", true);
        Map<String, Object> dry = new HashMap<>(in);
        dry.put("dry_run", true);
        publish(app, dry)
                .then()
                .statusCode(200)
                .body("dry_run", equalTo(true))
                .body("bundle_created", equalTo(true))
                .body("bundle.version", equalTo("1.0.1"))
                .body("bundle.created_at", nullValue())
                .body("channel.bundle", equalTo("1.0.1"))
                .body("channel.public", equalTo(true))
                .body("channel_created", equalTo(true));
        assertThat(versions(app)).isEmpty();
        admin().get("/api/v1/apps/{a}/channels/production", app).then().statusCode(404);

        publish(app, in).then().statusCode(201);
        publish(app, dry)
                .then()
                .statusCode(200)
                .body("bundle_created", equalTo(false))
                .body("channel_created", equalTo(false));
        Map<String, Object> taken = bundle("1.0.1", "https://cdn.example.com/other.zip", "dry_run", true);
        publish(app, taken).then().statusCode(409).body("error", equalTo("version_exists"));
        Map<String, Object> next = bundle("1.0.2", "https://cdn.example.com/2.zip", "channel", "beta", "dry_run", true);
        publish(app, next).then().statusCode(404).body("error", equalTo("channel_not_found"));
        publish(app, bundle("1.0.2", "https://cdn.example.com/2.zip", "dry_run", true))
                .then()
                .statusCode(200)
                .body("bundle_created", equalTo(true))
                .body("channel", nullValue());
        assertThat(versions(app)).containsExactly("1.0.1");
        publish(app, bundle("1.0.2", "https://cdn.example.com/2.zip", "dry_run", "yes"))
                .then()
                .statusCode(400)
                .body("details[0].field", equalTo("dry_run"));
    }

    @Test
    void identicalConcurrentPublishesNeverGiveA500() throws Exception {
        String app = newApp("pub");
        channel(app, ch("name", "production", "public", true));
        int n = 6;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            for (String version : new String[] {"1.0.1", "1.0.2"}) {
                CountDownLatch start = new CountDownLatch(1);
                Map<String, Object> in = bundle(
                        version,
                        "https://cdn.example.com/" + version + ".zip",
                        "channel",
                        "canary",
                        "create_channel",
                        true);
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return publish(app, in).statusCode();
                    }));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : answers) {
                    statuses.add(f.get());
                }
                assertThat(statuses).as(version).containsOnly(201, 200).containsOnlyOnce(201);
            }
        } finally {
            pool.shutdownNow();
        }
        admin().get("/api/v1/apps/{a}/channels/canary", app)
                .then()
                .statusCode(200)
                .body("bundle", equalTo("1.0.2"))
                .body("public", equalTo(false));
        assertThat(versions(app)).containsExactly("1.0.2", "1.0.1");
    }
}
