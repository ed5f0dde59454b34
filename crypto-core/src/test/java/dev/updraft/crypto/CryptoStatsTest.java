package dev.updraft.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.crypto.CryptoException.Failure;
import dev.updraft.protocol.Platform;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the plugin reports for each crypto failure of a downloaded bundle, by platform (docs/protocol.md §3.3). */
class CryptoStatsTest {
    @ParameterizedTest(name = "{0}: android {1}, ios {2}")
    @CsvSource(
            nullValues = "-",
            value = {
                "SESSION_KEY_MALFORMED, -,             decrypt_fail",
                "SESSION_KEY_WRONG_KEY, -,             decrypt_fail",
                "CIPHERTEXT_TRUNCATED,  -,             decrypt_fail",
                "CIPHERTEXT_CORRUPT,    -,             decrypt_fail",
                "NOT_ENCRYPTED,         -,             decrypt_fail",
                "CHECKSUM_MALFORMED,    checksum_fail, checksum_fail",
                "CHECKSUM_LEGACY_V2,    checksum_fail, checksum_fail",
                "CHECKSUM_WRONG_KEY,    checksum_fail, checksum_fail",
                "CHECKSUM_MISMATCH,     checksum_fail, checksum_fail",
                "BAD_PEM,               -,             -",
                "WRONG_KEY_TYPE,        -,             -",
                "WRONG_KEY_SIZE,        -,             -",
                "BROTLI_CORRUPT,        -,             -",
                "MANIFEST_ENTRY_INVALID, -,            -",
            })
    void eachFailureReportsThePluginsStat(Failure failure, String android, String ios) {
        assertThat(failure.pluginStat(Platform.ANDROID).map(a -> a.wire()).orElse(null))
                .isEqualTo(android);
        assertThat(failure.pluginStat(Platform.IOS).map(a -> a.wire()).orElse(null))
                .isEqualTo(ios);
    }

    /** One file of a delta download (docs/protocol.md §7.4): the stat sent with "<version>:<file_name>". */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "CHECKSUM_MISMATCH,      download_manifest_checksum_fail",
        "BROTLI_CORRUPT,         download_manifest_brotli_fail",
        "MANIFEST_ENTRY_INVALID, manifest_path_fail",
        "CHECKSUM_MALFORMED,     manifest_path_fail",
        "CHECKSUM_LEGACY_V2,     manifest_path_fail",
        "CHECKSUM_WRONG_KEY,     manifest_path_fail",
        "CIPHERTEXT_TRUNCATED,   download_manifest_file_fail",
        "CIPHERTEXT_CORRUPT,     download_manifest_file_fail",
        "NOT_ENCRYPTED,          download_manifest_file_fail",
        "SESSION_KEY_MALFORMED,  download_manifest_file_fail",
        "SESSION_KEY_WRONG_KEY,  download_manifest_file_fail",
        "BAD_PEM,                download_manifest_file_fail",
    })
    void eachFailureOfADeltaFileReportsThePluginsManifestStat(Failure failure, String stat) {
        assertThat(failure.manifestStat().wire()).isEqualTo(stat);
    }
}
