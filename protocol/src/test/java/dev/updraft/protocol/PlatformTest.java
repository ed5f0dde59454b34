package dev.updraft.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlatformTest {
    @Test
    void wireValuesRoundTrip() {
        for (Platform p : Platform.values()) {
            assertThat(Platform.fromWire(p.wire())).contains(p);
        }
        assertThat(Platform.fromWire("Android")).contains(Platform.ANDROID);
        assertThat(Platform.fromWire("windows")).isEmpty();
        assertThat(Platform.fromWire(null)).isEmpty();
    }
}
