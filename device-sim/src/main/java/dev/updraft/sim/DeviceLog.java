package dev.updraft.sim;

import java.util.ArrayList;
import java.util.List;

/** A human-readable log of what a device did, stamped with device time. */
final class DeviceLog {
    private final SimClock clock;
    private final List<String> lines = new ArrayList<>();

    DeviceLog(SimClock clock) {
        this.clock = clock;
    }

    void add(String line) {
        lines.add(String.format("%tT.%<tL %s", clock.nowMillis(), line));
    }

    List<String> lines() {
        return List.copyOf(lines);
    }
}
