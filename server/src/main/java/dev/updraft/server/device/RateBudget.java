package dev.updraft.server.device;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key: up to {@code perMinute} units in any minute on average, and at most that many at once. In
 * memory, per instance, bounded: a key whose bucket is full again is forgotten, since a new bucket is full too.
 */
final class RateBudget {
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final double capacity;
    private final double perNano;
    private final int maxKeys;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    RateBudget(long perMinute, int maxKeys) {
        if (perMinute <= 0) {
            throw new IllegalArgumentException("a budget must be positive");
        }
        this.capacity = perMinute;
        this.perNano = perMinute / (double) MINUTE_NANOS;
        this.maxKeys = maxKeys;
    }

    /**
     * Takes {@code amount} units from the key's bucket if it holds them.
     *
     * @return 0 when taken, otherwise how many nanoseconds until the bucket holds them ({@link Long#MAX_VALUE} for an
     *         amount larger than the whole budget)
     */
    long tryTake(String key, long amount, long nowNanos) {
        if (buckets.size() >= maxKeys) {
            forgetFull(nowNanos);
        }
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(capacity, nowNanos));
        synchronized (b) {
            b.tokens = Math.min(capacity, b.tokens + Math.max(0, nowNanos - b.at) * perNano);
            b.at = Math.max(b.at, nowNanos);
            if (b.tokens >= amount) {
                b.tokens -= amount;
                return 0;
            }
            return amount > capacity ? Long.MAX_VALUE : (long) Math.ceil((amount - b.tokens) / perNano);
        }
    }

    /** Forgets the buckets that have refilled; under a flood of distinct keys, all of them rather than grow. */
    void forgetFull(long nowNanos) {
        buckets.entrySet().removeIf(e -> {
            Bucket b = e.getValue();
            synchronized (b) {
                return b.tokens + Math.max(0, nowNanos - b.at) * perNano >= capacity;
            }
        });
        if (buckets.size() >= maxKeys) {
            buckets.clear();
        }
    }

    int size() {
        return buckets.size();
    }
}
