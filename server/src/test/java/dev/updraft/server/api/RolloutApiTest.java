package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
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
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.updraft.server.decision.Rollout;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A channel's rollout through the admin API and what devices are offered (docs/admin-api.md "Rollouts",
 * docs/protocol.md §2.11): start, share, pause, resume, promote, roll back, publish as a rollout, and every refusal.
 */
@QuarkusTest
class RolloutApiTest {

    /** production on 1.0.1 (public), with bundle 1.0.2 registered. */
    static String appWithTwoBundles() {
        String app = newApp("roll");
        bundle(app, "1.0.1");
        bundle(app, "1.0.2");
        channel(app, ch("name", "production", "bundle", "1.0.1", "public", true));
        return app;
    }

    static Response patch(String app, Map<String, Object> body) {
        return admin().body(body).patch("/api/v1/apps/{a}/channels/production", app);
    }

    static Response act(String app, String action) {
        return admin().post("/api/v1/apps/{a}/channels/production/rollout/" + action, app);
    }

    /** The version offered to a device running {@code running}, or the error code of the answer. */
    static String check(String app, String deviceId, String running) {
        Response r = device().body(with(info(app, deviceId), "version_name", running))
                .post("/updates");
        r.then().statusCode(200);
        String version = r.path("version");
        return version != null && r.path("error") == null ? version : r.path("error");
    }

    static String deviceInside(String rolloutId, int bps, boolean inside) {
        while (true) {
            String d = newDevice();
            if ((Rollout.bucket(rolloutId, d) < bps) == inside) {
                return d;
            }
        }
    }

    @Test
    void aRolloutServesItsShare_andPauseResumePromoteWork() {
        String app = appWithTwoBundles();
        String rolloutId = patch(app, ch("rollout_version", "1.0.2", "rollout_percentage_bps", 2000))
                .then()
                .statusCode(200)
                .body("bundle", equalTo("1.0.1"))
                .body("rollout_version", equalTo("1.0.2"))
                .body("rollout_percentage_bps", equalTo(2000))
                .body("rollout_enabled", equalTo(true))
                .body("rollout_id", notNullValue())
                .body("rollout_paused_at", nullValue())
                .extract()
                .path("rollout_id");

        // About a fifth of 400 new devices get 1.0.2, the others 1.0.1.
        int rolledOut = 0;
        for (int i = 0; i < 400; i++) {
            String v = check(app, newDevice(), "1.0.0");
            assertThat(v).isIn("1.0.1", "1.0.2");
            rolledOut += v.equals("1.0.2") ? 1 : 0;
        }
        assertThat(rolledOut).isBetween(50, 110);

        String inside = deviceInside(rolloutId, 2000, true);
        String outside = deviceInside(rolloutId, 2000, false);
        assertThat(check(app, inside, "1.0.0")).isEqualTo("1.0.2");
        assertThat(check(app, inside, "1.0.0")).as("sticky").isEqualTo("1.0.2");
        assertThat(check(app, outside, "1.0.0")).isEqualTo("1.0.1");

        // Paused: no new device joins, a device on 1.0.2 keeps it.
        act(app, "pause")
                .then()
                .statusCode(200)
                .body("rollout_paused_at", notNullValue())
                .body("rollout_paused_by", equalTo("operator"));
        assertThat(check(app, inside, "1.0.0")).isEqualTo("1.0.1");
        assertThat(check(app, inside, "1.0.2")).isEqualTo("no_new_version_available");
        act(app, "resume").then().statusCode(200).body("rollout_paused_at", nullValue());
        assertThat(check(app, inside, "1.0.0")).isEqualTo("1.0.2");

        // Promoted: 1.0.2 is the stable bundle for everyone, the rollout is over.
        act(app, "promote")
                .then()
                .statusCode(200)
                .body("bundle", equalTo("1.0.2"))
                .body("rollout_version", nullValue())
                .body("rollout_enabled", equalTo(false));
        assertThat(check(app, outside, "1.0.0")).isEqualTo("1.0.2");
    }

    @Test
    void rollback_sendsEveryDeviceBackToTheStableBundle_andRaisingTheShareKeepsEveryoneIn() {
        String app = appWithTwoBundles();
        String rolloutId = patch(app, ch("rollout_version", "1.0.2", "rollout_percentage_bps", 1000))
                .then()
                .statusCode(200)
                .extract()
                .path("rollout_id");
        String first = deviceInside(rolloutId, 1000, true);
        assertThat(check(app, first, "1.0.0")).isEqualTo("1.0.2");
        // raising the share keeps the id (and every device already in)
        patch(app, ch("rollout_percentage_bps", 5000)).then().statusCode(200).body("rollout_id", equalTo(rolloutId));
        assertThat(check(app, first, "1.0.0")).isEqualTo("1.0.2");

        act(app, "rollback")
                .then()
                .statusCode(200)
                .body("bundle", equalTo("1.0.1"))
                .body("rollout_version", nullValue());
        assertThat(check(app, first, "1.0.2")).isEqualTo("1.0.1");
    }

    @Test
    void publishingAsARollout_linksTheBundleAsTheRolloutNotTheStable() {
        String app = appWithTwoBundles();
        admin().body(Map.of(
                        "version",
                        "1.0.3",
                        "external_url",
                        "https://cdn.example.com/1.0.3.zip",
                        "checksum",
                        Api.SHA,
                        "channel",
                        "production",
                        "rollout_percentage_bps",
                        10_000))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(201)
                .body("channel.bundle", equalTo("1.0.1"))
                .body("channel.rollout_version", equalTo("1.0.3"))
                .body("channel.rollout_percentage_bps", equalTo(10_000));
        assertThat(check(app, newDevice(), "1.0.0")).isEqualTo("1.0.3");
        // publishing it again as the stable bundle ends the rollout
        admin().body(Map.of(
                        "version",
                        "1.0.3",
                        "external_url",
                        "https://cdn.example.com/1.0.3.zip",
                        "checksum",
                        Api.SHA,
                        "channel",
                        "production"))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(200)
                .body("channel.bundle", equalTo("1.0.3"))
                .body("channel.rollout_version", nullValue());
    }

    @Test
    void badRollouts_areRefused_andChangeNothing() {
        String app = appWithTwoBundles();
        patch(app, ch("rollout_version", "9.9.9", "rollout_percentage_bps", 10))
                .then()
                .statusCode(404)
                .body("error", equalTo("bundle_not_found"));
        patch(app, ch("rollout_version", "1.0.1")).then().statusCode(400).body("error", equalTo("rollout_is_stable"));
        patch(app, ch("rollout_version", "1.0.2", "rollout_percentage_bps", 10_001))
                .then()
                .statusCode(400)
                .body("error", equalTo("validation_failed"));
        patch(app, ch("rollout_version", "1.0.2", "rollout_percentage_bps", "ten"))
                .then()
                .statusCode(400);
        patch(app, ch("rollout_version", "..")).then().statusCode(400).body("error", equalTo("validation_failed"));
        patch(app, ch("rollout_enabled", true)).then().statusCode(400).body("error", equalTo("no_rollout_bundle"));
        act(app, "pause").then().statusCode(409).body("error", equalTo("no_rollout"));
        act(app, "explode").then().statusCode(404);
        admin().body(Map.of(
                        "version",
                        "1.0.4",
                        "external_url",
                        "https://cdn.example.com/1.0.4.zip",
                        "checksum",
                        Api.SHA,
                        "rollout_percentage_bps",
                        500))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(400);
        admin().get("/api/v1/apps/{a}/channels/production", app)
                .then()
                .statusCode(200)
                .body("bundle", equalTo("1.0.1"))
                .body("rollout_version", nullValue())
                .body("rollout_enabled", equalTo(false));
        admin().get("/api/v1/apps/{a}/bundles/1.0.4", app).then().statusCode(404);

        // a bundle that is a channel's rollout cannot be deleted
        patch(app, ch("rollout_version", "1.0.2", "rollout_percentage_bps", 100))
                .then()
                .statusCode(200);
        admin().delete("/api/v1/apps/{a}/bundles/1.0.2", app)
                .then()
                .statusCode(409)
                .body("error", equalTo("bundle_in_use"));
    }
}
