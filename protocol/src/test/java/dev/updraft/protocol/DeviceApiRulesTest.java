package dev.updraft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The schema of each device call: required fields, and the shape of every present field, at each boundary. */
class DeviceApiRulesTest {
    private static final InfoObject EXAMPLE = InfoObjectTest.example();

    private static void refused(DeviceApiRules call, InfoObject info, String code, String messagePart) {
        assertThatThrownBy(() -> call.check(info)).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    @ParameterizedTest
    @EnumSource(DeviceApiRules.class)
    void theDocumentedExampleIsValidForEveryCall(DeviceApiRules call) {
        call.check(EXAMPLE);
    }

    @Test
    void requiredFields_absentOrEmpty_areInvalidJsonBody() {
        assertThat(DeviceApiRules.UPDATES.required())
                .containsExactly("app_id", "device_id", "platform", "version_build", "version_name", "plugin_version");
        assertThat(DeviceApiRules.STATS_EVENT.required())
                .containsExactly("app_id", "device_id", "platform", "version_name", "version_os");
        assertThat(DeviceApiRules.CHANNEL_SELF.required())
                .containsExactly("app_id", "device_id", "platform", "plugin_version");
        for (DeviceApiRules call : DeviceApiRules.values()) {
            for (String field : call.required()) {
                refused(call, without(field, null), ProtocolException.INVALID_JSON_BODY, "'" + field + "' is required");
                refused(call, without(field, ""), ProtocolException.INVALID_JSON_BODY, "'" + field + "' is required");
            }
        }
        refused(
                DeviceApiRules.UPDATES,
                InfoObject.builder().build(),
                ProtocolException.INVALID_JSON_BODY,
                "'app_id' is required");
        // Not required by a call: absent is fine.
        DeviceApiRules.CHANNEL_SELF.check(without("version_name", null));
        DeviceApiRules.UPDATES.check(without("version_os", null));
    }

    @Test
    void deviceIdIsAUuidOfAtMost36() {
        DeviceApiRules.UPDATES.check(EXAMPLE.toBuilder()
                .deviceId("6F1C2D4E-8A9B-4C3D-9E8F-0A1B2C3D4E5F")
                .build());
        for (String bad : List.of(
                "dev-1", "6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f0", "6f1c2d4e8a9b4c3d9e8f0a1b2c3d4e5f", "x".repeat(36))) {
            refused(
                    DeviceApiRules.UPDATES,
                    EXAMPLE.toBuilder().deviceId(bad).build(),
                    ProtocolException.INVALID_JSON_BODY,
                    "'device_id' must be a UUID");
        }
    }

    @ParameterizedTest
    @CsvSource({"key_id, 20", "custom_id, 36", "install_source, 64"})
    void lengthLimits_atTheBoundaryAndOneMore(String field, int max) {
        DeviceApiRules.UPDATES.check(with(field, "k".repeat(max)));
        refused(
                DeviceApiRules.STATS_EVENT,
                with(field, "k".repeat(max + 1)),
                ProtocolException.INVALID_JSON_BODY,
                "'" + field + "' is longer than " + max);
    }

    @Test
    void versions_areSemverOrSemverError() {
        DeviceApiRules.UPDATES.check(
                EXAMPLE.toBuilder().versionBuild("1").pluginVersion("8").build()); // padded, as the backend
        DeviceApiRules.UPDATES.check(
                EXAMPLE.toBuilder().versionBuild("unknown").build()); // answered unknown_version_build later
        refused(
                DeviceApiRules.UPDATES,
                EXAMPLE.toBuilder().versionBuild("1.0.0.0").build(),
                ProtocolException.SEMVER_ERROR,
                "'version_build'");
        refused(
                DeviceApiRules.CHANNEL_SELF,
                EXAMPLE.toBuilder().pluginVersion("latest").build(),
                ProtocolException.SEMVER_ERROR,
                "'plugin_version'");
        // Only the update check reads version_build.
        DeviceApiRules.CHANNEL_SELF.check(
                EXAMPLE.toBuilder().versionBuild("whatever").build());
    }

    @Test
    void appIdAndPlatformShapes() {
        refused(
                DeviceApiRules.CHANNEL_SELF,
                EXAMPLE.toBuilder().appId("noDots").build(),
                ProtocolException.INVALID_JSON_BODY,
                "'app_id' must be");
        refused(
                DeviceApiRules.CHANNEL_SELF,
                EXAMPLE.toBuilder().platform("windows").build(),
                ProtocolException.INVALID_JSON_BODY,
                "'platform' must be");
        DeviceApiRules.CHANNEL_SELF.check(
                EXAMPLE.toBuilder().platform("electron").build());
    }

    @Test
    void pluginOf_readsTheVersion_orTheReferenceWhenAbsent() {
        assertThat(DeviceApiRules.pluginOf(
                                EXAMPLE.toBuilder().pluginVersion("6.1.0").build())
                        .version()
                        .toString())
                .isEqualTo("6.1.0");
        assertThat(DeviceApiRules.pluginOf(without("plugin_version", null))).isEqualTo(PluginCapabilities.reference());
    }

    private static InfoObject without(String field, String value) {
        return with(field, value);
    }

    private static InfoObject with(String field, String value) {
        InfoObject.Builder b = EXAMPLE.toBuilder();
        switch (field) {
            case "app_id" -> b.appId(value);
            case "device_id" -> b.deviceId(value);
            case "platform" -> b.platform(value);
            case "version_build" -> b.versionBuild(value);
            case "version_name" -> b.versionName(value);
            case "version_os" -> b.versionOs(value);
            case "plugin_version" -> b.pluginVersion(value);
            case "key_id" -> b.keyId(value);
            case "custom_id" -> b.customId(value);
            case "install_source" -> b.installSource(value);
            default -> throw new IllegalArgumentException(field);
        }
        return b.build();
    }
}
