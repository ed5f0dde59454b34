package dev.updraft.server.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.updraft.server.release.AutoPause.Counts;
import dev.updraft.server.release.AutoPause.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @ParameterizedTest(name = "{0} under {1}, warned before {2} -> {3}")
    @CsvSource({
        // rule 6: surely above, and the policy acts
        "ACT, PAUSE, false, PAUSE",
        "ACT, PAUSE, true, PAUSE",
        "ACT, ROLLBACK, false, ROLL_BACK",
        // rule 7: notify only, or above as seen: one warning per rollout
        "ACT, NOTIFY, false, WARN",
        "WARN, PAUSE, false, WARN",
        "WARN, ROLLBACK, false, WARN",
        "WARN, NOTIFY, false, WARN",
        // rule 8: already warned, too early, healthy
        "ACT, NOTIFY, true, NOTHING",
        "WARN, PAUSE, true, NOTHING",
        "TOO_EARLY, PAUSE, false, NOTHING",
        "HEALTHY, ROLLBACK, false, NOTHING",
        "HEALTHY, NOTIFY, false, NOTHING",
    })
    void responses(Verdict verdict, AutoPausePolicy.Action action, boolean warned, AutoPause.Response expected) {
        AutoPausePolicy policy = new AutoPausePolicy(20, 3, 0.10, 0.95, action);
        assertThat(AutoPause.respond(policy, verdict, warned)).isEqualTo(expected);
    }

    /** A channel's own values replace only the defaults they name (null: the server's setting). */
    @ParameterizedTest(name = "overrides {0} {1} {2} {3} {4} -> {5} {6} {7} {8} {9}")
    @CsvSource(
            nullValues = "-",
            value = {
                "-, -, -, -, -, 20, 3, 0.10, 0.95, PAUSE",
                "5, -, -, -, -, 5, 3, 0.10, 0.95, PAUSE",
                "-, 1, 0.5, -, -, 20, 1, 0.5, 0.95, PAUSE",
                "-, -, -, 0.99, ROLLBACK, 20, 3, 0.10, 0.99, ROLLBACK",
                "200, 30, 0.02, 0.9, NOTIFY, 200, 30, 0.02, 0.9, NOTIFY",
            })
    void channelOverrides(
            Integer minAttempts,
            Integer minFailures,
            Double rate,
            Double confidence,
            AutoPausePolicy.Action action,
            int eAttempts,
            int eFailures,
            double eRate,
            double eConfidence,
            AutoPausePolicy.Action eAction) {
        AutoPausePolicy p = P.with(new AutoPausePolicy.Overrides(minAttempts, minFailures, rate, confidence, action));
        assertThat(p).isEqualTo(new AutoPausePolicy(eAttempts, eFailures, eRate, eConfidence, eAction));
    }

    @Test
    void aChannelsOwnValues_changeTheVerdict() {
        // 4 of 6 failed: too early under the defaults (20 devices), surely above 10 % with a minimum of 5
        Counts few = new Counts(4, 2);
        assertThat(AutoPause.decide(P, few)).isEqualTo(Verdict.TOO_EARLY);
        AutoPausePolicy small = P.with(new AutoPausePolicy.Overrides(5, 2, null, null, null));
        assertThat(AutoPause.decide(small, few)).isEqualTo(Verdict.ACT);
        // 12 of 100 failed: a warning at 10 %, acted on at 5 %
        Counts twelve = new Counts(12, 88);
        assertThat(AutoPause.decide(P, twelve)).isEqualTo(Verdict.WARN);
        assertThat(AutoPause.decide(P.with(new AutoPausePolicy.Overrides(null, null, 0.05, null, null)), twelve))
                .isEqualTo(Verdict.ACT);
    }

    @Test
    void aChannelValueThePolicyRefuses_isRefusedWithTheReason() {
        assertThatThrownBy(() -> P.with(new AutoPausePolicy.Overrides(0, null, null, null, null)))
                .hasMessageContaining("min attempts");
        assertThatThrownBy(() -> P.with(new AutoPausePolicy.Overrides(null, null, 1.5, null, null)))
                .hasMessageContaining("threshold");
        assertThat(AutoPausePolicy.Action.of("rollback")).isEqualTo(AutoPausePolicy.Action.ROLLBACK);
        assertThat(AutoPausePolicy.Action.of("ROLLBACK")).isNull();
        assertThat(AutoPausePolicy.Action.of("stop")).isNull();
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
        assertThatThrownBy(() -> new AutoPausePolicy(0, 3, 0.1, 0.95, AutoPausePolicy.Action.PAUSE))
                .hasMessageContaining("min attempts");
        assertThatThrownBy(() -> new AutoPausePolicy(20, 0, 0.1, 0.95, AutoPausePolicy.Action.PAUSE))
                .hasMessageContaining("min failures");
        assertThatThrownBy(() -> new AutoPausePolicy(20, 3, 1.0, 0.95, AutoPausePolicy.Action.PAUSE))
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> new AutoPausePolicy(20, 3, Double.NaN, 0.95, AutoPausePolicy.Action.PAUSE))
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> new AutoPausePolicy(20, 3, 0.1, 1.0, AutoPausePolicy.Action.PAUSE))
                .hasMessageContaining("confidence");
        assertThatThrownBy(() -> new AutoPausePolicy(20, 3, 0.1, 0.95, null)).hasMessageContaining("action");
        assertThatThrownBy(() -> new Counts(-1, 0)).hasMessageContaining("negative");
    }
}
