package dev.updraft.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.StatsAction.FailureStage;
import dev.updraft.protocol.StatsAction.Ver;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The catalogue of docs/protocol.md §3.3, one row per action. */
class StatsActionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                // action                             | failure stage | Ver (Android) | Ver (iOS)   | sent by
                "download_10                          | -             | TARGET        | TARGET      | android ios",
                "download_20                          | -             | TARGET        | TARGET      | android ios",
                "download_30                          | -             | TARGET        | TARGET      | android ios",
                "download_40                          | -             | TARGET        | TARGET      | android ios",
                "download_50                          | -             | TARGET        | TARGET      | android ios",
                "download_60                          | -             | TARGET        | TARGET      | android ios",
                "download_70                          | -             | TARGET        | TARGET      | android ios",
                "download_80                          | -             | TARGET        | TARGET      | android ios",
                "download_90                          | -             | TARGET        | TARGET      | android ios",
                "download_complete                    | -             | TARGET        | TARGET      | android ios",
                "download_zip_start                   | -             | TARGET        | TARGET      | android ios",
                "download_zip_complete                | -             | TARGET        | TARGET      | android ios",
                "download_manifest_start              | -             | TARGET        | TARGET      | android ios",
                "download_manifest_complete           | -             | TARGET        | TARGET      | android ios",
                "download_manifest_file_fail          | MANIFEST_FILE | TARGET_FILE   | TARGET_FILE | android ios",
                "download_manifest_checksum_fail      | MANIFEST_FILE | TARGET_FILE   | TARGET_FILE | android ios",
                "download_manifest_brotli_fail        | MANIFEST_FILE | TARGET_FILE   | TARGET_FILE | android ios",
                "manifest_path_fail                   | MANIFEST_FILE | TARGET_FILE   | TARGET_FILE | android ios",
                "download_fail                        | DOWNLOAD      | EITHER        | EITHER      | android ios",
                "finish_download_fail                 | DOWNLOAD      | TARGET        | TARGET      | android",
                "session_key_required                 | VERIFY        | EITHER        | EITHER      | android ios",
                "checksum_required                    | VERIFY        | EITHER        | EITHER      | android ios",
                "checksum_fail                        | VERIFY        | CURRENT       | TARGET      | android ios",
                "decrypt_fail                         | VERIFY        | TARGET        | TARGET      | ios",
                "unzip_fail                           | UNZIP         | CURRENT       | CURRENT     | android ios",
                "canonical_path_fail                  | UNZIP         | CURRENT       | CURRENT     | android ios",
                "windows_path_fail                    | UNZIP         | CURRENT       | CURRENT     | android ios",
                "directory_path_fail                  | UNZIP         | CURRENT       | CURRENT     | android",
                "low_mem_fail                         | DOWNLOAD      | TARGET        | TARGET      | android",
                "insufficient_disk_space              | DOWNLOAD      | TARGET        | TARGET      | android ios",
                "set                                  | -             | TARGET        | TARGET      | android ios",
                "set_fail                             | SET           | TARGET        | TARGET      | android ios",
                "set_next                             | -             | TARGET        | TARGET      | android ios",
                "reset                                | -             | TARGET        | TARGET      | android ios",
                "update_fail                          | ROLLBACK      | TARGET        | TARGET      | android ios",
                "delete                               | -             | OTHER         | OTHER       | android ios",
                "app_moved_to_foreground              | -             | CURRENT       | CURRENT     | android ios",
                "app_moved_to_background              | -             | CURRENT       | CURRENT     | android ios",
                "blocked_by_server_url                | -             | CURRENT       | CURRENT     | android ios",
                "rate_limit_reached                   | -             | CURRENT       | CURRENT     | android ios",
                "app_launch_start                     | -             | CURRENT       | CURRENT     | android ios",
                "app_launch_ready                     | -             | CURRENT       | CURRENT     | android ios",
                "app_launch_timeout                   | -             | CURRENT       | CURRENT     | android ios",
                "os_version_changed                   | -             | CURRENT       | CURRENT     | android ios",
                "native_app_version_changed           | -             | CURRENT       | CURRENT     | android ios",
                "app_crash                            | -             | CURRENT       | CURRENT     | android ios",
                "app_crash_native                     | -             | CURRENT       | CURRENT     | android",
                "app_anr                              | -             | CURRENT       | CURRENT     | android",
                "app_killed_low_memory                | -             | CURRENT       | CURRENT     | android",
                "app_killed_excessive_resource_usage  | -             | CURRENT       | CURRENT     | android",
                "app_initialization_failure           | -             | CURRENT       | CURRENT     | android",
                "app_memory_warning                   | -             | CURRENT       | CURRENT     | ios",
                "webview_javascript_error             | -             | CURRENT       | CURRENT     | android ios",
                "webview_unhandled_rejection          | -             | CURRENT       | CURRENT     | android ios",
                "webview_resource_error               | -             | CURRENT       | CURRENT     | android ios",
                "webview_security_policy_violation    | -             | CURRENT       | CURRENT     | android ios",
                "webview_unclean_restart              | -             | CURRENT       | CURRENT     | android ios",
                "webview_render_process_gone          | -             | CURRENT       | CURRENT     | android ios",
                "webview_content_process_terminated   | -             | CURRENT       | CURRENT     | android ios",
                "webview_dom_content_loaded           | -             | CURRENT       | CURRENT     | android ios",
                "webview_page_loaded                  | -             | CURRENT       | CURRENT     | android ios"
            })
    void everyAction(String wire, FailureStage stage, Ver android, Ver ios, String sentBy) {
        StatsAction a = StatsAction.of(wire).orElseThrow();
        assertThat(a.wire()).isEqualTo(wire);
        assertThat(a.toString()).isEqualTo(wire);
        assertThat(a.failureStage()).isEqualTo(java.util.Optional.ofNullable(stage));
        assertThat(a.isFailure()).isEqualTo(stage != null);
        assertThat(StatsAction.isFailure(wire)).isEqualTo(stage != null);
        assertThat(a.versionNameOn(Platform.ANDROID)).isEqualTo(android);
        assertThat(a.versionNameOn(Platform.IOS)).isEqualTo(ios);
        assertThat(a.versionName()).isEqualTo(android == ios ? android : Ver.EITHER);
        Set<Platform> platforms = Arrays.stream(sentBy.split(" "))
                .map(p -> Platform.fromWire(p).orElseThrow())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Platform.class)));
        assertThat(a.sentBy()).isEqualTo(platforms);
    }

    @Test
    void theTableAboveListsTheWholeCatalogue() throws Exception {
        CsvSource table = StatsActionTest.class
                .getDeclaredMethod("everyAction", String.class, FailureStage.class, Ver.class, Ver.class, String.class)
                .getAnnotation(CsvSource.class);
        Set<String> rows =
                Arrays.stream(table.value()).map(r -> r.split("\\|")[0].strip()).collect(Collectors.toSet());
        assertThat(rows).hasSize(table.value().length);
        assertThat(Arrays.stream(StatsAction.values()).map(StatsAction::wire))
                .containsExactlyInAnyOrderElementsOf(rows);
    }

    /** The failures of docs/admin-api.md: what release health and `updraft stats` count. */
    @Test
    void theFailures() {
        assertThat(Arrays.stream(StatsAction.values())
                        .filter(StatsAction::isFailure)
                        .map(StatsAction::wire))
                .containsExactlyInAnyOrder(
                        "update_fail",
                        "download_fail",
                        "checksum_fail",
                        "decrypt_fail",
                        "unzip_fail",
                        "set_fail",
                        "finish_download_fail",
                        "canonical_path_fail",
                        "windows_path_fail",
                        "directory_path_fail",
                        "download_manifest_file_fail",
                        "download_manifest_checksum_fail",
                        "download_manifest_brotli_fail",
                        "manifest_path_fail",
                        "session_key_required",
                        "checksum_required",
                        "insufficient_disk_space",
                        "low_mem_fail");
    }

    @Test
    void unknownActions_areNotInTheCatalogue_andNeverFailures() {
        for (String unknown :
                new String[] {"some_future_action", "download_something_new_fail", "get", "noNew", "", "SET", "set "}) {
            assertThat(StatsAction.of(unknown)).as(unknown).isEmpty();
            assertThat(StatsAction.isFailure(unknown)).as(unknown).isFalse();
        }
        assertThat(StatsAction.of(null)).isEmpty();
    }

    @Test
    void spuriousDownloadFail_ofOldPlugins_doesNotCount() {
        PluginCapabilities old6 = PluginCapabilities.of("6.14.24").orElseThrow();
        PluginCapabilities fixed6 = PluginCapabilities.of("6.14.25").orElseThrow();
        PluginCapabilities five = PluginCapabilities.of("5.40.0").orElseThrow();
        PluginCapabilities old7 = PluginCapabilities.of("7.16.9").orElseThrow();
        PluginCapabilities current = PluginCapabilities.reference();
        assertThat(StatsAction.DOWNLOAD_FAIL.countsAsFailureFrom(old6)).isFalse();
        assertThat(StatsAction.DOWNLOAD_FAIL.countsAsFailureFrom(five)).isFalse();
        assertThat(StatsAction.DOWNLOAD_FAIL.countsAsFailureFrom(old7)).isFalse();
        assertThat(StatsAction.DOWNLOAD_FAIL.countsAsFailureFrom(fixed6)).isTrue();
        assertThat(StatsAction.DOWNLOAD_FAIL.countsAsFailureFrom(current)).isTrue();
        assertThat(StatsAction.UPDATE_FAIL.countsAsFailureFrom(old6)).isTrue();
        assertThat(StatsAction.SET.countsAsFailureFrom(current)).isFalse();
    }

    @Test
    void runningBundle_isNamedBySetResetAndTheCurrentBundleActions_only() {
        InfoObject android = InfoObjectTest.example();
        InfoObject ios = android.toBuilder().platform(Platform.IOS).build();
        assertThat(StatsEvent.of(android, "set", "1.0.2", "1.0.1", 1L).runningVersion())
                .contains("1.0.2");
        assertThat(StatsEvent.of(android, "reset", "1.0.0", "1.0.2", 1L).runningVersion())
                .contains("1.0.0");
        assertThat(StatsEvent.of(android, "app_moved_to_foreground", "1.0.2", "", 1L)
                        .runningVersion())
                .contains("1.0.2");
        // checksum_fail names the running bundle on Android, the target on iOS.
        assertThat(StatsEvent.of(android, "checksum_fail", "1.0.2", "", 1L).runningVersion())
                .contains("1.0.2");
        assertThat(StatsEvent.of(ios, "checksum_fail", "1.0.3", "", 1L).runningVersion())
                .isEmpty();
        for (String target : new String[] {
            "download_complete", "download_fail", "set_next", "update_fail", "delete", "no_such_action"
        }) {
            assertThat(StatsEvent.of(android, target, "1.0.3", "", 1L).runningVersion())
                    .as(target)
                    .isEmpty();
        }
        assertThat(StatsEvent.of(android, "app_moved_to_foreground", "1.0.3:main.js", "", 1L)
                        .runningVersion())
                .isEmpty();
        assertThat(StatsEvent.of(android, "app_moved_to_foreground", "", "", 1L).runningVersion())
                .isEmpty();
    }
}
