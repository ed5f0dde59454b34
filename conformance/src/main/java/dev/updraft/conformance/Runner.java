package dev.updraft.conformance;

import dev.updraft.conformance.ClientProcess.ClientException;
import dev.updraft.conformance.Outcome.Verdict;
import dev.updraft.crypto.BundlePrivateKey;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs scenarios one after the other on one {@link Stage}: each gets a fresh app (its own app id, channels and
 * bundles), a fresh client process and a clean front and store, so scenarios never see each other.
 */
final class Runner {
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Stage stage;
    private final BundlePrivateKey key;
    private final String nonce;
    /** Numbers the apps of this runner's scenarios, across runs: every scenario gets an app of its own. */
    private final AtomicInteger apps = new AtomicInteger();

    Runner(Stage stage, BundlePrivateKey key) {
        this.stage = stage;
        this.key = key;
        this.nonce = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36) + RUNS.incrementAndGet();
    }

    /** The scenarios whose name matches one of the globs ({@code *} within a segment, {@code **} across); all if none. */
    static List<Scenario> select(List<Scenario> all, List<String> globs) {
        if (globs.isEmpty()) {
            return all;
        }
        List<PathMatcher> matchers = globs.stream()
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g))
                .toList();
        return all.stream()
                .filter(s -> matchers.stream().anyMatch(m -> m.matches(Path.of(s.name()))))
                .toList();
    }

    List<Outcome> run(List<Scenario> scenarios, RunSettings settings, Set<String> xfail, PrintStream progress) {
        List<Outcome> out = new ArrayList<>();
        for (Scenario s : scenarios) {
            Outcome o = runOne(s, settings, xfail.contains(s.name()), apps.incrementAndGet());
            out.add(o);
            progress.println(line(o));
        }
        return out;
    }

    private Outcome runOne(Scenario s, RunSettings settings, boolean expected, int index) {
        stage.front().reset();
        stage.store().clearFaults();
        stage.store().clearRequests();
        String app = "dev.conformance.s" + index + "r" + nonce;
        Path dir = stage.work().resolve("scenarios").resolve(s.name().replace('/', '-') + "-" + index + "-" + nonce);
        long t0 = System.nanoTime();
        Verdict verdict = Verdict.PASSED;
        String message = "";
        List<String> transcript = List.of();
        try (ScenarioContext c = new ScenarioContext(stage, s, settings, key, app, dir)) {
            try {
                s.steps().run(c);
            } catch (Violation v) {
                verdict = Verdict.FAILED;
                message = v.getMessage();
            } catch (ClientException e) {
                verdict = Verdict.ERROR;
                message = e.getMessage();
            } finally {
                transcript = c.transcript();
            }
        } catch (Exception e) {
            verdict = Verdict.ERROR;
            message = "the kit could not run this scenario: " + e;
        }
        return new Outcome(s, verdict, message, expected, (System.nanoTime() - t0) / 1_000_000, transcript);
    }

    static String line(Outcome o) {
        String v = o.verdict().name().toLowerCase(Locale.ROOT);
        String tag =
                o.expected() ? (o.verdict() == Verdict.PASSED ? "PASSED, but listed in xfail" : v + " (xfail)") : v;
        return String.format(
                Locale.ROOT, "%-40s %s%s", o.scenario().name(), tag, o.message().isEmpty() ? "" : ": " + o.message());
    }
}
