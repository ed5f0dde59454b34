package dev.updraft.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemverTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "1.0.0",
                "0.0.1-beta.local-abc123",
                "10.20.30",
                "1.0.0-alpha+001",
                "1.0.0+20130313144700",
                "1.0.0-RC.1"
            })
    void valid(String v) {
        assertThat(Semver.isValid(v)).isTrue();
        assertThat(Semver.parse(v).orElseThrow().toString()).isEqualTo(v);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.2", "01.0.0", "1.0.0-", "v1.0.0", "1.0.0.0", "builtin", " 1.0.0"})
    void invalid(String v) {
        assertThat(Semver.isValid(v)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"1, 1.0.0", "1.2, 1.2.0", "1.2.3, 1.2.3", "2.0.0-beta.1, 2.0.0-beta.1"})
    void lenientParsingPadsLikeTheBackend(String in, String out) {
        assertThat(Semver.parseLenient(in).orElseThrow().toString()).isEqualTo(out);
    }

    @Test
    void lenientParsingStillRefusesGarbage() {
        assertThat(Semver.parseLenient("unknown")).isEmpty();
        assertThat(Semver.parseLenient("1.2.3.4")).isEmpty();
        assertThat(Semver.parseLenient(null)).isEmpty();
    }

    @Test
    void precedenceFollowsSemverOrg() {
        String[] ordered = {
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.1.0",
            "2.0.0",
            "10.0.0"
        };
        for (int i = 0; i + 1 < ordered.length; i++) {
            Semver a = Semver.parse(ordered[i]).orElseThrow();
            Semver b = Semver.parse(ordered[i + 1]).orElseThrow();
            assertThat(a.compareTo(b)).as(ordered[i] + " < " + ordered[i + 1]).isNegative();
            assertThat(b.compareTo(a)).isPositive();
        }
        assertThat(Semver.parse("1.0.0+a")
                        .orElseThrow()
                        .compareTo(Semver.parse("1.0.0+b").orElseThrow()))
                .isZero();
    }

    @Test
    void lenientParsesAreRememberedAndTheSameAsParsingAgain() {
        Optional<Semver> first = Semver.parseLenient("8.51.23");
        assertThat(Semver.parseLenient(new String("8.51.23"))).isSameAs(first);
        assertThat(Semver.parseLenient(new String("8.51")))
                .hasValue(Semver.parse("8.51.0").orElseThrow());
        assertThat(Semver.parseLenient(new String("8.51")))
                .hasValue(Semver.parse("8.51.0").orElseThrow());
        assertThat(Semver.parseLenient(new String("nope"))).isEmpty();
        assertThat(Semver.parseLenient(new String("nope"))).isEmpty();
    }

    /** A client sending ever new versions: the memo stays bounded, and every answer is still the parse's. */
    @Test
    void theMemoIsBoundedAgainstEverNewVersions() {
        for (int i = 0; i < 5 * Semver.MEMO_ENTRIES; i++) {
            String v = "1." + i + ".0";
            assertThat(Semver.parseLenient(v).orElseThrow().minor()).isEqualTo(java.math.BigInteger.valueOf(i));
            assertThat(Semver.memoSize()).isLessThanOrEqualTo(Semver.MEMO_ENTRIES);
        }
        String long_ = "1.0.0-" + "a".repeat(Semver.MEMO_TEXT_LENGTH);
        int before = Semver.memoSize();
        assertThat(Semver.parseLenient(long_)).isPresent();
        assertThat(Semver.memoSize()).as("long texts are parsed, not kept").isEqualTo(before);
    }
}
