package dev.updraft.conformance;

import java.util.List;

/**
 * How one scenario ended.
 *
 * @param verdict    passed, failed (a rule was broken) or error (the client broke the protocol or died)
 * @param message    why it failed, naming the section; empty when it passed
 * @param expected   whether the xfail file lists it as an expected failure
 * @param millis     how long it took
 * @param transcript the last requests and answers of the client, for a failure's details
 */
record Outcome(
        Scenario scenario, Verdict verdict, String message, boolean expected, long millis, List<String> transcript) {
    enum Verdict {
        PASSED,
        FAILED,
        ERROR
    }

    /**
     * Whether this outcome keeps the run's exit code at 0: a pass, or anything listed in the xfail file (a listed
     * pass is reported by {@link #unexpectedPass()}, not failed).
     */
    boolean acceptable() {
        return expected || verdict == Verdict.PASSED;
    }

    /** A scenario listed in the xfail file that passed: reported, so the list can shrink. */
    boolean unexpectedPass() {
        return expected && verdict == Verdict.PASSED;
    }
}
