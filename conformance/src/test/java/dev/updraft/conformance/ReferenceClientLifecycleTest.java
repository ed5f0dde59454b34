package dev.updraft.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.conformance.Outcome.Verdict;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The first half of {@link ReferenceClientTest}: the simulator's adapter passes the install life cycle and the file
 * scenarios ({@link KitStage#LIFECYCLE_AND_FILES}), in a fork of its own.
 */
class ReferenceClientLifecycleTest {
    @Test
    void theReferenceAdapterPassesTheLifecycleAndFileScenarios() throws Exception {
        List<Outcome> outcomes = KitStage.run(
                KitStage.simAdapter(), "android", Set.of(), KitStage.LIFECYCLE_AND_FILES.toArray(String[]::new));

        assertThat(outcomes)
                .extracting(o -> o.scenario().name())
                .containsExactlyElementsOf(Runner.select(Scenarios.all(), KitStage.LIFECYCLE_AND_FILES).stream()
                        .map(Scenario::name)
                        .toList())
                .contains("rollback/outgoing-page-ready", "install/fresh");
        assertThat(outcomes.stream().filter(o -> o.verdict() != Verdict.PASSED).map(Runner::line))
                .as("scenarios the reference client did not pass")
                .isEmpty();
        assertThat(RunSummary.of(outcomes, 1).exitCode()).isZero();
    }
}
