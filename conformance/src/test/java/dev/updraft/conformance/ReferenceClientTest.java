package dev.updraft.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.conformance.Outcome.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator, through its adapter as a real process per scenario, passes every scenario of the kit: this class the
 * scenarios outside {@link KitStage#LIFECYCLE_AND_FILES}, {@link ReferenceClientLifecycleTest} those (two forks).
 */
class ReferenceClientTest {
    @TempDir
    Path tmp;

    @Test
    void theReferenceAdapterPassesTheOtherHalfAndTheReportsSaySo() throws Exception {
        List<String> rest = KitStage.restOf(KitStage.LIFECYCLE_AND_FILES);
        List<Outcome> outcomes = KitStage.run(KitStage.simAdapter(), "android", Set.of(), rest.toArray(String[]::new));

        assertThat(outcomes).extracting(o -> o.scenario().name()).containsExactlyElementsOf(rest);
        assertThat(outcomes.stream().filter(o -> o.verdict() != Verdict.PASSED).map(Runner::line))
                .as("scenarios the reference client did not pass")
                .isEmpty();
        assertThat(RunSummary.of(outcomes, 1).exitCode()).isZero();

        Path junit = tmp.resolve("out/conformance.xml");
        Path report = tmp.resolve("out/conformance.md");
        Reports.junit(outcomes, "sim", junit);
        Reports.markdown(outcomes, "sim", "android", report);
        String xml = Files.readString(junit);
        assertThat(xml).contains("tests=\"" + outcomes.size() + "\" failures=\"0\" errors=\"0\"");
        assertThat(xml.split("<testcase ", -1)).hasSize(outcomes.size() + 1);
        assertThat(xml).doesNotContain("<failure").doesNotContain("<error");
        String md = Files.readString(report);
        assertThat(md).contains(outcomes.size() + " of " + outcomes.size() + " scenarios passed; the run passes.");
        assertThat(md).contains("| `crypto/key-rotation` | §5.2, §2.2 C | passed |");
    }

    @Test
    void theIosReferencePassesThePlatformScenarios() throws Exception {
        List<Outcome> outcomes =
                KitStage.run(KitStage.simAdapter(), "ios", Set.of(), "zip/symlink", "store/flip", "info/fields");

        assertThat(outcomes).hasSize(3);
        assertThat(outcomes.stream().filter(o -> o.verdict() != Verdict.PASSED).map(Runner::line))
                .isEmpty();
    }

    @Test
    void theTwoHalvesSplitTheCatalogueRoughlyInTwo() {
        int first = Runner.select(Scenarios.all(), KitStage.LIFECYCLE_AND_FILES).size();
        int rest = KitStage.restOf(KitStage.LIFECYCLE_AND_FILES).size();
        assertThat(first + rest).isEqualTo(Scenarios.all().size());
        assertThat(first).as("scenarios of the first half").isBetween(rest / 2, rest * 2);
    }

    @Test
    void theCatalogueHasFortyScenariosEachNamingItsRule() {
        List<Scenario> all = Scenarios.all();
        assertThat(all).hasSizeGreaterThanOrEqualTo(40);
        assertThat(all)
                .allSatisfy(s ->
                        assertThat(s.section()).matches("(§\\d.*|capacitor-updater #\\d+.*|Updraft's own rule.*)"));
    }
}
