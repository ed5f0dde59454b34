package dev.updraft.server.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the console writes numbers and times: fixed, locale-independent, UTC. */
final class ConsoleFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private ConsoleFormat() {}

    /** A fraction 0..1 as a percentage with one decimal: {@code 0.125} is {@code 12.5%}. */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** A share in basis points as a percentage: {@code 1250} is {@code 12.5%}, {@code 10000} is {@code 100%}. */
    static String share(int bps) {
        return bps % 100 == 0
                ? bps / 100 + "%"
                : String.format(Locale.ROOT, "%.2f", bps / 100.0).replaceAll("0$", "") + "%";
    }

    static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    /** For the one attribute the charts write themselves (Qute escapes everything else). */
    static String attribute(String s) {
        return s.replace("&", "&amp;")
                .replace("\"", "&quot;")
                .replace("<", "&lt;")
                .replace(">", "&gt;");
    }

    /**
     * A percentage typed by an operator ({@code 12.5}, {@code 12.5%}, {@code 100}) in basis points, or -1 when it is
     * not a number from 0 to 100 with at most two decimals.
     */
    static int parseShare(String typed) {
        if (typed == null) {
            return -1;
        }
        String s = typed.strip();
        if (s.endsWith("%")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        if (!s.matches("\\d{1,3}(\\.\\d{1,2})?")) {
            return -1;
        }
        int bps = new java.math.BigDecimal(s).movePointRight(2).intValueExact();
        return bps <= 10_000 ? bps : -1;
    }
}
