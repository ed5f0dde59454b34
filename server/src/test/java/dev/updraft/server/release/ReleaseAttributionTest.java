package dev.updraft.server.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.Platform;
import dev.updraft.protocol.StatsAction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which release an event counts for, row by row (docs/protocol.md §3.7). Running 1.0.0, offered 1.0.30. */
class ReleaseAttributionTest {

    @ParameterizedTest(name = "{0} on {1} naming {2}, offered {3} -> {4}")
    @CsvSource(
            nullValues = "-",
            value = {
                // rule 1: an action the catalogue does not know
                "future_action, ANDROID, 1.0.0, 1.0.30, 1.0.0",
                // rule 2: a delta file names <release>:<file>
                "download_manifest_checksum_fail, ANDROID, 1.0.30:assets/app.js, 1.0.30, 1.0.30",
                "download_manifest_file_fail, IOS, 1.0.30:index.html, -, 1.0.30",
                // rule 3: events that name the target
                "download_complete, ANDROID, 1.0.30, 1.0.30, 1.0.30",
                "set, IOS, 1.0.30, 1.0.30, 1.0.30",
                "update_fail, ANDROID, 1.0.30, 1.0.31, 1.0.30",
                "checksum_fail, IOS, 1.0.30, 1.0.30, 1.0.30",
                // rule 4: failures that name the running bundle are the offered release's
                "unzip_fail, ANDROID, 1.0.0, 1.0.30, 1.0.30",
                "checksum_fail, ANDROID, 1.0.0, 1.0.30, 1.0.30",
                "download_fail, IOS, 1.0.0, 1.0.30, 1.0.30",
                "download_fail, ANDROID, 1.0.30, 1.0.30, 1.0.30",
                // rule 5: no offer known, or not a failure
                "unzip_fail, ANDROID, 1.0.0, -, 1.0.0",
                "app_moved_to_foreground, ANDROID, 1.0.0, 1.0.30, 1.0.0",
            })
    void rows(String action, Platform platform, String versionName, String lastOffered, String expected) {
        StatsAction a = StatsAction.of(action).orElse(null);
        assertThat(ReleaseAttribution.releaseOf(a, platform, versionName, lastOffered))
                .isEqualTo(expected);
    }
}
