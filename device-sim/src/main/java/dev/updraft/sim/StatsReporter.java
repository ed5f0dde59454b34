package dev.updraft.sim;

import dev.updraft.protocol.ProtocolException;
import dev.updraft.protocol.StatsEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * The plugin's stats channel (spec §3.1).
 * <ul>
 *   <li>Queue events go into a persisted queue ({@code capgo_pending_stats.json}, at most 200 events, the oldest
 *       dropped) and are POSTed as one JSON array per flush; a plugin that does not batch (gate "batched stats",
 *       before 8.x) POSTs them one JSON object each, in order.</li>
 *   <li>2xx: delivered. 408, 429, 5xx or no answer: the batch (unbatched: this event and the ones after it) goes back
 *       to the head of the queue and is retried at the next flush. Any other status: the batch (the event) is
 *       dropped.</li>
 *   <li>Worker events and {@code rate_limit_reached} are POSTed at once as a single JSON object, never retried.</li>
 *   <li>While a 429 block is active, queue events stay queued.</li>
 *   <li>{@code statsUrl = ""} disables everything.</li>
 * </ul>
 * Simplification: the plugin flushes on a one-second timer; the simulator flushes at the end of every lifecycle
 * step (launch, foreground, background, check, channel call) and at most once a second during a download, which
 * batches events the same way at the pace of a simulation.
 */
final class StatsReporter {
    static final int MAX_QUEUE = 200;
    static final long FLUSH_INTERVAL_MS = 1000;

    private final DeviceHttp http;
    private final DeviceConfig config;
    private final DeviceState state;
    private final SimClock clock;
    private final LongPredicate blocked;
    private final Consumer<ApiResponse> onAnswer;
    private final Deque<StatsEvent> queue = new ArrayDeque<>();
    private final List<StatsEvent> delivered = new ArrayList<>();
    private final List<StatsEvent> dropped = new ArrayList<>();
    private final List<StatsDelivery> deliveries = new ArrayList<>();
    private long lastFlush;

    /**
     * @param blocked  whether a 429 block is active at a time
     * @param onAnswer sees every stats answer (for the 429 handling, §1.5)
     */
    StatsReporter(
            DeviceHttp http,
            DeviceConfig config,
            DeviceState state,
            SimClock clock,
            LongPredicate blocked,
            Consumer<ApiResponse> onAnswer) {
        this.http = http;
        this.config = config;
        this.state = state;
        this.clock = clock;
        this.blocked = blocked;
        this.onAnswer = onAnswer;
        queue.addAll(readQueue());
    }

    /** The persisted queue; a damaged one is dropped, as a phone would. */
    private List<StatsEvent> readQueue() {
        try {
            return Files.exists(state.statsQueueFile())
                    ? StatsEvent.parseBody(Files.readAllBytes(state.statsQueueFile()))
                    : List.of();
        } catch (IOException | ProtocolException e) {
            return List.of();
        }
    }

    boolean enabled() {
        return !config.statsUrl().isEmpty();
    }

    /** Queues an event (§3.1 main queue). */
    void enqueue(StatsEvent event) {
        if (!enabled()) {
            return;
        }
        queue.addLast(event);
        while (queue.size() > MAX_QUEUE) {
            dropped.add(queue.removeFirst());
        }
        persist();
    }

    /** Flushes if a second has passed since the last flush (the plugin's timer, during long operations). */
    void flushIfDue() {
        if (clock.nowMillis() - lastFlush >= FLUSH_INTERVAL_MS) {
            flush();
        }
    }

    /**
     * Sends everything queued, unless blocked by a 429 or empty: as one JSON array, or one object per event for a
     * plugin that does not batch.
     */
    void flush() {
        lastFlush = clock.nowMillis();
        if (!enabled() || queue.isEmpty() || blocked.test(clock.nowMillis())) {
            return;
        }
        if (config.plugin().batchesStats()) {
            List<StatsEvent> batch = new ArrayList<>(queue);
            queue.clear();
            send(batch, true);
        } else {
            while (!queue.isEmpty() && !blocked.test(clock.nowMillis())) {
                if (!send(List.of(queue.removeFirst()), false)) {
                    break; // requeued: the rest waits behind it, in order
                }
            }
        }
        persist();
    }

    /** One POST of queue events; false when they went back to the head of the queue. */
    private boolean send(List<StatsEvent> events, boolean array) {
        ApiResponse r = post(Buffer.buffer(
                array ? StatsEvent.toJsonArray(events) : events.get(0).toJson()));
        String outcome;
        if (r.is2xx()) {
            delivered.addAll(events);
            outcome = "delivered";
        } else if (r.isTransportError() || r.status() == 408 || r.status() == 429 || r.status() >= 500) {
            for (int i = events.size() - 1; i >= 0; i--) {
                queue.addFirst(events.get(i)); // back to the head, in order
            }
            while (queue.size() > MAX_QUEUE) {
                dropped.add(queue.removeFirst());
            }
            outcome = "requeued";
        } else {
            dropped.addAll(events);
            outcome = "dropped";
        }
        deliveries.add(new StatsDelivery(events, array, r.status(), outcome));
        return !outcome.equals("requeued");
    }

    /** Sends one event as a single JSON object, once (§3.1: worker events and {@code rate_limit_reached}). */
    void sendSingle(StatsEvent event, boolean evenWhenBlocked) {
        if (!enabled() || (!evenWhenBlocked && blocked.test(clock.nowMillis()))) {
            return;
        }
        ApiResponse r = post(Buffer.buffer(event.toJson()));
        String outcome = r.is2xx() ? "delivered" : "dropped";
        (r.is2xx() ? delivered : dropped).add(event);
        deliveries.add(new StatsDelivery(List.of(event), false, r.status(), outcome));
    }

    private ApiResponse post(Buffer body) {
        ApiResponse r = http.call(
                HttpMethod.POST,
                config.statsUrl(),
                null,
                body,
                DeviceHttp.jsonHeaders(config, "application/json"),
                config.responseTimeoutSeconds() * 1000L);
        onAnswer.accept(r);
        return r;
    }

    private void persist() {
        DeviceState.writeAtomically(
                state.statsQueueFile(),
                new String(StatsEvent.toJsonArray(new ArrayList<>(queue)), java.nio.charset.StandardCharsets.UTF_8));
    }

    List<StatsEvent> pending() {
        return List.copyOf(queue);
    }

    List<StatsEvent> delivered() {
        return Collections.unmodifiableList(delivered);
    }

    List<StatsEvent> dropped() {
        return Collections.unmodifiableList(dropped);
    }

    List<StatsDelivery> deliveries() {
        return Collections.unmodifiableList(deliveries);
    }
}
