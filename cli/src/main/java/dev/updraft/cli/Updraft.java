package dev.updraft.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.admin.AdminKeyCommand;
import dev.updraft.cli.admin.AppCommand;
import dev.updraft.cli.admin.BundleAdmin;
import dev.updraft.cli.admin.ChannelCommand;
import dev.updraft.cli.admin.DeviceCommand;
import dev.updraft.cli.admin.LoginCommand;
import dev.updraft.cli.admin.StatsCommand;
import dev.updraft.cli.admin.UploadCommand;
import dev.updraft.cli.bundle.DecryptCommand;
import dev.updraft.cli.bundle.EncryptCommand;
import dev.updraft.cli.bundle.ZipCommand;
import dev.updraft.cli.key.KeyCommand;
import dev.updraft.crypto.CryptoException;
import dev.updraft.crypto.zip.BundleArchiveException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code updraft}: the command line of the Updraft live-update platform. */
@Command(name = "updraft", mixinStandardHelpOptions = true, versionProvider = Updraft.Version.class,
        description = {
            "Self-hosted live updates for Capacitor apps, wire-compatible with @capgo/capacitor-updater.",
            "The commands mirror the Capgo CLI (npx @capgo/cli): follow Capgo's self-hosting guide with 'updraft' in its place.",
            "",
            "The seed flow (see the README):",
            "  updraft key create                           # key pair; publicKey into capacitor.config.json",
            "  npm run build                                # your web build, e.g. into www/",
            "  updraft bundle zip --path www --bundle 1.0.1 # prints the zip's SHA-256",
            "  updraft bundle encrypt com.example.app_1.0.1.zip <checksum>",
            "  (put com.example.app_1.0.1.zip_encrypted.zip on your storage)",
            "  updraft bundle upload --bundle 1.0.1 --external https://cdn.example.com/com.example.app_1.0.1.zip_encrypted.zip \\",
            "      --iv-session-key <ivSessionKey> --encrypted-checksum <Encoded Checksum>",
            ""},
        subcommands = {KeyCommand.class, Updraft.BundleGroup.class, AppCommand.class, ChannelCommand.class, DeviceCommand.class,
            StatsCommand.class, LoginCommand.class, AdminKeyCommand.class},
        footerHeading = "%nServer and API key (commands that talk to the server):%n",
        footer = {
            "  --server URL, else $UPDRAFT_SERVER, else \"server\" in the config file, else http://localhost:8080.",
            "  --apikey KEY / --apikey-file FILE, else $UPDRAFT_API_KEY / $UPDRAFT_API_KEY_FILE, else \"api_key\" /",
            "  \"api_key_file\" in the config file. A fresh server writes its key to <data folder>/admin-api-key.",
            "  Config file: $UPDRAFT_CONFIG, else $XDG_CONFIG_HOME/updraft/config.json, else ~/.config/updraft/config.json,",
            "  e.g. {\"server\": \"https://updates.example.com\", \"api_key_file\": \"/srv/updraft/admin-api-key\"};",
            "  'updraft login' writes it.",
            "",
            "The ./updraft launcher at the repository root also starts the server (./updraft server [--port P] [--data-dir D]),",
            "the device simulator (./updraft sim run|load ...) and the mock store (./updraft store ...).",
            "",
            "UPDRAFT_DEBUG=1 prints stack traces of unexpected errors."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:the operation failed: missing or unreadable file, bad PEM, wrong key type, checksum mismatch, invalid build folder",
            "2:usage error: unknown option, missing or invalid argument",
            "3:the server refused the request (4xx): unknown app/bundle/channel, conflict, validation error",
            "4:no API key found, or the server rejected it (401/403)",
            "5:server unreachable, timed out, or failing (5xx)"})
public final class Updraft implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        System.exit(run(Context.system(), args));
    }

    /** Runs one command line in {@code ctx} and returns its exit code. */
    public static int run(Context ctx, String... args) {
        int code = commandLine(ctx).execute(args);
        ctx.out().flush();
        ctx.err().flush();
        return code;
    }

    /** The command tree, wired to {@code ctx}: output streams, error handling, exit codes. */
    public static CommandLine commandLine(Context ctx) {
        IFactory defaults = CommandLine.defaultFactory();
        IFactory factory = new IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K object = defaults.create(cls);
                if (object instanceof BaseCommand command) {
                    command.ctx = ctx;
                }
                return object;
            }
        };
        CommandLine cli = new CommandLine(new Updraft(), factory);
        // Capgo's older guides spell these without "bundle".
        cli.addSubcommand("encrypt", new CommandLine(EncryptCommand.class, factory));
        cli.addSubcommand("decrypt", new CommandLine(DecryptCommand.class, factory));
        cli.getSubcommands().get("encrypt").getCommandSpec().usageMessage().hidden(true);
        cli.getSubcommands().get("decrypt").getCommandSpec().usageMessage().hidden(true);
        cli.setOut(ctx.out());
        cli.setErr(ctx.err());
        cli.setUsageHelpWidth(120);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(new ParameterErrors(ctx));
        cli.setExecutionExceptionHandler(new ExecutionErrors(ctx));
        return cli;
    }

    /** Command groups ({@code key}, {@code bundle}, ...) need a subcommand. */
    public abstract static class Group implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String names = spec.subcommands().values().stream().map(CommandLine::getCommandName).distinct()
                    .collect(java.util.stream.Collectors.joining(", "));
            throw new ParameterException(spec.commandLine(), "missing subcommand: one of " + names);
        }
    }

    @Command(name = "bundle", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Make bundles (zip, encrypt, decrypt) and manage them on the server (upload, list, delete).",
            subcommands = {ZipCommand.class, EncryptCommand.class, DecryptCommand.class, UploadCommand.class,
                BundleAdmin.ListCommand.class, BundleAdmin.DeleteCommand.class})
    public static final class BundleGroup extends Group {
    }

    /** Reports a failed command in one line (or one JSON object with --json) and picks its exit code. */
    static final class ExecutionErrors implements IExecutionExceptionHandler {
        private final Context ctx;

        ExecutionErrors(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
            CliException e = translate(ex);
            boolean json = commandLine.getCommand() instanceof BaseCommand command && command.jsonMode();
            report(ctx, json, e.code(), e.getMessage());
            if (ctx.env("UPDRAFT_DEBUG") != null) {
                ex.printStackTrace(ctx.err());
            }
            return e.exitCode();
        }
    }

    /** Usage errors: the reason, and where to find help. */
    static final class ParameterErrors implements IParameterExceptionHandler {
        private final Context ctx;

        ParameterErrors(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            boolean json = Arrays.asList(args).contains("--json");
            String help = ex.getCommandLine().getCommandSpec().qualifiedName();
            if (json) {
                report(ctx, true, "usage", ex.getMessage());
            } else {
                ctx.err().println("error: " + ex.getMessage());
                ctx.err().println("Try '" + help + " --help' for more information.");
                ctx.err().flush();
            }
            return ExitCode.USAGE;
        }
    }

    static void report(Context ctx, boolean json, String code, String message) {
        if (json) {
            ObjectNode error = Json.object().put("error", code).put("message", message);
            ctx.err().println(Json.compact(error));
        } else {
            ctx.err().println("error: " + message);
        }
        ctx.err().flush();
    }

    /** Maps what a command threw to a code, a one-line message and an exit code. */
    static CliException translate(Throwable ex) {
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
            return CliException.failed("io_error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return new CliException(ExitCode.FAILED, "internal_error", "unexpected error: " + ex
                + " (set UPDRAFT_DEBUG=1 for details, and please report it)");
    }

    /** The version of the jar (from its manifest), or "dev" when run from classes. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Updraft.class.getPackage().getImplementationVersion();
            return new String[] {"updraft " + (v == null ? "dev" : v)};
        }
    }
}
