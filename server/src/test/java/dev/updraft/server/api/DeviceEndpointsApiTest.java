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
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.updraft.protocol.StatsEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /stats and /channel_self over real HTTP, with the plugin's shapes and bad input. */
@QuarkusTest
class DeviceEndpointsApiTest {

    static Map<String, Object> event(String app, String dev, String action, String version) {
        return Api.map(StatsEvent.of(Api.infoObject(app, dev), action, version, "", 1_700_000_000_000L)
                .toJson());
    }

    static List<Map<String, Object>> events(String app, String version, String action) {
        return Api.admin()
                .queryParam("version", version)
                .queryParam("action", action)
                .get("/api/v1/apps/{a}/events", app)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entries");
    }

    // ---- /stats ------------------------------------------------------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void stats_arrayBatch_isStoredBeforeTheAnswer_andCounted() {
        String app = newApp("st");
        bundle(app, "1.0.1");
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.1"));
        String d1 = newDevice();
        String d2 = newDevice();
        List<Map<String, Object>> batch = new ArrayList<>();
        batch.add(event(app, d1, "set", "1.0.1"));
        batch.add(event(app, d2, "set", "1.0.1"));
        batch.add(event(app, d2, "update_fail", "1.0.1"));
        batch.add(event(app, d1, "download_manifest_file_fail", "1.0.1:main.js"));
        batch.add(with(
                event(app, d1, "app_launch_ready", "1.0.1"),
                "metadata",
                Map.of("duration_ms", "120", "source", "cold")));
        batch.add(event(app, d1, "some_future_action_nobody_knows", "1.0.1"));
        device().body(batch)
                .post("/stats")
                .then()
                .statusCode(200)
                .body(
                        equalTo(
                                "{\"status\":\"ok\",\"results\":["
                                        + "{\"status\":\"ok\",\"index\":0},{\"status\":\"ok\",\"index\":1},{\"status\":\"ok\",\"index\":2},"
                                        + "{\"status\":\"ok\",\"index\":3},{\"status\":\"ok\",\"index\":4},{\"status\":\"ok\",\"index\":5}]}"));
        // Stored and visible at once: the 2xx came after the commit.
        List<Map<String, Object>> launches = events(app, "1.0.1", "app_launch_ready");
        assertThat(launches).hasSize(1);
        assertThat(launches.get(0).get("metadata")).isEqualTo(Map.of("duration_ms", "120", "source", "cold"));
        assertThat(launches.get(0)).containsEntry("device_id", d1).containsEntry("timestamp", 1_700_000_000_000L);
        Map<String, Object> stats = Api.admin()
                .get("/api/v1/apps/{a}/stats", app)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("$");
        @SuppressWarnings("unchecked")
        Map<String, Object> v = ((List<Map<String, Object>>) stats.get("versions"))
                .stream()
                        .filter(x -> x.get("version").equals("1.0.1"))
                        .findFirst()
                        .orElseThrow();
        assertThat(v).containsEntry("installs", 2).containsEntry("failures", 2).containsEntry("devices", 2);
        assertThat((Map<String, Object>) v.get("actions"))
                .containsEntry("some_future_action_nobody_knows", 1)
                .containsEntry("set", 2);
        @SuppressWarnings("unchecked")
        Map<String, Object> c = ((List<Map<String, Object>>) stats.get("channels")).get(0);
        assertThat(c)
                .containsEntry("channel", "production")
                .containsEntry("version", "1.0.1")
                .containsEntry("installs", 2);
    }

    @Test
    void stats_singleObject_likeTheAndroidDownloadWorker() {
        String app = newApp("st");
        // The Android download worker's shape: no timestamp, no key_id.
        Map<String, Object> worker =
                Api.map(StatsEvent.of(Api.infoObject(app, newDevice()), "download_zip_start", "1.0.9", "", null)
                        .toJson());
        device().body(worker).post("/stats").then().statusCode(200).body("status", equalTo("ok"));
        assertThat(events(app, "1.0.9", "download_zip_start")).hasSize(1);
        device().body(List.of())
                .post("/stats")
                .then()
                .statusCode(200)
                .body(equalTo("{\"status\":\"ok\",\"results\":[]}"));
    }

    @Test
    void stats_badInput_is4xx() {
        String app = newApp("st");
        device().body("[{\"app_id\":")
                .post("/stats")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json_parse_body"));
        device().body("42").post("/stats").then().statusCode(400).body("error", equalTo("invalid_json_body"));
        // In a batch, what is not an event is refused on its own (and answered per event); a single object as a whole.
        device().body(List.of(1, 2))
                .post("/stats")
                .then()
                .statusCode(200)
                .body("results.error", org.hamcrest.Matchers.contains("invalid_json_body", "invalid_json_body"));
        device().body(with(event(app, newDevice(), "set", "1.0.0"), "action", null))
                .post("/stats")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json_body"));
        device().body(with(event(app, newDevice(), "set", "1.0.0"), "timestamp", "yesterday"))
                .post("/stats")
                .then()
                .statusCode(400);
        device().body(with(event(app, newDevice(), "set", "1.0.0"), "metadata", Map.of("k", Map.of("nested", "x"))))
                .post("/stats")
                .then()
                .statusCode(400);
        Map<String, Object> many = new java.util.HashMap<>();
        for (int i = 0; i < 31; i++) {
            many.put("k" + i, "v");
        }
        device().body(with(event(app, newDevice(), "set", "1.0.0"), "metadata", many))
                .post("/stats")
                .then()
                .statusCode(400);
        device().body(with(event(app, newDevice(), "set", "1.0.0"), "metadata", Map.of("k".repeat(65), "v")))
                .post("/stats")
                .then()
                .statusCode(400);
        device().body(with(event(app, newDevice(), "set", "1.0.0"), "metadata", Map.of("k", "v".repeat(2049))))
                .post("/stats")
                .then()
                .statusCode(400);
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            tooMany.add(event(app, newDevice(), "set", "1.0.0"));
        }
        device().body(tooMany).post("/stats").then().statusCode(400).body("error", equalTo("too_many_events"));
        device().body(List.of(event("com.unknown.stats", newDevice(), "set", "1.0.0")))
                .post("/stats")
                .then()
                .statusCode(429)
                .body("error", equalTo("on_premise_app"));
        device().body("[" + ("{\"a\":\"" + "x".repeat(1 << 20) + "\"},").repeat(3) + "{}]")
                .post("/stats")
                .then()
                .statusCode(413);
        // What PostgreSQL could not store is refused up front, never a 500.
        device().body(with(event(app, newDevice(), "set", "1.0.0"), "action", "se\u0000t"))
                .post("/stats")
                .then()
                .statusCode(400);
        device().body(with(event(app, newDevice(), "set", "1.0.0"), "metadata", Map.of("k", "a\u0000b")))
                .post("/stats")
                .then()
                .statusCode(400);
        device().body(with(event(app, newDevice(), "set", "1.0.0"), "platform", "p".repeat(100)))
                .post("/stats")
                .then()
                .statusCode(400);
        assertThat(events(app, "1.0.0", "set")).isEmpty(); // nothing of a refused batch was stored
    }

    // ---- /channel_self -----------------------------------------------------------------------------------------

    /** production (public), beta (self-assignable), internal (private). */
    static String channelsApp() {
        String app = newApp("cs");
        bundle(app, "1.0.1");
        bundle(app, "1.0.2");
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.1"));
        channel(app, ch("name", "beta", "bundle", "1.0.2", "allow_device_self_set", true));
        channel(app, ch("name", "internal", "bundle", "1.0.2"));
        return app;
    }

    /** The info object of a plugin that relies on the server to keep its setChannel choice (before 5.34/6.34/7.34/8.0). */
    static Map<String, Object> oldPlugin(String app, String dev) {
        return with(info(app, dev), "plugin_version", "7.33.0");
    }

    @Test
    void channelSelf_post_storesTheChoiceOfOlderPlugins_andUnsetsForASelfAssignablePublicChannel() {
        String app = channelsApp();
        channel(
                app,
                ch("name", "open", "public", true, "allow_device_self_set", true, "bundle", "1.0.1", "ios", false));
        String dev = newDevice();
        Response ok =
                device().body(with(oldPlugin(app, dev), "channel", "beta")).post("/channel_self");
        ok.then().statusCode(200).body(equalTo("{\"status\":\"ok\"}"));
        device().body(oldPlugin(app, dev))
                .put("/channel_self")
                .then()
                .statusCode(200)
                .body(equalTo("{\"channel\":\"beta\",\"status\":\"override\",\"allowSet\":true}"));
        // The update check follows the stored choice: these plugins send no defaultChannel for it.
        device().body(oldPlugin(app, dev))
                .post("/updates")
                .then()
                .statusCode(200)
                .body("version", equalTo("1.0.2"));

        // A public channel that devices may choose: the device forgets its choice, and the server forgets it too.
        device().body(with(oldPlugin(app, dev), "channel", "open"))
                .post("/channel_self")
                .then()
                .statusCode(200)
                .body(equalTo("{\"status\":\"ok\",\"unset\":true}"));
        device().body(oldPlugin(app, dev))
                .put("/channel_self")
                .then()
                .statusCode(200)
                .body(equalTo("{\"channel\":\"open\",\"status\":\"default\",\"allowSet\":true}"));

        device().body(with(oldPlugin(app, dev), "channel", "production"))
                .post("/channel_self")
                .then()
                .statusCode(400)
                .body("error", equalTo("public_channel_self_set_not_allowed"))
                .body("$", not(hasKey("kind")));
        device().body(with(oldPlugin(app, dev), "channel", "internal"))
                .post("/channel_self")
                .then()
                .statusCode(400)
                .body("error", equalTo("channel_self_set_not_allowed"))
                .body("$", not(hasKey("kind")));
        device().body(with(oldPlugin(app, dev), "channel", "nope"))
                .post("/channel_self")
                .then()
                .statusCode(400)
                .body("error", equalTo("channel_not_found"))
                .body("$", not(hasKey("kind")));
        device().body(oldPlugin(app, dev))
                .post("/channel_self")
                .then()
                .statusCode(400)
                .body("error", equalTo("missing_channel"));
    }

    @Test
    void channelSelf_post_storesNothingForPluginsThatKeepTheChoice() {
        String app = channelsApp();
        String dev = newDevice();
        device().body(with(info(app, dev), "channel", "beta"))
                .post("/channel_self")
                .then()
                .statusCode(200)
                .body(equalTo("{\"status\":\"ok\"}"));
        // After setChannel('beta') then unsetChannel() (local, no DELETE), plugin 8 sends defaultChannel "" again.
        device().body(info(app, dev))
                .put("/channel_self")
                .then()
                .statusCode(200)
                .body(equalTo("{\"channel\":\"production\",\"status\":\"default\",\"allowSet\":false}"));
        device().body(info(app, dev)).post("/updates").then().statusCode(200).body("version", equalTo("1.0.1"));
        device().body(with(info(app, dev), "defaultChannel", "beta"))
                .post("/updates")
                .then()
                .statusCode(200)
                .body("version", equalTo("1.0.2"));
    }

    @Test
    void channelSelf_operatorOverrideCannotBeChangedByTheDevice() {
        String app = channelsApp();
        String dev = newDevice();
        Api.admin()
                .body(Map.of("channel", "internal"))
                .put("/api/v1/apps/{a}/devices/{d}/override", app, dev)
                .then()
                .statusCode(200)
                .body("device_id", equalTo(dev))
                .body("channel", equalTo("internal"));
        device().body(info(app, dev))
                .put("/channel_self")
                .then()
                .statusCode(200)
                .body(equalTo("{\"channel\":\"internal\",\"status\":\"override\",\"allowSet\":false}"));
        device().body(with(info(app, dev), "channel", "beta"))
                .post("/channel_self")
                .then()
                .statusCode(400)
                .body("error", equalTo("cannot_override"));
        device().body(info(app, dev)).post("/updates").then().statusCode(200).body("version", equalTo("1.0.2"));
    }

    @Test
    void channelSelf_put_followsDefaultChannel_or404sWithChannelNotFound() {
        String app = channelsApp();
        device().body(with(info(app, newDevice()), "defaultChannel", "beta"))
                .put("/channel_self")
                .then()
                .statusCode(200)
                .body(equalTo("{\"channel\":\"beta\",\"status\":\"default\",\"allowSet\":true}"));
        String bare = newApp("cs");
        device().body(info(bare, newDevice()))
                .put("/channel_self")
                .then()
                .statusCode(400)
                .body("error", equalTo("channel_not_found"));
    }

    @Test
    void channelSelf_get_listsChoosableChannelsWithNumericIds() {
        String app = channelsApp();
        Response r = device().queryParam("platform", "android")
                .queryParam("device_id", newDevice())
                .queryParam("app_id", app)
                .queryParam("version_build", "1.0.0")
                .queryParam("plugin_version", "8.51.23")
                .queryParam("is_emulator", "false")
                .queryParam("is_prod", "true")
                .queryParam("defaultChannel", "")
                .get("/channel_self");
        r.then().statusCode(200);
        // Only what the device may pick: beta; not production (public, but devices may not choose it) nor internal.
        assertThat(r.asString())
                .matches("\\[\\{\"id\":\\d+,\"name\":\"beta\",\"public\":false,\"allow_self_set\":true}]");
        device().queryParam("app_id", app)
                .get("/channel_self")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json_body"));
        device().queryParam("app_id", app)
                .queryParam("device_id", newDevice())
                .queryParam("platform", "ios")
                .queryParam("plugin_version", "8.0.0")
                .queryParam("is_prod", "maybe")
                .get("/channel_self")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json_body"));
    }

    @Test
    void channelSelf_delete_forgetsTheDevicesChoice() {
        String app = channelsApp();
        String dev = newDevice();
        device().body(with(oldPlugin(app, dev), "channel", "beta"))
                .post("/channel_self")
                .then()
                .statusCode(200);
        device().body(oldPlugin(app, dev))
                .put("/channel_self")
                .then()
                .statusCode(200)
                .body("channel", equalTo("beta"));
        device().body(oldPlugin(app, dev))
                .delete("/channel_self")
                .then()
                .statusCode(200)
                .body(equalTo("{\"status\":\"ok\"}"));
        device().body(oldPlugin(app, dev))
                .put("/channel_self")
                .then()
                .statusCode(200)
                .body("channel", equalTo("production"));
        device().body("nope").delete("/channel_self").then().statusCode(400);
    }

    @Test
    void channelSelf_isRateLimitedPerAppDeviceAndOperation() {
        String app = channelsApp();
        String dev = newDevice();
        for (int i = 0; i < 5; i++) {
            device().body(info(app, dev)).put("/channel_self").then().statusCode(200);
        }
        Response limited = device().body(info(app, dev)).put("/channel_self");
        limited.then()
                .statusCode(429)
                .body("error", equalTo("too_many_requests"))
                .body("$", not(hasKey("kind")));
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 10);
        // Another operation and another device are not limited.
        device().body(with(info(app, dev), "channel", "beta"))
                .post("/channel_self")
                .then()
                .statusCode(200);
        device().body(info(app, newDevice())).put("/channel_self").then().statusCode(200);
    }

    @Test
    void channelSelf_badInputAndUnknownApp() {
        device().body("{")
                .post("/channel_self")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json_parse_body"));
        device().body(Map.of("app_id", 1))
                .put("/channel_self")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json_body"));
        device().body(with(info("com.unknown.cs", newDevice()), "channel", "beta"))
                .post("/channel_self")
                .then()
                .statusCode(429)
                .body("error", equalTo("on_premise_app"));
        device().body("{\"x\":\"" + "y".repeat(20_000) + "\"}")
                .put("/channel_self")
                .then()
                .statusCode(413);
        device().body(with(info("com.unknown.cs", newDevice()), "channel", "be\u0000ta"))
                .post("/channel_self")
                .then()
                .statusCode(400);
        RestAssured.given().patch("/channel_self").then().statusCode(405);
    }

    @Test
    void devicesSeen_areRecordedWithoutADatabaseWritePerCheck_andListed() throws InterruptedException {
        String app = channelsApp();
        String dev = newDevice();
        device().body(with(info(app, dev), "custom_id", "user-42"))
                .post("/updates")
                .then()
                .statusCode(200);
        List<Map<String, Object>> devices = List.of();
        for (int i = 0; i < 50 && devices.isEmpty(); i++) { // written by the batch job about once a second
            Thread.sleep(100);
            devices = Api.firstPage("/api/v1/apps/{a}/devices", app);
        }
        assertThat(devices).hasSize(1);
        assertThat(devices.get(0))
                .containsEntry("device_id", dev)
                .containsEntry("platform", "android")
                .containsEntry("version_name", "1.0.0")
                .containsEntry("version_build", "1.0.0")
                .containsEntry("plugin_version", "8.51.23")
                .containsEntry("is_prod", true)
                .containsEntry("is_emulator", false)
                .containsEntry("custom_id", "user-42")
                .containsEntry("channel_override", null)
                .containsKey("last_seen");
        // Seen again with other details: written at the next batch (unchanged devices are written less often).
        device().body(with(info(app, dev), "custom_id", "user-43", "version_name", "1.0.1"))
                .post("/updates")
                .then()
                .statusCode(200);
        Object customId = null;
        for (int i = 0; i < 50 && !"user-43".equals(customId); i++) {
            Thread.sleep(100);
            customId = Api.admin()
                    .get("/api/v1/apps/{a}/devices", app)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("entries[0].custom_id");
        }
        assertThat(customId).isEqualTo("user-43");
        // Longer values than the devices table holds are accepted and shortened, and do not block later writes;
        // custom_id is at most 36 characters on the wire.
        device().body(with(info(app, dev), "custom_id", "c".repeat(37)))
                .post("/updates")
                .then()
                .statusCode(400);
        device().body(with(info(app, dev), "custom_id", "c".repeat(36), "version_name", "v".repeat(600)))
                .post("/updates")
                .then()
                .statusCode(200);
        Object stored = null;
        for (int i = 0; i < 50 && stored == null; i++) {
            Thread.sleep(100);
            String name = Api.admin()
                    .get("/api/v1/apps/{a}/devices", app)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("entries[0].version_name");
            stored = name != null && name.startsWith("vvv") ? name : null;
        }
        assertThat((String) stored).hasSize(255);
    }
}
