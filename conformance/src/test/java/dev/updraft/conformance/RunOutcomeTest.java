package dev.updraft.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.conformance.Outcome.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The xfail file, a client that dies, a command that cannot run, the example adapter. */
class RunOutcomeTest {
    @TempDir
    Path tmp;

    @Test
    void anXfailFileTurnsListedFailuresIntoAPassingRunAndReportsListedPasses() throws Exception {
        Path xfail = tmp.resolve("xfail.txt");
        Files.writeString(
                xfail, "# the broken variant\nrollback/no-notify-app-ready\ninfo/fields  # passes anyway\n\n");
        Set<String> listed = Xfail.read(xfail, Scenarios.all());

        List<Outcome> outcomes = KitStage.run(
                KitStage.simAdapter("NEVER_SEND_UPDATE_FAIL"),
                "android",
                listed,
                "rollback/no-notify-app-ready",
                "info/fields");

        assertThat(outcomes).extracting(Outcome::verdict).containsExactly(Verdict.FAILED, Verdict.PASSED);
        RunSummary summary = RunSummary.of(outcomes, 1);
        assertThat(summary.exitCode()).isZero();
        assertThat(summary.line()).contains("1 listed in --xfail passed (remove them)");
        assertThat(Runner.line(outcomes.get(1))).contains("PASSED, but listed in xfail");

        List<Outcome> unlisted = outcomes.stream()
                .map(o -> new Outcome(o.scenario(), o.verdict(), o.message(), false, o.millis(), o.transcript()))
                .toList();
        assertThat(RunSummary.of(unlisted, 1).exitCode())
                .as("without the xfail file")
                .isEqualTo(1);

        Path junit = tmp.resolve("x.xml");
        Reports.junit(outcomes, "sim", junit);
        assertThat(Files.readString(junit))
                .contains("<skipped message=\"expected failure (xfail): §8.6")
                .contains("failures=\"0\" errors=\"0\" skipped=\"1\"");
    }

    @Test
    void anUnknownNameInTheXfailFileIsAnError() throws Exception {
        Path xfail = tmp.resolve("xfail.txt");
        Files.writeString(xfail, "install/fresh\nstore/flipp\n");
        assertThatThrownBy(() -> Xfail.read(xfail, Scenarios.all()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("xfail.txt:2: 'store/flipp' is not a scenario");
    }

    @Test
    void aClientThatDiesMidScenarioIsOneClearError() throws Exception {
        // answers init, then exits 3 before the next command
        String dies = "read line; printf '{\"id\":1,\"ok\":true}\\n'; exit 3";

        List<Outcome> outcomes = KitStage.run(dies, "android", Set.of(), "install/fresh");

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.verdict()).isEqualTo(Verdict.ERROR);
            // the client may be gone before the kit has written launch, or after: both are the same one line
            assertThat(o.message())
                    .matches("the client exited \\(exit code 3\\) (before answering|while sending) launch; .*")
                    .doesNotContain("\n");
        });
        assertThat(RunSummary.of(outcomes, 1).exitCode()).isEqualTo(1);
    }

    @Test
    void aClientThatAnswersGarbageIsAnError() throws Exception {
        List<Outcome> outcomes =
                KitStage.run("read line; echo 'hello there'; sleep 5", "android", Set.of(), "install/fresh");

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.verdict()).isEqualTo(Verdict.ERROR);
            assertThat(o.message()).isEqualTo("the client answered 'init' with a line that is not JSON: hello there");
        });
    }

    @Test
    void aClientCommandThatCannotRunStopsTheRunWithOneLineBeforeAnyServerStarts() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Main.execute(
                    "run",
                    "--client",
                    "no-such-conformance-adapter --x",
                    "--work-dir",
                    tmp.resolve("w").toString());
        } finally {
            System.setErr(err);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(3);
        assertThat(text.lines())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .startsWith(
                                "updraft conformance: the client command 'no-such-conformance-adapter --x' cannot be run:")
                        .contains("not found"));
        assertThat(tmp.resolve("w/server-data")).doesNotExist();
    }

    @Test
    void theMinimalExampleAdapterPassesWhatItImplementsAndFailsTheRestWithTheRule() throws Exception {
        Path script = Path.of("examples/minimal_adapter.py").toAbsolutePath();
        List<Outcome> outcomes = KitStage.run(
                "python3 " + KitStage.quote(script.toString()),
                "android",
                Set.of(),
                "install/every-foreground-checks",
                "info/device-id-survives-restart",
                "install/fresh");

        assertThat(outcomes)
                .extracting(o -> o.scenario().name() + " " + o.verdict())
                .containsExactly(
                        "install/fresh FAILED",
                        "install/every-foreground-checks PASSED",
                        "info/device-id-survives-restart PASSED");
        assertThat(outcomes.get(0).message()).startsWith("§8.4, §8.6: expected the client to run 1.0.1");
    }
}
