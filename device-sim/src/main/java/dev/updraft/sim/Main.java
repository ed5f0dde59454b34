package dev.updraft.sim;

import dev.updraft.sim.load.LoadCommand;
import dev.updraft.sim.store.StoreCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar updraft-sim.jar run|load|store ...} (the launcher maps {@code ./updraft sim run},
 * {@code ./updraft sim load} and {@code ./updraft store} here).
 *
 * <p>Errors are one line on stderr, never a stack trace: a usage error (a bad or missing option, an unsupported
 * {@code --plugin-version}) and a command that cannot run exit 2.
 */
@Command(name = "updraft-sim", mixinStandardHelpOptions = true, version = "updraft-sim 0.1.0 (plugin " + PluginBehaviour.DEFAULT_VERSION + " by default)",
        description = "Updraft's device simulator (the @capgo/capacitor-updater handshake on a JVM), load generator and mock enterprise store.",
        subcommands = {RunCommand.class, LoadCommand.class, StoreCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** A usage error, or a command that could not run. */
    static final int EXIT_ERROR = 2;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line with the given output streams; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpWidth(120);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage() + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return EXIT_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("error: " + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()));
            err.flush();
            return EXIT_ERROR;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
