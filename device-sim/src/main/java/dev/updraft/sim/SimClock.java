package dev.updraft.sim;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The device's clock. The plugin waits a lot (the {@code appReadyTimeout} watchdog, at least 30 s for a new bundle;
 * download retry backoff): a {@link #virtual()} clock skips those waits instantly, so tests and demos do not wait
 * for real, while network I/O still runs in real time. {@link #real()} really sleeps.
 */
public interface SimClock {

    /** Milliseconds since the epoch, as the device sees them (used for stats timestamps and durations). */
    long nowMillis();

    /** Lets {@code millis} of device time pass. */
    void sleep(long millis) throws InterruptedException;

    /** Whether waits are skipped. */
    boolean isVirtual();

    /** Real time plus every wait skipped so far: {@link #sleep} returns at once and moves this clock forward. */
    static Virtual virtual() {
        return new Virtual();
    }

    /** Wall-clock time; {@link #sleep} really sleeps. */
    static SimClock real() {
        return new SimClock() {
            @Override
            public long nowMillis() {
                return System.currentTimeMillis();
            }

            @Override
            public void sleep(long millis) throws InterruptedException {
                if (millis > 0) {
                    Thread.sleep(millis);
                }
            }

            @Override
            public boolean isVirtual() {
                return false;
            }
        };
    }

    /** The virtual clock; {@link #advance} lets tests jump forward (e.g. past a rate-limit block). */
    final class Virtual implements SimClock {
        private final AtomicLong skipped = new AtomicLong();

        @Override
        public long nowMillis() {
            return System.currentTimeMillis() + skipped.get();
        }

        @Override
        public void sleep(long millis) {
            if (millis > 0) {
                skipped.addAndGet(millis);
            }
        }

        @Override
        public boolean isVirtual() {
            return true;
        }

        /** Moves this clock forward without waiting. */
        public void advance(long millis) {
            sleep(millis);
        }

        /** The total device time skipped so far. */
        public long skippedMillis() {
            return skipped.get();
        }
    }
}
