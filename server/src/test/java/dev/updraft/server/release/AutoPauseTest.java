package dev.updraft.server.release;

import dev.updraft.server.release.AutoPause.Counts;
import dev.updraft.server.release.AutoPause.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The automatic-pause rules row by row, and the Wilson bound against published intervals. */
class AutoPauseTest {
    static final AutoPausePolicy P = new AutoPausePolicy(20, 3, 0.10, 0.95, AutoPausePolicy.Action.PAUSE);

    @ParameterizedTest(name = "{0} failed, {1} confirmed -> {2}")
    @CsvSource({
            // rule 1: fewer than 20 devices with an outcome, even if all failed
            "19, 0, TOO_EARLY",
            "0, 19, TOO_EARLY",
            // rule 2: enough devices, too few failures (2 of 20 is 10 %, but only 2)
            "2, 18, HEALTHY",
            "2, 0, TOO_EARLY",
            // rule 3: surely above 10 %: 10 of 20 (bound 0.30), 20 of 20
            "10, 10, ACT",
            "20, 0, ACT",
            // rule 4: 3 of 20 is 15 % as seen, but the bound is 0.05
            "3, 17, WARN",
            // rule 5: 3 of 100
            "3, 97, HEALTHY",
            // a big fleet: 12 % of 10,000 is surely above 10 %
            "1200, 8800, ACT",
            "1030, 8970, WARN",
    })
    void rows(long failed, long confirmed, Verdict expected) {
        assertThat(AutoPause.decide(P, new Counts(failed, confirmed))).isEqualTo(expected);
    }

    @Test
    void wilsonLowerBound_matchesPublishedIntervals() {
        // 95 % Wilson intervals: 3/20 = [0.0524, 0.3604], 10/20 = [0.2993, 0.7007], 0/10 = [0, 0.2775]
        assertThat(AutoPause.wilsonLowerBound(3, 20, 0.95)).isCloseTo(0.0524, within(0.0005));
        assertThat(AutoPause.wilsonLowerBound(10, 20, 0.95)).isCloseTo(0.2993, within(0.0005));
        assertThat(AutoPause.wilsonLowerBound(0, 10, 0.95)).isEqualTo(0.0);
        assertThat(AutoPause.wilsonLowerBound(0, 0, 0.95)).isEqualTo(0.0);
        // a higher confidence gives a lower bound
        assertThat(AutoPause.wilsonLowerBound(10, 20, 0.99)).isLessThan(AutoPause.wilsonLowerBound(10, 20, 0.95));
    }

    @Test
    void normalQuantile_knownValues() {
        assertThat(AutoPause.normalQuantile(0.975)).isCloseTo(1.959964, within(1e-6));
        assertThat(AutoPause.normalQuantile(0.995)).isCloseTo(2.575829, within(1e-6));
        assertThat(AutoPause.normalQuantile(0.5)).isCloseTo(0.0, within(1e-9));
        assertThat(AutoPause.normalQuantile(0.01)).isCloseTo(-2.326348, within(1e-6));
    }

    @Test
    void badPolicies_areRefusedWithTheReason() {
        assertThatThrownBy(() -> new AutoPausePolicy(0, 3, 0.1, 0.95, AutoPausePolicy.Action.PAUSE)).hasMessageContaining("min attempts");
        assertThatThrownBy(() -> new AutoPausePolicy(20, 0, 0.1, 0.95, AutoPausePolicy.Action.PAUSE)).hasMessageContaining("min failures");
        assertThatThrownBy(() -> new AutoPausePolicy(20, 3, 1.0, 0.95, AutoPausePolicy.Action.PAUSE)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> new AutoPausePolicy(20, 3, Double.NaN, 0.95, AutoPausePolicy.Action.PAUSE)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> new AutoPausePolicy(20, 3, 0.1, 1.0, AutoPausePolicy.Action.PAUSE)).hasMessageContaining("confidence");
        assertThatThrownBy(() -> new AutoPausePolicy(20, 3, 0.1, 0.95, null)).hasMessageContaining("action");
        assertThatThrownBy(() -> new Counts(-1, 0)).hasMessageContaining("negative");
    }
}
