package dev.updraft.sim.load;

import java.util.Arrays;

/** Every latency of a run, in microseconds, for exact percentiles (a load run has at most a few million). */
final class LatencyRecorder {
    private long[] values = new long[1 << 14];
    private int size;

    synchronized void record(long micros) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = micros;
    }

    /** The sorted values. */
    synchronized long[] sorted() {
        long[] copy = Arrays.copyOf(values, size);
        Arrays.sort(copy);
        return copy;
    }

    /** The value at quantile q (nearest rank) of sorted values, in ms; 0 when empty. */
    static double percentileMs(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1000.0;
    }
}
