package dev.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A run builds only the commands its command line names (Updraft#commandLine(Context, String...)); every other
 * command is a stand-in. Each command line here runs both ways, on the lazily built tree and on the whole tree, and
 * must print and exit exactly alike.
 */
class LazyCommandTreeTest {
    @TempDir
    Path dir;

    private record Outcome(int exitCode, String out, String err) {}

    private Outcome lazily(String... args) {
        return run(true, args);
    }

    private Outcome onTheWholeTree(String... args) {
        return run(false, args);
    }

    private Outcome run(boolean lazy, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Context ctx = new Context(dir, new HashMap<>(), new PrintWriter(out, true), new PrintWriter(err, true), false);
        int code = lazy ? Updraft.run(ctx, args) : CommandLines.execute(Updraft.commandLine(ctx), ctx, args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void everyCommandsHelpReadsAsOnTheWholeTree() {
        Context ctx = new Context(
                dir, new HashMap<>(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false);
        Map<List<String>, CommandLine> commands = new LinkedHashMap<>();
        collect(Updraft.commandLine(ctx), new ArrayList<>(), commands);
        assertThat(commands).as("every command, group and alias below updraft").hasSizeGreaterThan(40);
        commands.forEach((path, whole) -> {
            String[] args = Stream.concat(path.stream(), Stream.of("--help")).toArray(String[]::new);
            Outcome lazy = lazily(args);
            assertThat(lazy.out()).as(String.join(" ", args)).contains("Usage: updraft");
            assertThat(lazy)
                    .as(String.join(" ", args))
                    .isEqualTo(new Outcome(0, whole.getUsageMessage(CommandLine.Help.Ansi.OFF), ""));
        });
    }

    @Test
    void usageErrorsAndTheOverviewReadAsOnTheWholeTree() {
        List<String[]> lines = List.of(
                new String[] {},
                new String[] {"--help"},
                new String[] {"--version"},
                new String[] {"bundle"},
                new String[] {"bundel"},
                new String[] {"bundle", "zipp"},
                new String[] {"bundle", "encrypt"},
                new String[] {"encrypt", "--json"},
                new String[] {"app", "--nope"},
                new String[] {"--", "bundle"});
        for (String[] args : lines) {
            Outcome whole = onTheWholeTree(args);
            assertThat(lazily(args)).as(Arrays.toString(args)).isEqualTo(whole);
        }
        assertThat(lazily("bundle").err()).contains("zip, encrypt, decrypt, upload");
        assertThat(lazily("bundle", "encrypt").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void anArgumentFileCanNameAnyCommandAndGetsTheRealOne() throws Exception {
        Files.writeString(dir.resolve("args"), "bundle\nzip\n--help\n");
        Outcome lazy = lazily("@" + dir.resolve("args"));
        assertThat(lazy.exitCode()).isZero();
        assertThat(lazy.out()).contains("Usage: updraft bundle zip", "--reproducible");
        assertThat(lazy).isEqualTo(onTheWholeTree("@" + dir.resolve("args")));
    }

    @Test
    void aNamedCommandRunsForRealBesideItsStandIns() throws Exception {
        Files.createDirectories(dir.resolve("www"));
        Outcome lazy = lazily("bundle", "zip", "com.example.app", "--path", "www", "--bundle", "1.0.0", "--json");
        // the real zip command ran: its own check refused the empty folder (a stand-in would have thrown instead)
        assertThat(lazy.exitCode()).as(lazy.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(lazy.err()).contains("\"error\":\"index_html_not_found\"");
    }

    private static void collect(CommandLine cmd, List<String> path, Map<List<String>, CommandLine> commands) {
        cmd.getSubcommands().forEach((alias, sub) -> {
            List<String> next = new ArrayList<>(path);
            next.add(alias);
            commands.put(next, sub);
            if (alias.equals(sub.getCommandName())) {
                collect(sub, next, commands);
            }
        });
    }
}
