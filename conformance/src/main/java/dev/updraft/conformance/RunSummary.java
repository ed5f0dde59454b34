package dev.updraft.conformance;

import dev.updraft.cli.ExitCode;
import java.util.List;

/** The end of a run: its exit code and its last line (docs/conformance.md, "Exit code"). */
record RunSummary(int exitCode, String line) {
    static RunSummary of(List<Outcome> outcomes, long seconds) {
        long bad = outcomes.stream().filter(o -> !o.acceptable()).count();
        long unexpectedPasses =
                outcomes.stream().filter(Outcome::unexpectedPass).count();
        long passed = outcomes.stream()
                .filter(o -> o.verdict() == Outcome.Verdict.PASSED)
                .count();
        String line = passed + " of " + outcomes.size() + " scenarios passed in " + seconds + " s"
                + (unexpectedPasses > 0 ? "; " + unexpectedPasses + " listed in --xfail passed (remove them)" : "")
                + (bad > 0 ? "; " + bad + " not as expected" : "");
        return new RunSummary(bad == 0 ? ExitCode.OK : ExitCode.FAILED, line);
    }
}
