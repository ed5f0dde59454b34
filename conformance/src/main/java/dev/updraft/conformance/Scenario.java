package dev.updraft.conformance;

import java.util.Locale;

/**
 * One conformance scenario: a name (what {@code --scenario} globs and the xfail file lists), the rule it checks
 * (a docs/protocol.md section, a plugin issue, or "Updraft's own rule"), one line on what it does, and its steps.
 */
record Scenario(String name, String section, String summary, Steps steps) {
    /** The steps: set up through the stage, drive the client, judge; a broken rule is a {@link Violation}. */
    @FunctionalInterface
    interface Steps {
        void run(ScenarioContext c) throws Exception;
    }

    Scenario {
        if (!name.matches("[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*") || !name.equals(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("scenario name '" + name + "' must be lowercase words with - and /");
        }
    }
}
