package dev.updraft.server.webhook;

import java.time.Duration;

/**
 * When a failed delivery is tried again (docs/operations.md, "Webhooks"): {@code base} after the first attempt,
 * doubled after each further one, never more than {@code cap}.
 */
public record Backoff(Duration base, Duration cap) {
    public Backoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("the retry base must be positive and the cap at least the base");
        }
    }

    /** The wait after {@code attempts} failed attempts (1 or more). */
    public Duration after(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts start at 1, not " + attempts);
        }
        int doublings = Math.min(attempts - 1, 30);
        Duration d = base.multipliedBy(1L << doublings);
        return d.compareTo(cap) > 0 ? cap : d;
    }
}
