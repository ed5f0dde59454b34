package dev.updraft.server.api;

import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static dev.updraft.server.api.Api.device;
import static dev.updraft.server.api.Api.info;
import static dev.updraft.server.api.Api.newDevice;
import static dev.updraft.server.api.Api.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.fixtures.GoldenVectors;
import dev.updraft.fixtures.GoldenVectors.EncryptionRun;
import dev.updraft.protocol.StatsEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every device endpoint, table by table, for each plugin generation (5, 6, 7, 8 early, 8 late), an unencrypted and
 * an encrypted app, and every kind of channel; the expected status and body are the Capgo cloud's behaviour as
 * docs/protocol.md §2.9, §3.4, §4.2 and §11 state it, written out literally.
 *
 * <p>The plugin versions are chosen at the gates: 5.30.0 (no key id, the server stores setChannel, no
 * link/comment, no revert to built-in), 6.34.0 (no key id, keeps setChannel itself, no link/comment), 7.50.1 (the
 * 4-character key id, link/comment), 8.2.0 (the 4-character key id, no link/comment), 8.51.23 (the full key id).
 */
@QuarkusTest
class DeviceApiByPluginTest {
    static final String SHA = Api.SHA;
    static final EncryptionRun G = GoldenVectors.RUN1;
    static final String CDN = "https://cdn.example.com/";
    static final String OTHER_KEY = "MIIBCgKCAQEAotherKey";

    /** Two apps (unencrypted, encrypted), made once per database. */
    record Fixture(String plain, String enc) {}

    private static final Map<String, Fixture> FIXTURES = new ConcurrentHashMap<>();

    static Fixture fixture() {
        String db = ConfigProvider.getConfig()
                .getOptionalValue("updraft.db.url", String.class)
                .orElse("embedded");
        return FIXTURES.computeIfAbsent(db, k -> new Fixture(app("plain", false), app("enc", true)));
    }

    /**
     * production (public, 1.0.1 with a manifest, link and comment), beta (self-assignable, 1.0.2), internal (private),
     * native (self-assignable, built-in, reset), native-keep (built-in, keep), ios-only, phones-only (no emulators),
     * dev-builds (no production builds). The app exposes its bundles' metadata.
     */
    static String app(String kind, boolean encrypted) {
        String app = Api.newApp(kind);
        Api.admin()
                .body(Map.of("expose_metadata", true))
                .patch("/api/v1/apps/{a}", app)
                .then()
                .statusCode(200);
        for (String v : List.of("1.0.1", "1.0.2")) {
            Map<String, Object> b = ch(
                    "version",
                    v,
                    "external_url",
                    CDN + kind + "/" + v + ".zip",
                    "checksum",
                    encrypted ? G.encryptedChecksumHex() : SHA);
            if (encrypted) {
                b.putAll(ch("session_key", G.ivSessionKey(), "key_id", G.keyId()));
            }
            if (v.equals("1.0.1")) {
                b.putAll(ch(
                        "link",
                        "https://example.com/notes",
                        "comment",
                        "first",
                        "manifest",
                        List.of(Map.of(
                                "file_name",
                                "index.html",
                                "file_hash",
                                encrypted ? G.encryptedChecksumHex() : SHA,
                                "download_url",
                                CDN + kind + "/1.0.1/index.html"))));
            }
            Api.admin().body(b).post("/api/v1/apps/{a}/bundles", app).then().statusCode(201);
        }
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.1"));
        channel(app, ch("name", "beta", "allow_device_self_set", true, "bundle", "1.0.2"));
        channel(app, ch("name", "internal", "bundle", "1.0.2"));
        channel(app, ch("name", "native", "allow_device_self_set", true));
        channel(app, ch("name", "native-keep", "allow_device_self_set", true, "builtin_target", "keep"));
        channel(app, ch("name", "ios-only", "allow_device_self_set", true, "bundle", "1.0.2", "android", false));
        channel(
                app,
                ch("name", "phones-only", "allow_device_self_set", true, "bundle", "1.0.2", "allow_emulator", false));
        channel(app, ch("name", "dev-builds", "allow_device_self_set", true, "bundle", "1.0.2", "allow_prod", false));
        return app;
    }

    static Map<String, Object> dev(String app, String plugin, String key, String defaultChannel, String versionName) {
        return with(
                info(app, newDevice()),
                "plugin_version",
                plugin,
                "key_id",
                keyOf(key),
                "defaultChannel",
                defaultChannel,
                "version_name",
                versionName);
    }

    static String keyOf(String key) {
        return switch (key) {
            case "-" -> null;
            case "KEY" -> G.keyId();
            case "OTHER" -> OTHER_KEY;
            default -> key;
        };
    }

    // ---- the expected answers, as the wire text -------------------------------------------------------------------

    static String offer(String kind, String version, boolean manifest, boolean metadata) {
        boolean enc = kind.equals("enc");
        String checksum = enc ? G.encryptedChecksumHex() : SHA;
        StringBuilder s = new StringBuilder("{\"version\":\"" + version + "\",\"url\":\"" + CDN + kind + "/" + version
                + ".zip\"," + "\"session_key\":\"" + (enc ? G.ivSessionKey() : "") + "\",\"checksum\":\"" + checksum
                + "\"");
        if (manifest) {
            s.append(",\"manifest\":[{\"file_name\":\"index.html\",\"file_hash\":\"")
                    .append(checksum)
                    .append("\",\"download_url\":\"")
                    .append(CDN)
                    .append(kind)
                    .append("/1.0.1/index.html\"}]");
        }
        if (metadata) {
            s.append(",\"link\":\"https://example.com/notes\",\"comment\":\"first\"");
        }
        return s.append('}').toString();
    }

    static String expected(String kind, String token) {
        return switch (token) {
            case "U101_MANIFEST" -> offer(kind, "1.0.1", true, false);
            case "U101_MANIFEST_META" -> offer(kind, "1.0.1", true, true);
            case "U102" -> offer(kind, "1.0.2", false, false);
            case "NO_CHANNEL" ->
                "{\"error\":\"no_channel\",\"message\":\"No channel serves this device\",\"kind\":\"failed\"}";
            case "BUILTIN" -> "{\"version\":\"builtin\"}";
            case "TOO_OLD" ->
                "{\"error\":\"revert_to_builtin_plugin_version_too_old\",\"message\":\"This plugin version cannot revert to the "
                        + "built-in bundle\",\"kind\":\"failed\"}";
            case "ALREADY" ->
                "{\"error\":\"already_on_builtin\",\"message\":\"The device already runs the built-in bundle\","
                        + "\"kind\":\"up_to_date\",\"version\":\"builtin\"}";
            case "NO_NEW" ->
                "{\"error\":\"no_new_version_available\",\"message\":\"No new version available\",\"kind\":\"up_to_date\"}";
            case "MISMATCH" ->
                "{\"error\":\"key_id_mismatch\",\"message\":\"The bundle is not encrypted for this device's public key\","
                        + "\"kind\":\"blocked\",\"deviceKeyId\":\"" + OTHER_KEY + "\",\"bundleKeyId\":\"" + G.keyId()
                        + "\"}";
            default -> throw new IllegalArgumentException(token);
        };
    }

    // ---- POST /updates --------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} app, plugin {1}, key {2}, defaultChannel ''{3}'', running {4}: {5}")
    @CsvSource(
            nullValues = "NULL",
            value = {
                // app, plugin, key_id sent, defaultChannel, running bundle, expected answer
                // The public channel: manifest for all (5.10+/6.25+/7.0.35+/8), link/comment from 5.35/6.35/7.35/8.35.
                "plain, 5.30.0,  -,     '',          0.9.9, U101_MANIFEST",
                "plain, 6.34.0,  -,     '',          0.9.9, U101_MANIFEST",
                "plain, 7.50.1,  -,     '',          0.9.9, U101_MANIFEST_META",
                "plain, 8.2.0,   -,     '',          0.9.9, U101_MANIFEST",
                "plain, 8.51.23, -,     '',          0.9.9, U101_MANIFEST_META",
                // An unencrypted bundle to a device with a key: nothing to compare, the plugin refuses it itself.
                "plain, 8.51.23, KEY,   '',          0.9.9, U101_MANIFEST_META",
                // Encrypted: no key id (5, 6), the same 4 characters for every key (7.50.1, 8.2.0): served, the device
                // decrypts.
                "enc,   5.30.0,  -,     '',          0.9.9, U101_MANIFEST",
                "enc,   6.34.0,  -,     '',          0.9.9, U101_MANIFEST",
                "enc,   7.50.1,  MIIB,  '',          0.9.9, U101_MANIFEST_META",
                "enc,   8.2.0,   MIIB,  '',          0.9.9, U101_MANIFEST",
                "enc,   8.51.23, KEY,   '',          0.9.9, U101_MANIFEST_META",
                // Compared only for the full key id (after 8.40.7).
                "enc,   8.51.23, OTHER, '',          0.9.9, MISMATCH",
                "enc,   8.2.0,   MIIB,  '',          1.0.1, NO_NEW",
                // A self-assignable channel named by defaultChannel.
                "plain, 5.30.0,  -,     beta,        0.9.9, U102",
                "plain, 6.34.0,  -,     beta,        0.9.9, U102",
                "plain, 7.50.1,  -,     beta,        0.9.9, U102",
                "plain, 8.2.0,   -,     beta,        0.9.9, U102",
                "plain, 8.51.23, -,     beta,        0.9.9, U102",
                "enc,   5.30.0,  -,     beta,        0.9.9, U102",
                "enc,   7.50.1,  MIIB,  beta,        0.9.9, U102",
                "enc,   8.51.23, KEY,   beta,        0.9.9, U102",
                // A private channel, or one off for the platform, named by defaultChannel: no fallback.
                "plain, 5.30.0,  -,     internal,    0.9.9, NO_CHANNEL",
                "plain, 8.51.23, -,     internal,    0.9.9, NO_CHANNEL",
                "enc,   6.34.0,  -,     ios-only,    0.9.9, NO_CHANNEL",
                "enc,   8.2.0,   MIIB,  ios-only,    0.9.9, NO_CHANNEL",
                "plain, 8.51.23, -,     nope,        0.9.9, NO_CHANNEL",
                // The built-in bundle, channel that resets: 6.2.0 and later reset, 5.x cannot.
                "plain, 5.30.0,  -,     native,      0.9.9, TOO_OLD",
                "plain, 6.34.0,  -,     native,      0.9.9, BUILTIN",
                "plain, 7.50.1,  -,     native,      0.9.9, BUILTIN",
                "enc,   8.2.0,   MIIB,  native,      0.9.9, BUILTIN",
                "enc,   8.51.23, KEY,   native,      0.9.9, BUILTIN",
                "plain, 8.51.23, -,     native,      1.0.0, ALREADY",
                // The built-in bundle, channel that keeps: every plugin stays where it is.
                "plain, 5.30.0,  -,     native-keep, 0.9.9, ALREADY",
                "plain, 6.34.0,  -,     native-keep, 0.9.9, ALREADY",
                "enc,   7.50.1,  MIIB,  native-keep, 0.9.9, ALREADY",
                "enc,   8.2.0,   MIIB,  native-keep, 0.9.9, ALREADY",
                "plain, 8.51.23, -,     native-keep, 1.0.0, ALREADY",
                // Plugin majors above 8 behave as the newest 8.x.
                "enc,   10.0.0,  OTHER, '',          0.9.9, MISMATCH",
                "plain, 10.0.0,  -,     '',          0.9.9, U101_MANIFEST_META"
            })
    void updates(String kind, String plugin, String key, String defaultChannel, String running, String answer) {
        Fixture f = fixture();
        String app = kind.equals("plain") ? f.plain() : f.enc();
        Response r =
                device().body(dev(app, plugin, key, defaultChannel, running)).post("/updates");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.asString()).isEqualTo(expected(kind, answer));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.30.0", "6.34.0", "7.50.1", "8.2.0", "8.51.23"})
    void updates_schemaComesFirst_forEveryPlugin(String plugin) {
        String app = fixture().plain();
        Map<String, Object> ok = dev(app, plugin, "-", "", "0.9.9");
        for (String field :
                List.of("app_id", "device_id", "platform", "version_build", "version_name", "plugin_version")) {
            assertBad(
                    device().body(with(ok, field, null)).post("/updates"),
                    400,
                    "invalid_json_body",
                    "'" + field + "' is required");
            assertBad(
                    device().body(with(ok, field, "")).post("/updates"),
                    400,
                    "invalid_json_body",
                    "'" + field + "' is required");
        }
        assertBad(
                device().body(with(ok, "device_id", "dev-1")).post("/updates"),
                400,
                "invalid_json_body",
                "'device_id' must be a UUID");
        assertBad(
                device().body(with(ok, "key_id", "k".repeat(21))).post("/updates"),
                400,
                "invalid_json_body",
                "'key_id' is longer than 20");
        assertBad(
                device().body(with(ok, "custom_id", "c".repeat(37))).post("/updates"),
                400,
                "invalid_json_body",
                "'custom_id' is longer than 36");
        assertBad(
                device().body(with(ok, "install_source", "i".repeat(65))).post("/updates"),
                400,
                "invalid_json_body",
                "'install_source' is longer than 64");
        assertBad(
                device().body(with(ok, "version_build", "1.0.0.0")).post("/updates"),
                400,
                "semver_error",
                "'version_build'");
        // What the schema lets through reaches the decision table, whatever the app.
        assertThat(device().body(with(ok, "plugin_version", "4.13.0"))
                        .post("/updates")
                        .asString())
                .isEqualTo(
                        "{\"error\":\"unsupported_plugin_version\",\"message\":\"This plugin version is too old for this server\",\"kind\":\"failed\"}");
        assertThat(device().body(with(ok, "version_build", "unknown"))
                        .post("/updates")
                        .asString())
                .isEqualTo(
                        "{\"error\":\"unknown_version_build\",\"message\":\"The native version_build is unknown\",\"kind\":\"failed\"}");
        Response unknown =
                device().body(with(ok, "app_id", "com.unknown.byplugin")).post("/updates");
        assertBad(unknown, 429, "on_premise_app", "not registered");
        assertThat(unknown.header("Retry-After")).isNull();
    }

    @Test
    void updates_emptyObject_andGet() {
        assertBad(device().body("{}").post("/updates"), 400, "invalid_json_body", "'app_id' is required");
        Response get = RestAssured.given().get("/updates");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.asString()).isEqualTo("{\"status\":\"ok\"}");
    }

    static void assertBad(Response r, int status, String error, String messagePart) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        assertThat(r.jsonPath().getString("error")).as(r.asString()).isEqualTo(error);
        assertThat(r.jsonPath().getString("message")).contains(messagePart);
        assertThat(r.asString()).doesNotContain("\"kind\"");
    }

    // ---- /channel_self ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "plugin {0}: the server stores setChannel: {1}")
    @CsvSource({"5.30.0, true", "6.34.0, false", "7.50.1, false", "8.2.0, false", "8.51.23, false"})
    void channelSelf_setChannel_storedOnlyForPluginsThatDoNotKeepIt(String plugin, boolean stored) {
        String app = fixture().plain();
        Map<String, Object> dev = dev(app, plugin, "-", "", "0.9.9");
        Response set = device().body(with(dev, "channel", "beta")).post("/channel_self");
        assertThat(set.asString()).isEqualTo("{\"status\":\"ok\"}");
        // The plugin keeps 'beta' itself (and sends it as defaultChannel) or, before 5.34/6.34/7.34/8.0, relies on the
        // server.
        assertThat(device().body(dev).put("/channel_self").asString())
                .isEqualTo(
                        stored
                                ? "{\"channel\":\"beta\",\"status\":\"override\",\"allowSet\":true}"
                                : "{\"channel\":\"production\",\"status\":\"default\",\"allowSet\":false}");
        assertThat(device().body(dev).post("/updates").jsonPath().getString("version"))
                .isEqualTo(stored ? "1.0.2" : "1.0.1");
        // unsetChannel: DELETE for the older plugins; the newer ones forget locally and this is a no-op.
        assertThat(device().body(dev).delete("/channel_self").asString()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(device().body(dev).post("/updates").jsonPath().getString("version"))
                .isEqualTo("1.0.1");
        // An identical setChannel within 60 s: refused without a retry hint, so the plugin does not block itself.
        device().body(with(dev, "channel", "native"))
                .post("/channel_self")
                .then()
                .statusCode(200);
        Response again = device().body(with(dev, "channel", "native")).post("/channel_self");
        assertBad(again, 429, "too_many_requests", "same channel");
        assertThat(again.header("Retry-After")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.30.0", "6.34.0", "7.50.1", "8.2.0", "8.51.23"})
    void channelSelf_refusals_andGetChannel_forEveryPlugin(String plugin) {
        String app = fixture().enc();
        Map<String, Object> dev = dev(app, plugin, "-", "", "0.9.9");
        assertBad(
                device().body(with(dev, "channel", "production")).post("/channel_self"),
                400,
                "public_channel_self_set_not_allowed",
                "public");
        assertBad(
                device().body(with(dev, "channel", "internal")).post("/channel_self"),
                400,
                "channel_self_set_not_allowed",
                "does not allow");
        assertBad(
                device().body(with(dev, "channel", "nope")).post("/channel_self"),
                400,
                "channel_not_found",
                "No such channel");
        assertBad(device().body(dev).post("/channel_self"), 400, "missing_channel", "'channel' is required");
        // getChannel echoes an existing defaultChannel, even one that does not serve the platform.
        assertThat(device().body(with(dev, "defaultChannel", "ios-only"))
                        .put("/channel_self")
                        .asString())
                .isEqualTo("{\"channel\":\"ios-only\",\"status\":\"default\",\"allowSet\":true}");
        assertThat(device().body(with(dev, "defaultChannel", "nope"))
                        .put("/channel_self")
                        .asString())
                .isEqualTo("{\"channel\":\"production\",\"status\":\"default\",\"allowSet\":false}");
        assertBad(
                device().body(with(dev, "app_id", "com.unknown.cs")).put("/channel_self"),
                429,
                "on_premise_app",
                "not registered");
        assertBad(
                device().body(with(dev, "device_id", "not-a-uuid")).put("/channel_self"),
                400,
                "invalid_json_body",
                "'device_id'");
    }

    @ParameterizedTest(name = "plugin {0}, emulator {1}, prod {2}")
    @CsvSource({
        "5.30.0,  false, true,  beta|native|native-keep|phones-only",
        "6.34.0,  true,  true,  beta|native|native-keep",
        "7.50.1,  false, false, beta|dev-builds|native|native-keep|phones-only",
        "8.2.0,   true,  false, beta|dev-builds|native|native-keep",
        "8.51.23, false, true,  beta|native|native-keep|phones-only"
    })
    void channelSelf_listChannels_onlyWhatTheDeviceMayPickForItsPlatformAndKind(
            String plugin, boolean emulator, boolean prod, String names) {
        String app = fixture().plain();
        Response r = device().queryParams(Map.of(
                        "platform",
                        "android",
                        "device_id",
                        newDevice(),
                        "app_id",
                        app,
                        "version_build",
                        "1.0.0",
                        "plugin_version",
                        plugin,
                        "is_emulator",
                        Boolean.toString(emulator),
                        "is_prod",
                        Boolean.toString(prod),
                        "defaultChannel",
                        ""))
                .get("/channel_self");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        List<Map<String, Object>> list = r.jsonPath().getList("$");
        assertThat(list).extracting(m -> m.get("name")).containsExactly((Object[]) names.split("\\|"));
        assertThat(list).allSatisfy(m -> {
            assertThat(m.get("id")).isInstanceOf(Integer.class);
            assertThat(m)
                    .containsEntry("public", false)
                    .containsEntry("allow_self_set", true)
                    .hasSize(4);
        });
    }

    // ---- POST /stats -----------------------------------------------------------------------------------------------

    static Map<String, Object> event(String app, String dev, String plugin, String action, String version) {
        Map<String, Object> e = Api.map(StatsEvent.of(Api.infoObject(app, dev), action, version, "", 1_700_000_000_000L)
                .toJson());
        return with(e, "plugin_version", plugin);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.30.0", "6.34.0", "7.50.1", "8.2.0", "8.51.23"})
    void stats_aBatchIsAnsweredPerEvent_aSingleObjectAsAWhole(String plugin) {
        String app = fixture().plain();
        String dev = newDevice();
        List<Map<String, Object>> batch = new ArrayList<>();
        batch.add(event(app, dev, plugin, "set", "1.0.1"));
        batch.add(with(event(app, dev, plugin, "set", "1.0.1"), "version_os", null));
        batch.add(with(event(app, dev, plugin, "set", "1.0.1"), "device_id", "dev-1"));
        batch.add(event(app, dev, plugin, "app_moved_to_foreground", "1.0.1"));
        batch.add(event("com.other.app", dev, plugin, "set", "1.0.1"));
        Response r = device().body(batch).post("/stats");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.asString())
                .isEqualTo(
                        "{\"status\":\"ok\",\"results\":[{\"status\":\"ok\",\"index\":0},"
                                + "{\"status\":\"error\",\"index\":1,\"error\":\"invalid_json_body\"},{\"status\":\"error\",\"index\":2,\"error\":\"invalid_json_body\"},"
                                + "{\"status\":\"ok\",\"index\":3},{\"status\":\"error\",\"index\":4,\"error\":\"mixed_app_ids\"}]}");
        assertThat(DeviceEndpointsApiTest.events(app, "1.0.1", "app_moved_to_foreground"))
                .extracting(m -> m.get("device_id"))
                .contains(dev);
        // A single object: {"status":"ok"}, or a 400 when it is not valid (the plugin drops it: retrying cannot help).
        assertThat(device().body(event(app, dev, plugin, "download_zip_start", "1.0.2"))
                        .post("/stats")
                        .asString())
                .isEqualTo("{\"status\":\"ok\"}");
        assertBad(
                device().body(with(event(app, dev, plugin, "set", "1.0.1"), "platform", null))
                        .post("/stats"),
                400,
                "invalid_json_body",
                "'platform' is required");
        assertBad(
                device().body(with(event(app, dev, plugin, "set", "1.0.1"), "version_name", null))
                        .post("/stats"),
                400,
                "invalid_json_body",
                "'version_name' is required");
        assertBad(
                device().body(List.of(event("com.unknown.stats", dev, plugin, "set", "1.0.1")))
                        .post("/stats"),
                429,
                "on_premise_app",
                "not registered");
    }

    @Test
    void stats_eventsThatNameTheRunningBundle_refreshTheDevicesVersion() throws InterruptedException {
        String app = fixture().plain();
        String dev = newDevice();
        device().body(with(info(app, dev), "version_name", "1.0.0"))
                .post("/updates")
                .then()
                .statusCode(200);
        assertThat(seenVersion(app, dev, "1.0.0")).isEqualTo("1.0.0");
        // set says the device switched to 1.0.1; the download of 1.0.2 and its queueing after it name a target, not
        // what runs (were they taken for the running bundle, the device would read 1.0.2).
        device().body(List.of(
                        event(app, dev, "8.51.23", "set", "1.0.1"),
                        event(app, dev, "8.51.23", "download_complete", "1.0.2"),
                        event(app, dev, "8.51.23", "set_next", "1.0.2")))
                .post("/stats")
                .then()
                .statusCode(200);
        assertThat(seenVersion(app, dev, "1.0.1")).isEqualTo("1.0.1");
    }

    /** The device's version_name in the admin devices list, once it is {@code wanted} (written in batches, ~1 s). */
    static String seenVersion(String app, String dev, String wanted) throws InterruptedException {
        String v = null;
        for (int i = 0; i < 60 && !wanted.equals(v); i++) {
            Thread.sleep(100);
            List<Map<String, Object>> list = Api.firstPage("/api/v1/apps/{a}/devices", app);
            v = list.stream()
                    .filter(d -> dev.equals(d.get("device_id")))
                    .map(d -> (String) d.get("version_name"))
                    .findFirst()
                    .orElse(null);
        }
        return v;
    }

    // ---- the two switches behind these answers, in the admin API
    // -----------------------------------------------------

    @Test
    void admin_exposeMetadataAndBuiltinTarget_areReadBackAndValidated() {
        String app = Api.newApp("switch");
        Api.admin()
                .get("/api/v1/apps/{a}", app)
                .then()
                .statusCode(200)
                .body("expose_metadata", org.hamcrest.Matchers.is(false));
        Api.admin()
                .body(Map.of("expose_metadata", "yes"))
                .patch("/api/v1/apps/{a}", app)
                .then()
                .statusCode(400)
                .body("error", org.hamcrest.Matchers.equalTo("validation_failed"));
        Api.admin()
                .body(Map.of("app_id", "x"))
                .patch("/api/v1/apps/{a}", app)
                .then()
                .statusCode(400);
        Api.admin()
                .body(Map.of("expose_metadata", true))
                .patch("/api/v1/apps/{a}", "com.unknown.switch")
                .then()
                .statusCode(404);
        Api.admin()
                .body(Map.of("expose_metadata", true))
                .patch("/api/v1/apps/{a}", app)
                .then()
                .statusCode(200)
                .body("expose_metadata", org.hamcrest.Matchers.is(true));
        channel(app, ch("name", "native", "public", true));
        Api.admin()
                .get("/api/v1/apps/{a}/channels/native", app)
                .then()
                .statusCode(200)
                .body("builtin_target", org.hamcrest.Matchers.equalTo("reset"));
        Api.admin()
                .body(Map.of("builtin_target", "stay"))
                .patch("/api/v1/apps/{a}/channels/native", app)
                .then()
                .statusCode(400)
                .body("details[0].field", org.hamcrest.Matchers.equalTo("builtin_target"));
        Api.admin()
                .body(Map.of("builtin_target", "keep"))
                .patch("/api/v1/apps/{a}/channels/native", app)
                .then()
                .statusCode(200)
                .body("builtin_target", org.hamcrest.Matchers.equalTo("keep"));
        // The update check follows at once: a device on a downloaded bundle is left on it.
        assertThat(device().body(dev(app, "8.51.23", "-", "", "0.9.9"))
                        .post("/updates")
                        .jsonPath()
                        .getString("error"))
                .isEqualTo("already_on_builtin");
    }
}
