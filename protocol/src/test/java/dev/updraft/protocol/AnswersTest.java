package dev.updraft.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.ChannelSelfAnswers.ChannelChoice;
import dev.updraft.protocol.ChannelSelfAnswers.ChannelStatus;
import dev.updraft.protocol.StatsAnswers.EventResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exact bytes of every answer the server writes (docs/protocol.md examples). */
class AnswersTest {
    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void updateAvailable_zip() {
        UpdateOffer offer = UpdateOffer.of("1.0.1", "https://cdn.example.com/b.zip", "iv:key", "3049ea");
        assertThat(text(offer.toJson()))
                .isEqualTo(
                        "{\"version\":\"1.0.1\",\"url\":\"https://cdn.example.com/b.zip\",\"session_key\":\"iv:key\",\"checksum\":\"3049ea\"}");
        assertThat(text(UpdateOffer.of("1.0.1", "https://x/y.zip", null, "ab").toJson()))
                .contains("\"session_key\":\"\"");
    }

    @Test
    void updateAvailable_withEveryOptionalKey_inOrder() {
        UpdateOffer offer = new UpdateOffer(
                "2.0.0",
                "https://x/y.zip",
                "",
                "00",
                List.of(
                        new ManifestEntry("index.html", "aa", "https://x/i"),
                        new ManifestEntry("big.txt.br", "bb", "https://x/b")),
                "https://notes",
                "fixes",
                true);
        assertThat(text(offer.toJson()))
                .isEqualTo("{\"version\":\"2.0.0\",\"url\":\"https://x/y.zip\",\"session_key\":\"\","
                        + "\"checksum\":\"00\",\"manifest\":[{\"file_name\":\"index.html\",\"file_hash\":\"aa\",\"download_url\":\"https://x/i\"},"
                        + "{\"file_name\":\"big.txt.br\",\"file_hash\":\"bb\",\"download_url\":\"https://x/b\"}],"
                        + "\"link\":\"https://notes\",\"comment\":\"fixes\",\"breaking\":true}");
    }

    @ParameterizedTest
    @CsvSource({
        // plugin, app exposes metadata, manifest kept, link/comment kept
        "5.9.9,   true,  false, false",
        "5.10.0,  true,  true,  false",
        "5.35.0,  true,  true,  true",
        "5.35.0,  false, true,  false",
        "6.24.9,  true,  false, false",
        "6.25.0,  true,  true,  false",
        "6.35.0,  true,  true,  true",
        "7.0.34,  true,  false, false",
        "7.0.35,  true,  true,  false",
        "7.35.0,  true,  true,  true",
        "8.0.0,   true,  true,  false",
        "8.34.9,  true,  true,  false",
        "8.35.0,  true,  true,  true",
        "8.51.23, false, true,  false",
        "10.0.0,  true,  true,  true"
    })
    void updateAvailable_asEachPluginMayReadIt(String plugin, boolean exposes, boolean manifest, boolean metadata) {
        UpdateOffer full = new UpdateOffer(
                "2.0.0",
                "https://x/y.zip",
                "",
                "00",
                List.of(new ManifestEntry("index.html", "aa", "https://x/i")),
                "https://notes",
                "fixes",
                true);
        UpdateOffer read = full.readableBy(PluginCapabilities.of(plugin).orElseThrow(), exposes);
        assertThat(read.manifest().isEmpty()).isEqualTo(!manifest);
        assertThat(read.link()).isEqualTo(metadata ? "https://notes" : null);
        assertThat(read.comment()).isEqualTo(metadata ? "fixes" : null);
        assertThat(text(read.toJson())).contains("\"url\":\"https://x/y.zip\"", "\"breaking\":true");
        assertThat(text(read.toJson()).contains("\"link\"")).isEqualTo(metadata);
    }

    @Test
    void getUpdates_isStatusOk() {
        assertThat(text(UpdateAnswer.getAnswerJson())).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void updateAvailable_neverCarriesTheNoUpdateKeys_whateverItsValues() throws Exception {
        UpdateOffer hostile = new UpdateOffer(
                "\"error\":1",
                "https://x/y.zip?kind=1",
                "message",
                "kind",
                List.of(),
                "{\"error\":\"x\"}",
                "\u2028\u0000\n\"\\",
                false);
        Object json = JsonIn.readTree(hostile.toJson());
        assertThat(json).isInstanceOfSatisfying(Map.class, m -> {
            assertThat(m).doesNotContainKeys("error", "kind", "message", "breaking", "manifest");
            assertThat(m.get("comment")).isEqualTo("\u2028\u0000\n\"\\");
            assertThat(m.get("version")).isEqualTo("\"error\":1");
        });
        assertThat(text(hostile.toJson())).contains("\\u2028\\u0000\\n\\\"\\\\");
        assertThat(UpdateAnswer.classify(200, hostile.toJson(), Platform.ANDROID)
                        .kind())
                .isEqualTo(UpdateAnswer.Kind.UPDATE);
    }

    @Test
    void revertToBuiltin() {
        assertThat(text(UpdateAnswer.revertToBuiltinJson())).isEqualTo("{\"version\":\"builtin\"}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "UNKNOWN_VERSION_BUILD,                    unknown_version_build,                    failed,     false",
        "SEMVER_ERROR,                             semver_error,                             failed,     false",
        "UNSUPPORTED_PLUGIN_VERSION,               unsupported_plugin_version,               failed,     false",
        "MISSING_INFO,                             missing_info,                             failed,     false",
        "NO_CHANNEL,                               no_channel,                               failed,     false",
        "NO_BUNDLE,                                no_bundle,                                failed,     false",
        "KEY_ID_MISMATCH,                          key_id_mismatch,                          blocked,    false",
        "NO_NEW_VERSION_AVAILABLE,                 no_new_version_available,                 up_to_date, false",
        "DISABLED_PLATFORM_IOS,                    disabled_platform_ios,                    blocked,    false",
        "DISABLED_PLATFORM_ANDROID,                disabled_platform_android,                blocked,    false",
        "DISABLED_PLATFORM_ELECTRON,               disabled_platform_electron,               blocked,    false",
        "DISABLE_AUTO_UPDATE_TO_MAJOR,             disable_auto_update_to_major,             blocked,    true",
        "CANNOT_UPDATE_VIA_PRIVATE_CHANNEL,        cannot_update_via_private_channel,        blocked,    false",
        "DISABLE_AUTO_UPDATE_TO_MINOR,             disable_auto_update_to_minor,             blocked,    true",
        "DISABLE_AUTO_UPDATE_TO_PATCH,             disable_auto_update_to_patch,             blocked,    true",
        "MISCONFIGURED_CHANNEL,                    misconfigured_channel,                    failed,     false",
        "DISABLE_AUTO_UPDATE_TO_METADATA,          disable_auto_update_to_metadata,          blocked,    false",
        "DISABLE_AUTO_UPDATE_UNDER_NATIVE,         disable_auto_update_under_native,         blocked,    false",
        "DISABLE_PROD_BUILD,                       disable_prod_build,                       blocked,    false",
        "DISABLE_DEV_BUILD,                        disable_dev_build,                        blocked,    false",
        "DISABLE_DEVICE,                           disable_device,                           blocked,    false",
        "DISABLE_EMULATOR,                         disable_emulator,                         blocked,    false",
        "ALREADY_ON_BUILTIN,                       already_on_builtin,                       up_to_date, false",
        "REVERT_TO_BUILTIN_PLUGIN_VERSION_TOO_OLD, revert_to_builtin_plugin_version_too_old, failed,     false",
        "NO_BUNDLE_URL,                            no_bundle_url,                            failed,     false"
    })
    void noUpdateAnswers(UpdateError e, String code, String kind, boolean major) {
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.kind().wire()).isEqualTo(kind);
        String expected = "{\"error\":\"" + code + "\",\"message\":\"" + e.message() + "\",\"kind\":\"" + kind + "\""
                + (major ? ",\"major\":true" : "") + "}";
        assertThat(text(e.toJson())).isEqualTo(expected);
        assertThat(text(e.toJson(null, null))).isEqualTo(expected);
        assertThat(text(e.toJson("2.0.1", "1.4.0")))
                .isEqualTo(expected.replace("}", ",\"version\":\"2.0.1\",\"old\":\"1.4.0\"}"));
        assertThat(text(e.toJson("builtin", null))).isEqualTo(expected.replace("}", ",\"version\":\"builtin\"}"));
        // The plugin reads each one as the kind it carries, on both platforms.
        for (Platform p : new Platform[] {Platform.ANDROID, Platform.IOS}) {
            UpdateAnswer read = UpdateAnswer.classify(200, e.toJson(), p);
            assertThat(read.kind().name()).as(p.wire()).isEqualTo(e.kind().name());
            assertThat(read.error()).isEqualTo(code);
        }
    }

    @Test
    void theDocumentedExamples() {
        assertThat(text(UpdateError.NO_NEW_VERSION_AVAILABLE.toJson()))
                .isEqualTo(
                        "{\"error\":\"no_new_version_available\",\"message\":\"No new version available\",\"kind\":\"up_to_date\"}");
        assertThat(text(UpdateError.DISABLE_AUTO_UPDATE_TO_MAJOR.toJson("2.0.1", "1.4.0")))
                .isEqualTo(
                        "{\"error\":\"disable_auto_update_to_major\","
                                + "\"message\":\"Cannot upgrade major version\",\"kind\":\"blocked\",\"major\":true,\"version\":\"2.0.1\",\"old\":\"1.4.0\"}");
        assertThat(text(UpdateError.keyIdMismatch(null, "MIIBCgKCAQEAzNUtP9rS")))
                .isEqualTo("{\"error\":\"key_id_mismatch\","
                        + "\"message\":\"The bundle is not encrypted for this device's public key\",\"kind\":\"blocked\","
                        + "\"deviceKeyId\":\"\",\"bundleKeyId\":\"MIIBCgKCAQEAzNUtP9rS\"}");
        assertThat(UpdateError.disabledPlatform(Platform.IOS)).isEqualTo(UpdateError.DISABLED_PLATFORM_IOS);
        assertThat(UpdateError.disabledPlatform(Platform.ANDROID)).isEqualTo(UpdateError.DISABLED_PLATFORM_ANDROID);
        assertThat(UpdateError.disabledPlatform(Platform.ELECTRON)).isEqualTo(UpdateError.DISABLED_PLATFORM_ELECTRON);
    }

    @Test
    void noUpdateKind_isNormalisedAsThePluginDoes() {
        assertThat(NoUpdateKind.normalise("up_to_date")).isEqualTo(NoUpdateKind.UP_TO_DATE);
        assertThat(NoUpdateKind.normalise("blocked")).isEqualTo(NoUpdateKind.BLOCKED);
        assertThat(NoUpdateKind.normalise("failed")).isEqualTo(NoUpdateKind.FAILED);
        for (Object other : new Object[] {null, "", "UP_TO_DATE", "sideways", " blocked", 1, Boolean.TRUE}) {
            assertThat(NoUpdateKind.normalise(other)).as(String.valueOf(other)).isEqualTo(NoUpdateKind.FAILED);
        }
    }

    @Test
    void channelSelf() {
        assertThat(text(ChannelSelfAnswers.ok())).isEqualTo("{\"status\":\"ok\"}");
        assertThat(text(ChannelSelfAnswers.unset())).isEqualTo("{\"status\":\"ok\",\"unset\":true}");
        assertThat(text(ChannelSelfAnswers.channel("production", ChannelStatus.DEFAULT, false)))
                .isEqualTo("{\"channel\":\"production\",\"status\":\"default\",\"allowSet\":false}");
        assertThat(text(ChannelSelfAnswers.channel("beta", ChannelStatus.OVERRIDE, true)))
                .isEqualTo("{\"channel\":\"beta\",\"status\":\"override\",\"allowSet\":true}");
        assertThat(text(ChannelSelfAnswers.list(List.of(
                        new ChannelChoice(2, "beta", false, true), new ChannelChoice(1, "production", true, false)))))
                .isEqualTo("[{\"id\":2,\"name\":\"beta\",\"public\":false,\"allow_self_set\":true},"
                        + "{\"id\":1,\"name\":\"production\",\"public\":true,\"allow_self_set\":false}]");
        assertThat(text(ChannelSelfAnswers.list(List.of()))).isEqualTo("[]");
        assertThat(text(ChannelSelfAnswers.error("channel_not_found", "No such channel")))
                .isEqualTo("{\"error\":\"channel_not_found\",\"message\":\"No such channel\"}");
    }

    @Test
    void stats() {
        assertThat(text(StatsAnswers.ok())).isEqualTo("{\"status\":\"ok\"}");
        assertThat(text(StatsAnswers.batch(List.of(new EventResult(0, null), new EventResult(1, "invalid_action")))))
                .isEqualTo("{\"status\":\"ok\",\"results\":[{\"status\":\"ok\",\"index\":0},"
                        + "{\"status\":\"error\",\"index\":1,\"error\":\"invalid_action\"}]}");
        assertThat(text(StatsAnswers.batch(List.of()))).isEqualTo("{\"status\":\"ok\",\"results\":[]}");
    }

    @Test
    void manifestSize() {
        ManifestSize answer = new ManifestSize(
                1304,
                1,
                1,
                List.of(
                        new ManifestSize.FileSize("index.html", "aa", "https://x/i", 1304L, null),
                        new ManifestSize.FileSize("app.js", "bb", "https://x/a", null, "response_error")));
        assertThat(text(answer.toJson()))
                .isEqualTo(
                        "{\"totalSize\":1304,\"knownFiles\":1,\"unknownFiles\":1,\"files\":["
                                + "{\"file_name\":\"index.html\",\"file_hash\":\"aa\",\"download_url\":\"https://x/i\",\"size\":1304},"
                                + "{\"file_name\":\"app.js\",\"file_hash\":\"bb\",\"download_url\":\"https://x/a\",\"error\":\"response_error\"}]}");
        assertThat(text(new ManifestSize(0, 0, 0, null).toJson()))
                .isEqualTo("{\"totalSize\":0,\"knownFiles\":0,\"unknownFiles\":0,\"files\":[]}");
    }
}
