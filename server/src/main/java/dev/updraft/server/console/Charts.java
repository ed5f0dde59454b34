package dev.updraft.server.console;

import dev.updraft.server.release.ReleaseHealth;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The release page's two charts as inline SVG, drawn on the server (no script, no library): the funnel per hour as
 * lines, and the failure rate per hour as bars with the automatic pause's threshold as a dashed line. Pure functions of
 * the hours; every number drawn is also in the table under the charts (screen readers read that one).
 */
final class Charts {
    static final int WIDTH = 720;
    static final int HEIGHT = 220;
    private static final int LEFT = 44;
    private static final int RIGHT = 12;
    private static final int TOP = 12;
    private static final int BOTTOM = 28;
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("MM-dd HH:00", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** One series of the funnel chart: its name, CSS class and value per hour. */
    record Series(String name, String css, ToLongFunction<ReleaseHealth.Hour> value) {}

    static final List<Series> FUNNEL = List.of(
            new Series("offered", "s-offered", ReleaseHealth.Hour::offered),
            new Series("downloaded", "s-downloaded", ReleaseHealth.Hour::downloaded),
            new Series("installed", "s-installed", ReleaseHealth.Hour::installed),
            new Series("confirmed", "s-confirmed", ReleaseHealth.Hour::confirmed),
            new Series("failed", "s-failed", ReleaseHealth.Hour::failed));

    private Charts() {}

    /** Every hour from {@code since} to {@code until} (inclusive), with the counted ones in place and zeros between. */
    static List<ReleaseHealth.Hour> filled(List<ReleaseHealth.Hour> counted, Instant since, Instant until) {
        List<ReleaseHealth.Hour> out = new ArrayList<>();
        int i = 0;
        for (Instant h = since; !h.isAfter(until); h = h.plusSeconds(3600)) {
            while (i < counted.size() && counted.get(i).start().isBefore(h)) {
                i++;
            }
            if (i < counted.size() && counted.get(i).start().equals(h)) {
                out.add(counted.get(i++));
            } else {
                out.add(new ReleaseHealth.Hour(h, 0, 0, 0, 0, 0, 0, 0));
            }
        }
        return out;
    }

    /** Failed ÷ (failed + confirmed) of one hour; 0 with neither (as {@code release.Funnel#failureRate}). */
    static double failureRate(ReleaseHealth.Hour h) {
        long n = h.failed() + h.confirmed();
        return n == 0 ? 0 : (double) h.failed() / n;
    }

    static String funnel(List<ReleaseHealth.Hour> hours, String label) {
        long max = 1;
        for (ReleaseHealth.Hour h : hours) {
            for (Series s : FUNNEL) {
                max = Math.max(max, s.value().applyAsLong(h));
            }
        }
        StringBuilder svg = open(label);
        axis(svg, hours, Long.toString(max), "0");
        for (Series s : FUNNEL) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < hours.size(); i++) {
                points.append(fmt(x(i, hours.size())))
                        .append(',')
                        .append(fmt(y((double) s.value().applyAsLong(hours.get(i)) / max)))
                        .append(' ');
            }
            svg.append("<polyline class=\"line ")
                    .append(s.css())
                    .append("\" points=\"")
                    .append(points.toString().strip())
                    .append("\"><title>")
                    .append(s.name())
                    .append("</title></polyline>");
        }
        return svg.append("</svg>").toString();
    }

    /** Bars of the hourly failure rate (0 to 100 %), and the threshold as a dashed line with its value. */
    static String failureRate(List<ReleaseHealth.Hour> hours, double threshold, String label) {
        StringBuilder svg = open(label);
        axis(svg, hours, "100%", "0%");
        double slot = (double) (WIDTH - LEFT - RIGHT) / Math.max(1, hours.size());
        for (int i = 0; i < hours.size(); i++) {
            ReleaseHealth.Hour h = hours.get(i);
            if (h.failed() + h.confirmed() == 0) {
                continue;
            }
            double rate = failureRate(h);
            double top = y(rate);
            svg.append("<rect class=\"")
                    .append(rate > threshold ? "bar over" : "bar")
                    .append("\" x=\"")
                    .append(fmt(LEFT + i * slot + slot * 0.15))
                    .append("\" y=\"")
                    .append(fmt(top))
                    .append("\" width=\"")
                    .append(fmt(Math.max(1, slot * 0.7)))
                    .append("\" height=\"")
                    .append(fmt(y(0) - top))
                    .append("\"><title>")
                    .append(HOUR.format(h.start()))
                    .append(": ")
                    .append(ConsoleFormat.percent(rate))
                    .append(" (")
                    .append(h.failed())
                    .append(" failed, ")
                    .append(h.confirmed())
                    .append(" confirmed)</title></rect>");
        }
        double ty = y(threshold);
        svg.append("<line class=\"threshold\" x1=\"")
                .append(LEFT)
                .append("\" x2=\"")
                .append(WIDTH - RIGHT)
                .append("\" y1=\"")
                .append(fmt(ty))
                .append("\" y2=\"")
                .append(fmt(ty))
                .append("\"><title>auto-pause threshold ")
                .append(ConsoleFormat.percent(threshold))
                .append("</title></line><text class=\"threshold-label\" x=\"")
                .append(WIDTH - RIGHT - 4)
                .append("\" y=\"")
                .append(fmt(ty - 4))
                .append("\" text-anchor=\"end\">auto-pause threshold ")
                .append(ConsoleFormat.percent(threshold))
                .append("</text>");
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String label) {
        return new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"")
                .append(ConsoleFormat.attribute(label))
                .append("\">");
    }

    private static void axis(StringBuilder svg, List<ReleaseHealth.Hour> hours, String top, String bottom) {
        svg.append("<line class=\"axis\" x1=\"")
                .append(LEFT)
                .append("\" y1=\"")
                .append(fmt(y(0)))
                .append("\" x2=\"")
                .append(WIDTH - RIGHT)
                .append("\" y2=\"")
                .append(fmt(y(0)))
                .append("\"/><line class=\"axis\" x1=\"")
                .append(LEFT)
                .append("\" y1=\"")
                .append(TOP)
                .append("\" x2=\"")
                .append(LEFT)
                .append("\" y2=\"")
                .append(fmt(y(0)))
                .append("\"/>");
        svg.append("<text class=\"tick\" x=\"")
                .append(LEFT - 4)
                .append("\" y=\"")
                .append(TOP + 8)
                .append("\" text-anchor=\"end\">")
                .append(top)
                .append("</text><text class=\"tick\" x=\"")
                .append(LEFT - 4)
                .append("\" y=\"")
                .append(fmt(y(0)))
                .append("\" text-anchor=\"end\">")
                .append(bottom)
                .append("</text>");
        if (!hours.isEmpty()) {
            svg.append("<text class=\"tick\" x=\"")
                    .append(LEFT)
                    .append("\" y=\"")
                    .append(HEIGHT - 8)
                    .append("\">")
                    .append(HOUR.format(hours.get(0).start()))
                    .append(" UTC</text><text class=\"tick\" x=\"")
                    .append(WIDTH - RIGHT)
                    .append("\" y=\"")
                    .append(HEIGHT - 8)
                    .append("\" text-anchor=\"end\">")
                    .append(HOUR.format(hours.get(hours.size() - 1).start()))
                    .append(" UTC</text>");
        }
    }

    private static double x(int i, int n) {
        double slot = (double) (WIDTH - LEFT - RIGHT) / Math.max(1, n);
        return LEFT + i * slot + slot / 2;
    }

    /** The vertical position of a fraction 0..1 of the plot's height. */
    private static double y(double fraction) {
        return TOP + (1 - Math.max(0, Math.min(1, fraction))) * (HEIGHT - TOP - BOTTOM);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
