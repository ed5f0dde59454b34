package dev.updraft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InfoObjectTest {
    /** The Android example of docs/protocol.md §1.4, byte for byte. */
    static final String ANDROID_EXAMPLE =
            "{\"platform\":\"android\",\"device_id\":\"6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f\","
                    + "\"app_id\":\"com.example.selfhosted\",\"custom_id\":\"\",\"version_build\":\"1.0.0\",\"version_code\":\"1\","
                    + "\"version_os\":\"14\",\"version_name\":\"1.0.0\",\"plugin_version\":\"8.51.23\",\"is_emulator\":false,"
                    + "\"is_prod\":true,\"install_source\":\"google_play\",\"defaultChannel\":\"\",\"key_id\":\"MIIBCgKCAQEAzNUtP9rS\"}";

    static InfoObject example() {
        return InfoObject.builder()
                .platform(Platform.ANDROID)
                .deviceId("6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f")
                .appId("com.example.selfhosted")
                .customId("")
                .versionBuild("1.0.0")
                .versionCode("1")
                .versionOs("14")
                .versionName("1.0.0")
                .pluginVersion("8.51.23")
                .isEmulator(false)
                .isProd(true)
                .installSource("google_play")
                .defaultChannel("")
                .keyId("MIIBCgKCAQEAzNUtP9rS")
                .build();
    }

    private static InfoObject parse(String json) {
        return InfoObject.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void refused(String json, String code, String messagePart) {
        assertThatThrownBy(() -> parse(json)).as(json).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    @Test
    void writesInTheAndroidKeyOrder_likeTheDocumentedExample() {
        assertThat(new String(example().toJson(), StandardCharsets.UTF_8)).isEqualTo(ANDROID_EXAMPLE);
    }

    @Test
    void parsesTheDocumentedExample_andRoundTrips() {
        InfoObject info = parse(ANDROID_EXAMPLE);
        assertThat(info).isEqualTo(example());
        assertThat(info.platformValue()).contains(Platform.ANDROID);
        InfoObject withChannel = info.withChannel("beta");
        assertThat(InfoObject.parse(withChannel.toJson())).isEqualTo(withChannel);
        assertThat(new String(withChannel.toJson(), StandardCharsets.UTF_8))
                .endsWith(",\"key_id\":\"MIIBCgKCAQEAzNUtP9rS\",\"channel\":\"beta\"}");
    }

    @Test
    void absentKeysAreOmitted_asIosOmitsAnUnknownInstallSource() {
        InfoObject ios = example().toBuilder()
                .platform(Platform.IOS)
                .installSource(null)
                .keyId(null)
                .build();
        String json = new String(ios.toJson(), StandardCharsets.UTF_8);
        assertThat(json)
                .doesNotContain("install_source")
                .doesNotContain("key_id")
                .doesNotContain("null");
        assertThat(InfoObject.parse(ios.toJson())).isEqualTo(ios);
    }

    @Test
    void anyKeyOrder_unknownKeysSkipped_nullIsAbsent() {
        InfoObject info = parse("{\"extra\":{\"nested\":[1,{\"a\":null}]},\"app_id\":\"com.a.b\",\"key_id\":null,"
                + "\"is_prod\":null,\"device_id\":\"d\",\"more\":[true],\"platform\":\"ios\",\"is_emulator\":true}");
        assertThat(info.appId()).isEqualTo("com.a.b");
        assertThat(info.deviceId()).isEqualTo("d");
        assertThat(info.platform()).isEqualTo("ios");
        assertThat(info.isEmulator()).isTrue();
        assertThat(info.keyId()).isNull();
        assertThat(info.isProd()).isNull();
        assertThat(info.versionName()).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "platform",
                "device_id",
                "app_id",
                "custom_id",
                "version_build",
                "version_code",
                "version_os",
                "version_name",
                "plugin_version",
                "install_source",
                "defaultChannel",
                "key_id",
                "channel"
            })
    void everyStringFieldMustBeAString(String field) {
        refused("{\"" + field + "\":1}", "invalid_json_body", "'" + field + "' must be a string");
        refused("{\"" + field + "\":true}", "invalid_json_body", "'" + field + "' must be a string");
        refused("{\"" + field + "\":{\"a\":\"b\"}}", "invalid_json_body", "'" + field + "' must be a string");
        refused(
                "{\"" + field + "\":\"" + "x".repeat(InfoObject.MAX_STRING + 1) + "\"}",
                "invalid_json_body",
                "longer than 1024");
        refused("{\"" + field + "\":\"a\\u0000b\"}", "invalid_json_body", "NUL");
        assertThat(parse("{\"" + field + "\":\"" + "x".repeat(InfoObject.MAX_STRING) + "\"}")
                        .toJson())
                .isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"is_emulator", "is_prod"})
    void theFlagsMustBeBooleans(String field) {
        refused("{\"" + field + "\":\"true\"}", "invalid_json_body", "'" + field + "' must be a boolean");
        refused("{\"" + field + "\":1}", "invalid_json_body", "'" + field + "' must be a boolean");
        refused("{\"" + field + "\":[]}", "invalid_json_body", "'" + field + "' must be a boolean");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''                      | invalid_json_parse_body | empty",
                "'{\"app_id\":'           | invalid_json_parse_body | not valid JSON",
                "'not json'              | invalid_json_parse_body | not valid JSON",
                "'[{\"app_id\":\"a.b\"}]'   | invalid_json_body       | must be a JSON object",
                "'\"text\"'                | invalid_json_body       | must be a JSON object",
                "'null'                  | invalid_json_body       | must be a JSON object",
                "'{} {}'                 | invalid_json_parse_body | Unexpected content"
            })
    void badBodies(String body, String code, String message) {
        refused(body, code, message);
    }

    @Test
    void nullBodyIsEmpty() {
        assertThatThrownBy(() -> InfoObject.parse(null))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.code()).isEqualTo("invalid_json_parse_body"));
    }

    @Test
    void queryParameters_roundTrip_withBooleansAsText() {
        InfoObject info = example().withChannel("beta");
        Map<String, String> q = info.toQuery();
        assertThat(q)
                .containsEntry("is_emulator", "false")
                .containsEntry("is_prod", "true")
                .containsEntry("channel", "beta");
        assertThat(q.keySet()).startsWith("platform", "device_id", "app_id");
        assertThat(InfoObject.fromQuery(q)).isEqualTo(info);
    }

    @Test
    void queryParameters_hostile() {
        Map<String, String> q = new HashMap<>();
        q.put("is_prod", "yes");
        assertThatThrownBy(() -> InfoObject.fromQuery(q)).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code()).isEqualTo("invalid_json_body");
            assertThat(e.getMessage()).contains("'is_prod' must be true or false");
        });
        q.clear();
        q.put("app_id", "a\0b");
        assertThatThrownBy(() -> InfoObject.fromQuery(q))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("NUL");
        q.clear();
        q.put("device_id", null);
        q.put("unknown", "x");
        assertThat(InfoObject.fromQuery(q)).isEqualTo(InfoObject.builder().build());
    }
}
