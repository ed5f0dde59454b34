package dev.updraft.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.PluginCapabilities.KeyIdFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One row per version boundary of docs/protocol.md §11. */
class PluginCapabilitiesTest {
    private static PluginCapabilities caps(String v) {
        return PluginCapabilities.of(v).orElseThrow();
    }

    @ParameterizedTest
    @CsvSource({
        // version,  supported, keyId,  channelOnDevice, kind,  manifest, metadata, builtin, spuriousFail, batches
        "4.99.0,     false,     NONE,   false,           false, false,    false,    false,   true,         false",
        "5.0.0,      true,      NONE,   false,           false, false,    false,    false,   true,         false",
        "5.10.0,     true,      NONE,   false,           false, true,     false,    false,   true,         false",
        "5.34.0,     true,      NONE,   true,            false, true,     false,    false,   true,         false",
        "5.35.0,     true,      NONE,   true,            false, true,     true,     false,   true,         false",
        "5.50.1,     true,      SHORT,  true,            false, true,     true,     false,   true,         false",
        "6.2.0,      true,      NONE,   false,           false, false,    false,    true,    true,         false",
        "6.14.25,    true,      NONE,   false,           false, false,    false,    true,    false,        false",
        "6.25.0,     true,      NONE,   false,           false, true,     false,    true,    false,        false",
        "6.50.0,     true,      NONE,   true,            false, true,     true,     true,    false,        false",
        "6.50.1,     true,      SHORT,  true,            false, true,     true,     true,    false,        false",
        "7.0.34,     true,      NONE,   false,           false, false,    false,    true,    true,         false",
        "7.0.35,     true,      NONE,   false,           false, true,     false,    true,    true,         false",
        "7.17.0,     true,      NONE,   false,           false, true,     false,    true,    false,        false",
        "7.34.0,     true,      NONE,   true,            false, true,     false,    true,    false,        false",
        "7.50.1,     true,      SHORT,  true,            false, true,     true,     true,    false,        false",
        "8.0.0,      true,      NONE,   true,            false, true,     false,    true,    false,        true",
        "8.2.0,      true,      SHORT,  true,            false, true,     false,    true,    false,        true",
        "8.35.0,     true,      SHORT,  true,            false, true,     true,     true,    false,        true",
        "8.40.7,     true,      SHORT,  true,            false, true,     true,     true,    false,        true",
        "8.40.8,     true,      FULL,   true,            false, true,     true,     true,    false,        true",
        "8.45.10,    true,      FULL,   true,            false, true,     true,     true,    false,        true",
        "8.45.11,    true,      FULL,   true,            true,  true,     true,     true,    false,        true",
        "8.51.23,    true,      FULL,   true,            true,  true,     true,     true,    false,        true",
        "10.0.0,     true,      FULL,   true,            true,  true,     true,     true,    false,        true"
    })
    void behaviourByVersion(
            String v,
            boolean supported,
            KeyIdFormat keyId,
            boolean channelOnDevice,
            boolean kind,
            boolean manifest,
            boolean metadata,
            boolean builtin,
            boolean spuriousFail,
            boolean batches) {
        PluginCapabilities c = caps(v);
        assertThat(c.supported()).as("supported").isEqualTo(supported);
        assertThat(c.keyIdFormat()).as("key id").isEqualTo(keyId);
        assertThat(c.keyIdCompared()).as("key id compared").isEqualTo(keyId == KeyIdFormat.FULL);
        assertThat(c.channelKeptOnDevice()).as("channel on device").isEqualTo(channelOnDevice);
        assertThat(c.understandsKind()).as("kind").isEqualTo(kind);
        assertThat(c.understandsManifest()).as("manifest").isEqualTo(manifest);
        assertThat(c.showsMetadata()).as("metadata").isEqualTo(metadata);
        assertThat(c.revertsToBuiltin()).as("builtin").isEqualTo(builtin);
        assertThat(c.sendsSpuriousDownloadFail()).as("spurious download_fail").isEqualTo(spuriousFail);
        assertThat(c.batchesStats()).as("batched stats").isEqualTo(batches);
    }

    @Test
    void versionsArePaddedLikeTheBackendAndGarbageIsRefused() {
        assertThat(caps("8").version().toString()).isEqualTo("8.0.0");
        assertThat(PluginCapabilities.of("eight")).isEmpty();
        assertThat(PluginCapabilities.of(null)).isEmpty();
        assertThat(PluginCapabilities.reference().version().toString()).isEqualTo(PluginCapabilities.REFERENCE_VERSION);
    }
}
