package dev.updraft.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one path rule for manifest file names, shared by the admin API and manifest_size (docs/protocol.md §8.3). */
class ManifestEntryTest {
    @ParameterizedTest
    @ValueSource(strings = {"index.html", "js/app.js", "assets/data/big.txt.br", "a b/c", "..hidden", "x..y/z"})
    void namesInsideTheBundle_areSafe(String name) {
        assertThat(ManifestEntry.isSafeFileName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ".",
                "./",
                "./x",
                "a/./b",
                "..",
                "../x",
                "a/../../x",
                "/etc/passwd",
                "a//b",
                "a/",
                "a\\b",
                "a\u0000b"
            })
    void namesThatLeaveOrDoNotNameAFile_areRefused(String name) {
        assertThat(ManifestEntry.isSafeFileName(name)).as(name).isFalse();
    }
}
