package dev.updraft.sim;

import dev.updraft.cli.CommandLines;
import dev.updraft.cli.Context;
import dev.updraft.sim.load.LoadCommand;
import dev.updraft.sim.store.StoreCommand;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ScopeType;

/**
 * {@code java -jar updraft-sim.jar run|load|store ...} (the launcher maps {@code ./updraft sim run},
 * {@code ./updraft sim load} and {@code ./updraft store} here).
 *
 * <p>Wired like {@code updraft} ({@link CommandLines}): errors are one line on stderr, never a stack trace, and exit
 * codes follow the same table (2: a usage error, such as a bad or missing option or an unsupported
 * {@code --plugin-version}; 1: the operation failed). {@code --help} and {@code --version} are inherited by every
 * command.
 */
@Command(
        name = "updraft-sim",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description =
                "Updraft's device simulator (the @capgo/capacitor-updater handshake on a JVM), load generator and mock enterprise store.",
        subcommands = {RunCommand.class, LoadCommand.class, StoreCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:the operation failed: a device could not run, or did not end on --expect-version; the store could not start",
            "2:usage error: unknown option, missing or invalid argument"
        })
public final class Main {
    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line with the given output streams; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        Context ctx = new Context(Path.of(""), System.getenv(), out, err, false);
        return CommandLines.execute(commandLine(ctx), ctx, args);
    }

    /** The command tree, wired to {@code ctx}'s streams and the shared error handler. */
    static CommandLine commandLine(Context ctx) {
        return CommandLines.install(new CommandLine(new Main()), ctx);
    }

    /** The version of the jar, from the build, and the plugin version devices play by default. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "updraft-sim " + CommandLines.buildVersion(Main.class) + " (plays @capgo/capacitor-updater "
                        + PluginBehaviour.DEFAULT_VERSION + " unless --plugin-version says otherwise)"
            };
        }
    }
}
