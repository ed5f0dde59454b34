package dev.updraft.conformance;

import java.util.List;

/** Manifest (delta) updates (docs/protocol.md §7). */
final class DeltaScenarios {
    private DeltaScenarios() {}

    static List<Scenario> all() {
        return List.of();
    }
}
