package dev.updraft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatsEventTest {
    private static final InfoObject INFO = InfoObjectTest.example();

    private static StatsEvent event(String action, String version) {
        return StatsEvent.of(INFO, action, version, "", 1_700_000_000_000L);
    }

    private static List<StatsEvent> parse(String json) {
        return StatsEvent.parseBody(json.getBytes(StandardCharsets.UTF_8));
    }

    /** One event object with the example's info, and {@code member} in place of the same key's usual value. */
    private static String withMember(String member) {
        String key = member.substring(1, member.indexOf('"', 1));
        InfoObject.Builder info = INFO.toBuilder();
        switch (key) {
            case "app_id" -> info.appId(null);
            case "device_id" -> info.deviceId(null);
            case "platform" -> info.platform((String) null);
            case "is_prod" -> info.isProd(null);
            case "version_os" -> info.versionOs(null);
            case "custom_id" -> info.customId(null);
            case "plugin_version" -> info.pluginVersion(null);
            default -> {}
        }
        StatsEvent base = new StatsEvent(
                info.build(),
                key.equals("action") ? null : "set",
                "1.0.1",
                key.equals("old_version_name") ? null : "",
                key.equals("timestamp") ? null : 1L,
                null);
        String json = new String(base.toJson(), StandardCharsets.UTF_8);
        assertThat(json).as("the base event lacks " + key).doesNotContain("\"" + key + "\":");
        return json.substring(0, json.length() - 1) + "," + member + "}";
    }

    private static void refused(String json, String code, String messagePart) {
        assertThatThrownBy(() -> parse(json)).as(json).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    @Test
    void aQueueEvent_isTheInfoObjectWithTheEventsVersionName_thenActionAndTime() {
        StatsEvent e = StatsEvent.of(INFO, "set", "1.0.1", "1.0.0", 1_764_220_000_000L);
        String json = new String(e.toJson(), StandardCharsets.UTF_8);
        assertThat(json)
                .isEqualTo(InfoObjectTest.ANDROID_EXAMPLE
                        .replace("\"version_name\":\"1.0.0\"", "\"version_name\":\"1.0.1\"")
                        .replace(
                                "}",
                                ",\"action\":\"set\",\"old_version_name\":\"1.0.0\",\"timestamp\":1764220000000}"));
        assertThat(e.info().versionName())
                .as("the event's version_name is the only one")
                .isNull();
    }

    @Test
    void writeThenParse_array_andSingleObject() {
        StatsEvent launch = event("app_launch_ready", "1.0.1").withMetadata(Map.of("duration_ms", "120"));
        StatsEvent worker =
                new StatsEvent(INFO.toBuilder().keyId(null).build(), "download_zip_start", "1.0.2", "", null, null);
        List<StatsEvent> batch =
                List.of(event("set", "1.0.1"), launch, worker, event("some_future_action", "1.0.1:main.js"));
        assertThat(StatsEvent.parseBody(StatsEvent.toJsonArray(batch))).isEqualTo(batch);
        assertThat(StatsEvent.parseBody(worker.toJson())).containsExactly(worker);
        assertThat(new String(worker.toJson(), StandardCharsets.UTF_8))
                .doesNotContain("timestamp")
                .doesNotContain("key_id");
        assertThat(StatsEvent.parseBody("[]".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void unknownActionsAreEvents_notFailures() {
        StatsEvent e =
                parse(withMember("\"action\":\"download_something_new_fail\"")).get(0);
        assertThat(e.action()).isEqualTo("download_something_new_fail");
        assertThat(e.knownAction()).isEmpty();
        assertThat(parse(withMember("\"action\":\"update_fail\"")).get(0).knownAction())
                .contains(StatsAction.UPDATE_FAIL);
    }

    @Test
    void metadataKeepsScalarsAsText() {
        StatsEvent e = parse(
                        withMember("\"metadata\":{\"duration_ms\":120,\"cold\":true,\"source\":\"x\",\"gone\":null}"))
                .get(0);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("duration_ms", "120");
        expected.put("cold", "true");
        expected.put("source", "x");
        expected.put("gone", null);
        assertThat(e.metadata()).isEqualTo(expected);
    }

    @Test
    void limits_atTheBoundary_andOne() {
        List<StatsEvent> max = new ArrayList<>();
        for (int i = 0; i < StatsEvent.MAX_EVENTS; i++) {
            max.add(event("set", "1.0." + i));
        }
        assertThat(StatsEvent.parseBody(StatsEvent.toJsonArray(max))).hasSize(200);
        max.add(event("set", "1.0.x"));
        assertThatThrownBy(() -> StatsEvent.parseBody(StatsEvent.toJsonArray(max)))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.code()).isEqualTo("too_many_events"));

        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < StatsEvent.MAX_METADATA_KEYS; i++) {
            keys.put("k" + i, "v");
        }
        assertThat(StatsEvent.parseBody(event("set", "1").withMetadata(keys).toJson()))
                .hasSize(1);
        keys.put("one_more", "v");
        refused(
                new String(event("set", "1").withMetadata(keys).toJson(), StandardCharsets.UTF_8),
                "invalid_json_body",
                "more than 30 keys");

        assertThat(parse(withMember("\"metadata\":{\"" + "k".repeat(64) + "\":\"" + "v".repeat(2048) + "\"}")))
                .hasSize(1);
        refused(
                withMember("\"metadata\":{\"" + "k".repeat(65) + "\":\"v\"}"),
                "invalid_json_body",
                "key is longer than 64");
        refused(
                withMember("\"metadata\":{\"k\":\"" + "v".repeat(2049) + "\"}"),
                "invalid_json_body",
                "longer than 2048");
        assertThat(parse(withMember("\"action\":\"" + "a".repeat(128) + "\""))).hasSize(1);
        refused(
                withMember("\"action\":\"" + "a".repeat(129) + "\""),
                "invalid_json_body",
                "'action' is required, at most 128");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "`\"action\":null`                        | 'action' is required",
                "`\"action\":\"\"`                          | 'action' is required",
                "`\"action\":7`                           | 'action' must be a string",
                "`\"old_version_name\":false`             | 'old_version_name' must be a string",
                "`\"action\":\"se\\u0000t\"`                | 'action' contains a NUL",
                "`\"timestamp\":\"yesterday\"`              | 'timestamp' must be a number",
                "`\"metadata\":[\"a\"]`                     | 'metadata' must be an object of strings",
                "`\"metadata\":{\"k\":{\"nested\":\"x\"}}`      | 'metadata.k' must be a string",
                "`\"metadata\":{\"k\":\"a\\u0000b\"}`          | 'metadata' contains a NUL",
                "`\"app_id\":null`                        | 'app_id' is required",
                "`\"app_id\":\"not-reverse-domain\"`        | 'app_id' must be a reverse-domain id",
                "`\"device_id\":null`                     | 'device_id' is required",
                "`\"device_id\":\"has space\"`              | 'device_id' must be a UUID",
                "`\"platform\":\"windows\"`                 | 'platform' must be ios, android or electron",
                "`\"platform\":null`                      | 'platform' is required",
                "`\"version_os\":\"\"`                     | 'version_os' is required",
                "`\"custom_id\":\"0123456789012345678901234567890123456\"` | 'custom_id' is longer than 36",
                "`\"plugin_version\":\"eight\"`            | 'plugin_version' must be a semantic version"
            })
    void badEvents_sayWhichEventAndWhy(String member, String message) {
        String code = member.contains("plugin_version") ? "semver_error" : "invalid_json_body";
        refused(withMember(member), code, "Event 0: ");
        refused(withMember(member), code, message);
        String batch =
                "[" + new String(event("set", "1").toJson(), StandardCharsets.UTF_8) + "," + withMember(member) + "]";
        refused(batch, code, "Event 1: ");
        // The server's reading: the bad event is refused on its own, the good one is kept.
        StatsBatch read = StatsBatch.parse(batch.getBytes(StandardCharsets.UTF_8));
        assertThat(read.events()).containsExactly(event("set", "1"));
        assertThat(read.entries().get(1).problem().code()).isEqualTo(code);
        assertThat(new String(read.answer(), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"status\":\"ok\",\"results\":[{\"status\":\"ok\",\"index\":0},{\"status\":\"error\",\"index\":1,\"error\":\""
                                + code + "\"}]}");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "``            | invalid_json_parse_body | empty",
                "`[{\"a\":`     | invalid_json_parse_body | not valid JSON",
                "`42`          | invalid_json_body       | a JSON array of events or one event object",
                "`[1,2]`       | invalid_json_body       | Event 0 is not a JSON object",
                "`[] []`       | invalid_json_parse_body | Unexpected content",
                "`{\"is_prod\":\"yes\"}` | invalid_json_body | 'is_prod' must be a boolean"
            })
    void badBodies(String body, String code, String message) {
        refused(body, code, message);
    }

    @Test
    void anElectronEventIsAccepted() {
        assertThat(parse(withMember("\"platform\":\"electron\"")).get(0).info().platformValue())
                .contains(Platform.ELECTRON);
    }
}
