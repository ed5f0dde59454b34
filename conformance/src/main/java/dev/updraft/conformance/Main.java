package dev.updraft.conformance;

import dev.updraft.cli.ExitCode;
import dev.updraft.crypto.BundlePrivateKey;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./updraft conformance run|list}: the conformance kit's command line (docs/conformance.md). Exit codes:
 * 0 every scenario as expected ({@link Outcome#acceptable()}), 1 otherwise, 2 a usage error, 3 the kit could not
 * start its stage or the client.
 */
@Command(
        name = "updraft conformance",
        mixinStandardHelpOptions = true,
        subcommands = {Main.Run.class, Main.ListScenarios.class},
        description = "The conformance kit for ports of @capgo/capacitor-updater (docs/conformance.md).")
public final class Main implements Callable<Integer> {
    /** The folder paths on the command line are relative to (the launcher runs the kit from the repository). */
    static final Path CALLER_DIR =
            Path.of(System.getProperty("updraft.conformance.cwd", "")).toAbsolutePath();

    @Override
    public Integer call() {
        System.err.println("updraft conformance: a command is needed: run or list (--help)");
        return ExitCode.USAGE;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((ex, a) -> {
            System.err.println("updraft conformance: " + ex.getMessage());
            return ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, c, p) -> {
            System.err.println("updraft conformance: " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? ExitCode.USAGE : ExitCode.REFUSED;
        });
        return cli.execute(args);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the scenarios and what each checks.")
    static final class ListScenarios implements Callable<Integer> {
        @Override
        public Integer call() {
            for (Scenario s : Scenarios.all()) {
                System.out.println(String.format("%-40s %s: %s", s.name(), s.section(), s.summary()));
            }
            return ExitCode.OK;
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Runs the scenarios against --client: a command that speaks the kit's JSON-lines protocol on its",
                "standard input and output (docs/conformance.md). Exit code 0 only if every scenario not listed in",
                "--xfail passes."
            })
    static final class Run implements Callable<Integer> {
        @Option(
                names = "--client",
                required = true,
                paramLabel = "COMMAND",
                description = "the client's command line, run through sh -c once per scenario")
        String client;

        @Option(
                names = "--scenario",
                paramLabel = "GLOB",
                description =
                        "only the scenarios whose name matches (repeatable; * within a segment, ** across): 'store/*'")
        List<String> scenarios = new ArrayList<>();

        @Option(
                names = "--xfail",
                paramLabel = "FILE",
                description = "expected failures: one scenario name per line, # comments")
        Path xfail;

        @Option(names = "--junit", paramLabel = "FILE", description = "write the results as JUnit XML")
        Path junit;

        @Option(names = "--report", paramLabel = "FILE", description = "write the results as a Markdown report")
        Path report;

        @Option(
                names = "--platform",
                paramLabel = "android|ios",
                defaultValue = "android",
                description =
                        "the platform the client plays; platform rules are judged by it (default: ${DEFAULT-VALUE})")
        String platform;

        @Option(
                names = "--work-dir",
                paramLabel = "DIR",
                description =
                        "where the server's data, the store and each scenario's files go (default: a new temporary folder, removed after a run that passes)")
        Path workDir;

        @Override
        public Integer call() throws Exception {
            List<Scenario> selected = Runner.select(Scenarios.all(), scenarios);
            if (selected.isEmpty()) {
                throw new IllegalArgumentException(
                        "no scenario matches " + scenarios + " (./updraft conformance list)");
            }
            Set<String> expected = xfail == null ? Set.of() : Xfail.read(CALLER_DIR.resolve(xfail), Scenarios.all());
            RunSettings settings = new RunSettings(client, CALLER_DIR, platform);
            boolean temporary = workDir == null;
            Path work = temporary ? Files.createTempDirectory("updraft-conformance-") : CALLER_DIR.resolve(workDir);
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            Preflight.check(client, CALLER_DIR, work);
            List<Outcome> outcomes;
            long t0 = System.nanoTime();
            try (Stage stage = Stage.start(work)) {
                outcomes = new Runner(stage, BundlePrivateKey.generate()).run(selected, settings, expected, out);
            } catch (IOException e) {
                System.err.println("updraft conformance: the kit could not start its server and store: "
                        + e.getMessage().lines().findFirst().orElse(""));
                return ExitCode.REFUSED;
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            if (junit != null) {
                Reports.junit(outcomes, client, CALLER_DIR.resolve(junit));
            }
            if (report != null) {
                Reports.markdown(outcomes, client, platform, CALLER_DIR.resolve(report));
            }
            RunSummary summary = RunSummary.of(outcomes, seconds);
            out.println(summary.line());
            if (summary.exitCode() == ExitCode.OK && temporary) {
                delete(work);
            } else if (summary.exitCode() != ExitCode.OK) {
                out.println("the scenarios' files (client state, client standard error) are in " + work);
            }
            return summary.exitCode();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
