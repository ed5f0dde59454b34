package dev.updraft.conformance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The catalogue: every scenario of the kit, by area, in the order a run plays them. */
final class Scenarios {
    private Scenarios() {}

    static List<Scenario> all() {
        List<Scenario> all = new ArrayList<>();
        all.addAll(LifecycleScenarios.all());
        all.addAll(StoreScenarios.all());
        all.addAll(ZipScenarios.all());
        all.addAll(CryptoScenarios.all());
        all.addAll(AnswerScenarios.all());
        all.addAll(StatsScenarios.all());
        all.addAll(ChannelScenarios.all());
        all.addAll(DeltaScenarios.all());
        Set<String> names = new HashSet<>();
        for (Scenario s : all) {
            if (!names.add(s.name())) {
                throw new IllegalStateException("two scenarios are named " + s.name());
            }
        }
        return List.copyOf(all);
    }
}
