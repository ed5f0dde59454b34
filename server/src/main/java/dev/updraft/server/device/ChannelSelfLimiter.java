package dev.updraft.server.device;

import dev.updraft.server.web.ApiException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code max-ops} /channel_self operations of one kind per (app, device) within {@code window} (sliding);
 * more get 429 with {@code Retry-After}. In memory, per instance, bounded.
 */
@ApplicationScoped
public class ChannelSelfLimiter {
    static final int MAX_TRACKED = 200_000;

    private final ConcurrentHashMap<String, ArrayDeque<Long>> recent = new ConcurrentHashMap<>();

    @ConfigProperty(name = "updraft.rate-limit.channel-self.max-ops", defaultValue = "5")
    int maxOps;
    @ConfigProperty(name = "updraft.rate-limit.channel-self.window", defaultValue = "1s")
    Duration window;

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
    }
}
