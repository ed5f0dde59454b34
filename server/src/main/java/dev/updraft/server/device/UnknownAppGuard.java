package dev.updraft.server.device;

import dev.updraft.server.web.ApiException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down probing for app ids: a client IP that asks about {@code max-misses} distinct unknown app ids within
 * {@code window} gets 429 (with {@code Retry-After}) on every device endpoint for {@code block}. All in memory,
 * per instance; bounded in size.
 */
@ApplicationScoped
public class UnknownAppGuard {
    static final int MAX_TRACKED_IPS = 100_000;

    private final ConcurrentHashMap<String, Entry> byIp = new ConcurrentHashMap<>();

    @ConfigProperty(name = "updraft.rate-limit.unknown-app.max-misses", defaultValue = "5")
    int maxMisses;
    @ConfigProperty(name = "updraft.rate-limit.unknown-app.window", defaultValue = "15m")
    Duration window;
    @ConfigProperty(name = "updraft.rate-limit.unknown-app.block", defaultValue = "15m")
    Duration block;

    private static final class Entry {
        long windowStart;
        long blockedUntil;
        final Set<String> misses = new HashSet<>();
    }

    /** Throws 429 while the IP is blocked. */
    public void checkAllowed(String ip) {
        Entry e = byIp.get(ip);
        if (e == null) {
            return;
        }
        long now = System.currentTimeMillis();
        long until;
        synchronized (e) {
            until = e.blockedUntil;
        }
        if (until > now) {
            throw ApiException.tooManyRequests("Too many requests for unknown apps from this address", (until - now + 999) / 1000);
        }
    }

    /** Records a request for an app id this server does not know; returns the 404 to send. */
    public ApiException miss(String ip, String appId) {
        if (byIp.size() >= MAX_TRACKED_IPS) {
            evictStale();
        }
        Entry e = byIp.computeIfAbsent(ip, k -> new Entry());
        long now = System.currentTimeMillis();
        synchronized (e) {
            if (now - e.windowStart > window.toMillis()) {
                e.windowStart = now;
                e.misses.clear();
            }
            if (e.misses.size() < maxMisses) {
                e.misses.add(appId);
            }
            if (e.misses.size() >= maxMisses) {
                e.blockedUntil = now + block.toMillis();
            }
        }
        return ApiException.notFound("app_not_found", "This app is not registered on this server");
    }

    @Scheduled(every = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void evictStale() {
        long now = System.currentTimeMillis();
        long horizon = Math.max(window.toMillis(), block.toMillis());
        byIp.entrySet().removeIf(en -> {
            Entry e = en.getValue();
            synchronized (e) {
                return e.blockedUntil < now && now - e.windowStart > horizon;
            }
        });
        if (byIp.size() >= MAX_TRACKED_IPS) {
            byIp.clear(); // under a flood of distinct addresses, forget rather than grow without bound
        }
    }
}
