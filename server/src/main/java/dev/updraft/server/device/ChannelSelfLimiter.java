package dev.updraft.server.device;

import dev.updraft.protocol.DeviceErrors;
import dev.updraft.server.config.UpdraftConfig;
import dev.updraft.server.web.ApiException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The limits of {@code /channel_self} (docs/protocol.md §4.3): at most {@code max-ops} operations of one kind per
 * (app, device) within {@code window} (sliding), more get 429 with {@code Retry-After}; and a setChannel identical to
 * the device's previous one within {@code identical-set-window} gets 429 without a hint, so that only that call is
 * refused and the plugin does not block its update checks. In memory, per instance, bounded.
 */
@ApplicationScoped
public class ChannelSelfLimiter {
    static final int MAX_TRACKED = 200_000;

    private final ConcurrentHashMap<String, ArrayDeque<Long>> recent = new ConcurrentHashMap<>();
    /** (app, device) to the last setChannel: channel name and time. */
    private final ConcurrentHashMap<String, LastSet> lastSet = new ConcurrentHashMap<>();

    private record LastSet(String channel, long atMillis) {}

    private final int maxOps;
    private final Duration window;
    private final Duration identicalSetWindow;

    @Inject
    public ChannelSelfLimiter(UpdraftConfig config) {
        UpdraftConfig.RateLimit.ChannelSelf limits = config.rateLimit().channelSelf();
        maxOps = limits.maxOps();
        window = limits.window();
        identicalSetWindow = limits.identicalSetWindow();
    }

    /** Refuses a setChannel to the same channel as the device's previous one within the window; remembers this one. */
    public void acquireSet(String appId, String deviceId, String channel) {
        if (lastSet.size() >= MAX_TRACKED) {
            evictStale();
        }
        long now = System.currentTimeMillis();
        long w = identicalSetWindow.toMillis();
        boolean[] identical = {false};
        lastSet.compute(appId + '\n' + deviceId, (k, last) -> {
            if (last != null && last.channel().equals(channel) && now - last.atMillis() < w) {
                identical[0] = true;
                return last;
            }
            return new LastSet(channel, now);
        });
        if (identical[0]) {
            throw new ApiException(
                    429,
                    DeviceErrors.TOO_MANY_REQUESTS,
                    "This device chose the same channel less than " + identicalSetWindow.toSeconds() + " seconds ago");
        }
    }

    public void acquire(String appId, String deviceId, String op) {
        if (recent.size() >= MAX_TRACKED) {
            evictStale();
        }
        long now = System.currentTimeMillis();
        long w = window.toMillis();
        ArrayDeque<Long> q = recent.computeIfAbsent(appId + '\n' + deviceId + '\n' + op, k -> new ArrayDeque<>());
        synchronized (q) {
            while (!q.isEmpty() && now - q.peekFirst() >= w) {
                q.pollFirst();
            }
            if (q.size() >= maxOps) {
                long retryMs = w - (now - q.peekFirst());
                throw ApiException.tooManyRequests("Too many channel requests for this device", (retryMs + 999) / 1000);
            }
            q.addLast(now);
        }
    }

    @Scheduled(every = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void evictStale() {
        long now = System.currentTimeMillis();
        long w = window.toMillis();
        recent.entrySet().removeIf(en -> {
            ArrayDeque<Long> q = en.getValue();
            synchronized (q) {
                return q.isEmpty() || now - q.peekLast() >= w;
            }
        });
        if (recent.size() >= MAX_TRACKED) {
            recent.clear();
        }
        long iw = identicalSetWindow.toMillis();
        lastSet.values().removeIf(l -> now - l.atMillis() >= iw);
        if (lastSet.size() >= MAX_TRACKED) {
            lastSet.clear();
        }
    }
}
