package dev.updraft.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.conformance.Outcome.Verdict;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A suite that cannot fail is worth nothing: each deliberately broken variant of the simulator fails the scenarios
 * it should, with a message naming the rule it broke. Only the targeted scenarios run (the reference run covers the
 * rest).
 */
class DeviationsCaughtTest {
    @ParameterizedTest(name = "{0} fails {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "SKIP_CHECKSUM;crypto/plain-checksum-mismatch;§5.4: expected a 'checksum_fail' event",
                "SKIP_CHECKSUM;crypto/checksum-missing;§2.3, §5.5: expected a 'checksum_required' event",
                "IGNORE_PATH_RULES;zip/traversal;§8.3: a zip with a hostile entry must fail the unzip stage",
                "IGNORE_PATH_RULES;zip/duplicate;Updraft's own rule (docs/protocol.md §8.3): a zip with a hostile entry",
                "RETRY_FAILED_VERSION;error-state/never-retried;§2.4: the failed 1.0.1 was downloaded again",
                "NEVER_SEND_UPDATE_FAIL;rollback/no-notify-app-ready;§8.6: expected a 'update_fail' event for 1.0.1",
                "NEVER_SEND_UPDATE_FAIL;rollback/outgoing-page-ready;capacitor-updater #907; §8.6: expected a 'update_fail'"
            })
    void theKitCatchesEachDeviation(String deviation, String scenario, String message) throws Exception {
        List<Outcome> outcomes = KitStage.run(KitStage.simAdapter(deviation), "android", Set.of(), scenario);

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.verdict()).as(Runner.line(o)).isEqualTo(Verdict.FAILED);
            assertThat(o.message()).startsWith(message);
        });
        assertThat(RunSummary.of(outcomes, 1).exitCode()).isEqualTo(1);
    }
}
