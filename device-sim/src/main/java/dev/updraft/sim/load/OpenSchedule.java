package dev.updraft.sim.load;

import java.util.function.LongSupplier;

/**
 * The open schedule of one load worker: {@code perSecond} checks a second from the moment it is made, whatever the
 * server's latency. A check that is due but cannot be sent (the concurrency limit) is skipped, never sent later, so
 * the load never runs ahead of the rate. Arithmetic over an injected nanosecond clock; not thread-safe (one event
 * loop uses it).
 */
final class OpenSchedule {
    private final double perSecond;
    private final LongSupplier nanos;
    private final long start;
    private long accounted; // issued or skipped

    OpenSchedule(double perSecond, LongSupplier nanos) {
        this.perSecond = perSecond;
        this.nanos = nanos;
        this.start = nanos.getAsLong();
    }

    /** Checks due by now that were neither issued nor skipped. */
    long due() {
        return Math.max(0, (long) (perSecond * (nanos.getAsLong() - start) / 1e9) - accounted);
    }

    /** One check was sent. */
    void issued() {
        accounted++;
    }

    /** Gives up the checks that are due now; returns how many (they count as behind schedule). */
    long skipDue() {
        long skipped = due();
        accounted += skipped;
        return skipped;
    }
}
