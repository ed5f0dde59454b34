package dev.updraft.server.device;

import dev.updraft.server.decision.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;

/**
 * Device API counters for Prometheus ({@code /q/metrics}), registered once so the hot path only increments.
 * Requests by endpoint and status/outcome come from Quarkus' own {@code http_server_requests_seconds}.
 */
@ApplicationScoped
public class DeviceMetrics {
    private final Map<Outcome, Counter> decisions = new EnumMap<>(Outcome.class);
    private final Counter statsEvents;
    private final Counter statsRequests;

    @Inject
    public DeviceMetrics(MeterRegistry registry) {
        for (Outcome o : Outcome.values()) {
            String kind =
                    o.error != null ? o.error.kind().wire() : o == Outcome.UPDATE ? "update" : "revert_to_builtin";
            decisions.put(
                    o,
                    Counter.builder("updraft.update.decisions")
                            .description("Update checks answered, by decision outcome")
                            .tag("error", o.error == null ? "none" : o.error.code())
                            .tag("kind", kind)
                            .register(registry));
        }
        statsEvents = Counter.builder("updraft.stats.events")
                .description("Stats events stored")
                .register(registry);
        statsRequests = Counter.builder("updraft.stats.requests")
                .description("Stats requests stored")
                .register(registry);
    }

    void decided(Outcome o) {
        decisions.get(o).increment();
    }

    void statsStored(int events) {
        statsRequests.increment();
        statsEvents.increment(events);
    }
}
