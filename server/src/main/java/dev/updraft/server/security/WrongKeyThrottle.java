package dev.updraft.server.security;

import dev.updraft.server.config.UpdraftConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code max-failures} wrong admin keys per client address within {@code window} (sliding; the official
 * backend's numbers: 20 in 15 minutes). Past that, every keyed attempt from the address is refused with 429 and
 * {@code Retry-After} until the oldest failure leaves the window, without the key being checked: a guesser learns
 * nothing more, at the price that a right key from that address waits too (docs/security-model.md). A missing key
 * is not a failure. In memory, per instance, bounded.
 */
@ApplicationScoped
public class WrongKeyThrottle {
    static final int MAX_TRACKED = 100_000;

    private final ConcurrentHashMap<String, ArrayDeque<Long>> failures = new ConcurrentHashMap<>();

    private final int maxFailures;
    private final Duration window;

    @Inject
    public WrongKeyThrottle(UpdraftConfig config) {
        maxFailures = config.adminKeys().throttle().maxFailures();
        window = config.adminKeys().throttle().window();
    }

    /** Seconds until {@code address} may present a key again; 0 when it may now. */
    public long retryAfterSeconds(String address) {
        ArrayDeque<Long> q = failures.get(address);
        if (q == null) {
            return 0;
        }
        long now = System.currentTimeMillis();
        synchronized (q) {
            expire(q, now);
            if (q.size() < maxFailures) {
                return 0;
            }
            return Math.max(1, (q.peekFirst() + window.toMillis() - now + 999) / 1000);
        }
    }

    /** Records a wrong key from {@code address}. */
    public void failed(String address) {
        if (failures.size() >= MAX_TRACKED) {
            evictStale();
        }
        long now = System.currentTimeMillis();
        ArrayDeque<Long> q = failures.computeIfAbsent(address, k -> new ArrayDeque<>());
        synchronized (q) {
            expire(q, now);
            if (q.size() < maxFailures) {
                q.addLast(now);
            }
        }
    }

    private void expire(ArrayDeque<Long> q, long now) {
        long w = window.toMillis();
        while (!q.isEmpty() && now - q.peekFirst() >= w) {
            q.pollFirst();
        }
    }

    @Scheduled(every = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void evictStale() {
        long now = System.currentTimeMillis();
        failures.entrySet().removeIf(en -> {
            ArrayDeque<Long> q = en.getValue();
            synchronized (q) {
                expire(q, now);
                return q.isEmpty();
            }
        });
        if (failures.size() >= MAX_TRACKED) {
            failures.clear(); // under a flood of distinct addresses, forget rather than grow without bound
        }
    }
}
