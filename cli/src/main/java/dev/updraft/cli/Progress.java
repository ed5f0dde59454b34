package dev.updraft.cli;

import dev.updraft.crypto.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress indicator for long operations (zip, encrypt, decrypt, upload), redrawn in place with
 * {@code \r} on stderr. Only used on a terminal and never with {@code --json}; elsewhere {@link ProgressListener#NONE}.
 */
public final class Progress implements ProgressListener, AutoCloseable {
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final LongSupplier clock;
    private long lastDraw;
    private int lastWidth;
    private boolean drawn;

    Progress(PrintWriter err, String label, long total, LongSupplier clock) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.clock = clock;
        this.lastDraw = clock.getAsLong() - REDRAW_NANOS;
    }

    /** A progress line on a terminal; an inert listener when nobody watches or the output is JSON. */
    public static Progress of(Context ctx, boolean json, String label, long total) {
        return new Progress(ctx.interactive() && !json ? ctx.err() : null, label, total, System::nanoTime);
    }

    @Override
    public void advanced(long bytesDone) {
        if (err == null) {
            return;
        }
        long now = clock.getAsLong();
        if (now - lastDraw < REDRAW_NANOS && bytesDone < total) {
            return;
        }
        lastDraw = now;
        String line = total > 0
                ? String.format(
                        Locale.ROOT,
                        "%s %3d%% %s / %s",
                        label,
                        Math.min(100, bytesDone * 100 / total),
                        size(bytesDone),
                        size(total))
                : label + " " + size(bytesDone);
        err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        err.flush();
        lastWidth = line.length();
        drawn = true;
    }

    /** Clears the progress line so the next output starts on a clean line. */
    @Override
    public void close() {
        if (err != null && drawn) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            err.flush();
            drawn = false;
        }
    }

    /** Bytes for a person: {@code 512 B}, {@code 2.0 KiB}, {@code 13.4 MiB}. */
    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
