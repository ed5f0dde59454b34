package dev.updraft.conformance.sim;

import dev.updraft.sim.Deviation;
import dev.updraft.sim.DeviceConfig;
import java.util.List;

/** The simulator's deliberately broken variants ({@code --deviation NAME}), for the kit's own tests. */
final class Deviations {
    private Deviations() {}

    static void apply(DeviceConfig.Builder b, List<String> names) {
        for (String name : names) {
            b.deviation(Deviation.parse(name));
        }
    }
}
