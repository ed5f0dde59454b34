package dev.updraft.conformance;

import dev.updraft.conformance.Outcome.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The run's results as JUnit XML (for CI) and as a Markdown report (for people). */
final class Reports {
    private Reports() {}

    static void junit(List<Outcome> outcomes, String client, Path file) throws IOException {
        long failures = outcomes.stream()
                .filter(o -> !o.expected() && o.verdict() == Verdict.FAILED)
                .count();
        long errors = outcomes.stream()
                .filter(o -> !o.expected() && o.verdict() == Verdict.ERROR)
                .count();
        long skipped = outcomes.stream()
                .filter(o -> o.expected() && o.verdict() != Verdict.PASSED)
                .count();
        double seconds = outcomes.stream().mapToLong(Outcome::millis).sum() / 1000.0;
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append(String.format(
                Locale.ROOT,
                "<testsuite name=\"updraft-conformance\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">\n",
                outcomes.size(),
                failures,
                errors,
                skipped,
                seconds));
        x.append("  <properties><property name=\"client\" value=\"")
                .append(xml(client))
                .append("\"/></properties>\n");
        for (Outcome o : outcomes) {
            x.append(String.format(
                    Locale.ROOT,
                    "  <testcase classname=\"conformance.%s\" name=\"%s\" time=\"%.3f\">",
                    xml(
                            o.scenario().name().contains("/")
                                    ? o.scenario()
                                            .name()
                                            .substring(0, o.scenario().name().indexOf('/'))
                                    : "scenario"),
                    xml(o.scenario().name()),
                    o.millis() / 1000.0));
            if (o.expected() && o.verdict() != Verdict.PASSED) {
                x.append("<skipped message=\"expected failure (xfail): ")
                        .append(xml(o.message()))
                        .append("\"/>");
            } else if (o.unexpectedPass()) {
                x.append("<system-out>passed although listed in the xfail file</system-out>");
            } else if (o.verdict() == Verdict.FAILED) {
                x.append("<failure message=\"")
                        .append(xml(o.message()))
                        .append("\">")
                        .append(xml(String.join("\n", o.transcript())))
                        .append("</failure>");
            } else if (o.verdict() == Verdict.ERROR) {
                x.append("<error message=\"")
                        .append(xml(o.message()))
                        .append("\">")
                        .append(xml(String.join("\n", o.transcript())))
                        .append("</error>");
            }
            x.append("</testcase>\n");
        }
        x.append("</testsuite>\n");
        write(file, x.toString());
    }

    static void markdown(List<Outcome> outcomes, String client, String platform, Path file) throws IOException {
        long passed =
                outcomes.stream().filter(o -> o.verdict() == Verdict.PASSED).count();
        StringBuilder m = new StringBuilder("# Updraft conformance report\n\n");
        m.append("Client: `")
                .append(client.replace("`", "'"))
                .append("`, platform ")
                .append(platform)
                .append(". ")
                .append(passed)
                .append(" of ")
                .append(outcomes.size())
                .append(" scenarios passed");
        long bad = outcomes.stream().filter(o -> !o.acceptable()).count();
        m.append(bad == 0 ? "; the run passes.\n\n" : "; " + bad + " not as expected: the run fails.\n\n");
        m.append("| Scenario | Checks | Result | Details |\n|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            String result = switch (o.verdict()) {
                case PASSED -> o.expected() ? "passed (listed in xfail)" : "passed";
                case FAILED -> o.expected() ? "failed (xfail)" : "**failed**";
                case ERROR -> o.expected() ? "error (xfail)" : "**error**";
            };
            m.append("| `")
                    .append(o.scenario().name())
                    .append("` | ")
                    .append(cell(o.scenario().section()))
                    .append(" | ")
                    .append(result)
                    .append(" | ")
                    .append(cell(o.message().isEmpty() ? o.scenario().summary() : o.message()))
                    .append(" |\n");
        }
        write(file, m.toString());
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> {
                    if (ch < 0x20 && ch != '\n' && ch != '\t') {
                        b.append("\\u").append(String.format(Locale.ROOT, "%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.toString();
    }

    private static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text);
    }
}
