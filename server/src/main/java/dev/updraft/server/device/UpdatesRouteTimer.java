package dev.updraft.server.device;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@code http_server_requests_seconds} series of the answers {@link UpdatesRoute} writes itself (docs/operations.md,
 * "Metrics"): the same meter, name and tags as Quarkus's HTTP metrics give every other request, looked up once per
 * status instead of once per request. Under wrk, Quarkus's per-request tags and meter lookup were about a tenth of the
 * server's CPU (docs/performance.md). The route marks what it measures with {@link #TEMPLATE}, which the HTTP
 * metrics are told to leave alone ({@code quarkus.micrometer.binder.http-server.ignore-patterns}); what the route
 * hands on (another route, a failure) keeps Quarkus's own measurement.
 */
@Singleton // no client proxy on the hot path
public class UpdatesRouteTimer {
    /**
     * The route template a measured answer carries for Quarkus's HTTP metrics, which ignore it. A space can never be in
     * a request's path (web.RequestTarget refuses it), so no other request's path can match it.
     */
    public static final String TEMPLATE = "/updates timed-by-its-route";

    private final MeterRegistry registry;
    private final Timer ok;
    private final ConcurrentHashMap<Integer, Timer> others = new ConcurrentHashMap<>();

    @Inject
    public UpdatesRouteTimer(MeterRegistry registry) {
        this.registry = registry;
        this.ok = timer(200);
    }

    /** Records one answer of {@code status}, begun at {@code startNanos} ({@link System#nanoTime()}). */
    void record(int status, long startNanos) {
        Timer t = status == 200 ? ok : others.computeIfAbsent(status, this::timer);
        t.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(int status) {
        // As Quarkus's binder names and tags it (HttpBinderConfiguration, VertxHttpServerMetrics).
        return Timer.builder("http.server.requests")
                .description("HTTP server request processing time")
                .tag("method", "POST")
                .tag("uri", UpdatesRoute.PATH)
                .tag("outcome", Outcome.forStatus(status).name())
                .tag("status", Integer.toString(status))
                .register(registry);
    }
}
