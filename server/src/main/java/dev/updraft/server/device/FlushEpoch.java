package dev.updraft.server.device;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a request thread skip a recording safely (docs/architecture.md, "Recording sightings and offers"): a recorder
 * (sightings, offers) leaves out what its last write already holds, and a request may decide the same up front, so
 * that a device checking again and again puts nothing into the pending map. That decision reads the pending map and
 * what was written; it stands only if no flush ran or started meanwhile, which this counter tells: it is odd while a
 * flush runs, and each flush moves it on by two.
 */
final class FlushEpoch {
    private final AtomicLong epoch = new AtomicLong();

    /** Before looking at the maps: a token for {@link #stillValid}, or -1 while a flush runs. */
    long open() {
        long e = epoch.get();
        return (e & 1) == 0 ? e : -1;
    }

    /** After looking: whether no flush ran or started since {@link #open} gave {@code token}. */
    boolean stillValid(long token) {
        return token >= 0 && epoch.get() == token;
    }

    /** Runs a flush (the recorder's flush is synchronized: one at a time). */
    void flush(Runnable flush) {
        epoch.incrementAndGet();
        try {
            flush.run();
        } finally {
            epoch.incrementAndGet();
        }
    }
}
