package dev.updraft.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.crypto.CryptoException;
import dev.updraft.crypto.zip.BundleArchiveException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How the command lines of {@code updraft} and {@code updraft-sim} are wired: their streams, their version, and one
 * error handler. Every failure is one line on stderr (one JSON object {@code {"error", "message"}} when the command
 * line has {@code --json}), never a stack trace unless {@code UPDRAFT_DEBUG} is set, and its exit code is one of
 * {@link ExitCode}'s.
 */
public final class CommandLines {
    private CommandLines() {}

    /** Wires {@code cli} (and its subcommands) to {@code ctx}'s streams and to this handler; returns it. */
    public static CommandLine install(CommandLine cli, Context ctx) {
        cli.setOut(ctx.out());
        cli.setErr(ctx.err());
        cli.setUsageHelpWidth(120);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(new UsageErrors(ctx));
        cli.setExecutionExceptionHandler(new ExecutionErrors(ctx));
        keepRootSectionsAtRoot(cli, cli.getCommandSpec().usageMessage());
        return cli;
    }

    /**
     * The root command's scope INHERIT gives every command --help, --version and the version provider, and also
     * copies the root's footer and exit-code list into commands that have none of their own: those are the
     * overview's, so they are taken out again below the root.
     */
    private static void keepRootSectionsAtRoot(CommandLine command, UsageMessageSpec root) {
        for (CommandLine sub : command.getSubcommands().values()) {
            UsageMessageSpec usage = sub.getCommandSpec().usageMessage();
            if (Arrays.equals(usage.footer(), root.footer())) {
                usage.footerHeading("").footer(new String[0]);
            }
            if (usage.exitCodeList().equals(root.exitCodeList())) {
                usage.exitCodeListHeading("").exitCodeList(Map.of());
            }
            keepRootSectionsAtRoot(sub, root);
        }
    }

    /** Runs one command line and returns its exit code, with both streams flushed. */
    public static int execute(CommandLine cli, Context ctx, String... args) {
        int code = cli.execute(args);
        ctx.out().flush();
        ctx.err().flush();
        return code;
    }

    /** A failed command: one line (or one JSON object with --json), the exit code of what it threw. */
    private record ExecutionErrors(Context ctx) implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
            CliException e = translate(ex);
            ParseResult own = commandLine.getParseResult();
            report(ctx, own != null && own.hasMatchedOption("--json"), e.code(), e.getMessage());
            if (ctx.env("UPDRAFT_DEBUG") != null) {
                ex.printStackTrace(ctx.err());
                ctx.err().flush();
            }
            return e.exitCode();
        }
    }

    /**
     * Usage errors: the reason once, and where to find help, in one line. Picocli also sends here a
     * {@link ParameterException} that a command throws while it runs (options that are inconsistent together).
     */
    private record UsageErrors(Context ctx) implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            String message = usageMessage(ex);
            if (Arrays.asList(args).contains("--json")) {
                report(ctx, true, "usage", message);
            } else {
                ctx.err()
                        .println("error: " + message + " (see '"
                                + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
                ctx.err().flush();
            }
            return ExitCode.USAGE;
        }
    }

    /**
     * Picocli's message without its own "Error: " prefix (argument groups add one) and without the Java exception a
     * type converter failed with (the person reads what was wrong with the value, not a class name); a missing
     * subcommand lists the commands there are.
     */
    static String usageMessage(ParameterException ex) {
        String message = ex.getMessage() == null ? "invalid command line" : ex.getMessage();
        if (message.startsWith("Error: ")) {
            message = message.substring("Error: ".length());
        }
        if (message.equals("Missing required subcommand")) {
            message = (ex.getCommandLine().getParent() == null ? "missing command" : "missing subcommand") + ": one of "
                    + ex.getCommandLine().getSubcommands().values().stream()
                            .filter(sub -> !sub.getCommandSpec().usageMessage().hidden())
                            .map(CommandLine::getCommandName)
                            .distinct()
                            .collect(Collectors.joining(", "));
        }
        return message.replaceAll(" \\((java|picocli)\\.[\\w.$]+(Exception|Error): .*\\)$", "");
    }

    /** One error on stderr: {@code error: MESSAGE}, or {@code {"error": CODE, "message": MESSAGE}} in JSON mode. */
    public static void report(Context ctx, boolean json, String code, String message) {
        if (json) {
            ObjectNode error = Json.object().put("error", code).put("message", message);
            ctx.err().println(Json.compact(error));
        } else {
            ctx.err().println("error: " + message);
        }
        ctx.err().flush();
    }

    /** Maps what a command threw to a code, a one-line message and an exit code. */
    public static CliException translate(Throwable ex) {
        if (ex instanceof CliException e) {
            return e;
        }
        if (ex instanceof BundleArchiveException e) {
            return CliException.failed(e.failure().code(), e.getMessage());
        }
        if (ex instanceof CryptoException e) {
            return CliException.failed(e.failure().name().toLowerCase(Locale.ROOT), e.getMessage());
        }
        if (ex instanceof NoSuchFileException e) {
            return CliException.failed("file_not_found", "no such file or folder: " + e.getFile());
        }
        if (ex instanceof AccessDeniedException e) {
            return CliException.failed("permission_denied", "permission denied: " + e.getFile());
        }
        if (ex instanceof FileAlreadyExistsException e) {
            return CliException.failed("file_exists", "already exists: " + e.getFile());
        }
        if (ex instanceof IOException e) {
            return CliException.failed(
                    "io_error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return new CliException(
                ExitCode.FAILED,
                "internal_error",
                "unexpected error: " + ex + " (set UPDRAFT_DEBUG=1 for details, and please report it)");
    }

    /** The version of the jar {@code type} was loaded from (its manifest's Implementation-Version), or "dev" from classes. */
    public static String buildVersion(Class<?> type) {
        String v = type.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
