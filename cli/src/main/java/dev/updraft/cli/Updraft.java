package dev.updraft.cli;

import dev.updraft.cli.admin.AdminKeyCommand;
import dev.updraft.cli.admin.AppCommand;
import dev.updraft.cli.admin.BundleAdmin;
import dev.updraft.cli.admin.ChannelCommand;
import dev.updraft.cli.admin.CleanupCommand;
import dev.updraft.cli.admin.CompatibilityCommand;
import dev.updraft.cli.admin.DeviceCommand;
import dev.updraft.cli.admin.DoctorCommand;
import dev.updraft.cli.admin.LoginCommand;
import dev.updraft.cli.admin.StatsCommand;
import dev.updraft.cli.admin.UploadCommand;
import dev.updraft.cli.admin.WebhookCommand;
import dev.updraft.cli.bundle.DecryptCommand;
import dev.updraft.cli.bundle.EncryptCommand;
import dev.updraft.cli.bundle.ZipCommand;
import dev.updraft.cli.key.KeyCommand;
import dev.updraft.crypto.JitWarmUp;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;

/** {@code updraft}: the command line of the Updraft live-update platform. */
// scope INHERIT: every subcommand gets --help, --version and this version provider from here (picocli's inherited
// command attributes); a command with subcommands and no code of its own makes picocli require a subcommand.
@Command(
        name = "updraft",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = Updraft.Version.class,
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
            ""
        },
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
            "UPDRAFT_DEBUG=1 prints stack traces of unexpected errors."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:the operation failed: missing or unreadable file, bad PEM, wrong key type, checksum mismatch, invalid build folder",
            "2:usage error: unknown option, missing or invalid argument",
            "3:the server refused the request (4xx): unknown app/bundle/channel, conflict, validation error",
            "4:no API key found, or the server rejected it (401/403)",
            "5:server unreachable, timed out, or failing (5xx)"
        })
public final class Updraft {
    public static void main(String[] args) {
        if (encryptsABundle(args)) {
            JitWarmUp.startInBackground();
        }
        System.exit(run(Context.system(), args));
    }

    /**
     * Whether a command line may AES-encrypt a bundle ({@code bundle encrypt}, {@code bundle upload}), so that the
     * compiler's AES code is worth warming up while the command line is parsed ({@link JitWarmUp}). Only a hint on the
     * raw words, like the launcher's choice of compilers: a wrong guess costs a few milliseconds of another core.
     */
    static boolean encryptsABundle(String... args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals("encrypt") || arg.equals("upload")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The commands below {@code updraft}, in the order its help lists them. They are registered here rather than in
     * the annotation so that a run builds only the branch its command line names (see {@link #commandLine(Context,
     * String...)}).
     */
    static final List<Class<?>> COMMANDS = List.of(
            InitCommand.class,
            KeyCommand.class,
            Updraft.BundleGroup.class,
            AppCommand.class,
            ChannelCommand.class,
            DeviceCommand.class,
            StatsCommand.class,
            WebhookCommand.class,
            LoginCommand.class,
            AdminKeyCommand.class,
            DoctorCommand.class);

    /** The commands below {@code updraft bundle}, in help order. */
    static final List<Class<?>> BUNDLE_COMMANDS = List.of(
            ZipCommand.class,
            EncryptCommand.class,
            DecryptCommand.class,
            UploadCommand.class,
            BundleAdmin.ListCommand.class,
            BundleAdmin.DeleteCommand.class,
            CleanupCommand.class,
            CompatibilityCommand.class);

    /** Runs one command line in {@code ctx} and returns its exit code. */
    public static int run(Context ctx, String... args) {
        return CommandLines.execute(commandLine(ctx, args), ctx, args);
    }

    /** The whole command tree, wired to {@code ctx}: output streams, error handling, exit codes. */
    public static CommandLine commandLine(Context ctx) {
        return build(ctx, null);
    }

    /**
     * The command tree for one command line. Picocli reads every command's annotations by reflection when it builds
     * a command, which was most of the start-up time of a short command; so only the commands {@code args} names are
     * built in full, and every other one is a stand-in that carries just what its parent's help lists (name, aliases,
     * summary, hidden). Every {@code --help}, usage error and command then reads exactly as with the whole tree
     * (LazyCommandTreeTest). An argument file ({@code @file}) could name any command, so it gets the whole tree.
     */
    static CommandLine commandLine(Context ctx, String... args) {
        boolean argumentFile = Arrays.stream(args).anyMatch(a -> a.startsWith("@"));
        return build(ctx, argumentFile ? null : Arrays.asList(args));
    }

    /** @param args null: every command in full */
    private static CommandLine build(Context ctx, List<String> args) {
        IFactory factory = factory(ctx);
        CommandLine cli = new CommandLine(new Updraft(), factory);
        String named = args == null ? null : firstCommandName(args);
        for (Class<?> type : COMMANDS) {
            String name = type.getAnnotation(Command.class).name();
            if (args != null && !isNamed(type, named)) {
                cli.addSubcommand(name, standIn(type));
            } else if (type == BundleGroup.class) {
                List<String> rest = args == null ? null : args.subList(args.indexOf(named) + 1, args.size());
                cli.addSubcommand(bundleGroup(factory, rest));
            } else {
                cli.addSubcommand(new CommandLine(type, factory));
            }
        }
        // Capgo's older guides spell these without "bundle".
        for (Class<?> type : List.of(EncryptCommand.class, DecryptCommand.class)) {
            String name = type.getAnnotation(Command.class).name();
            CommandLine alias = args != null && !name.equals(named) ? standIn(type) : new CommandLine(type, factory);
            cli.addSubcommand(name, alias);
            alias.getCommandSpec().usageMessage().hidden(true);
        }
        return CommandLines.install(cli, ctx);
    }

    private static CommandLine bundleGroup(IFactory factory, List<String> args) {
        CommandLine group = new CommandLine(new BundleGroup(), factory);
        String named = args == null ? null : firstCommandName(args);
        for (Class<?> type : BUNDLE_COMMANDS) {
            String name = type.getAnnotation(Command.class).name();
            group.addSubcommand(
                    name, args != null && !isNamed(type, named) ? standIn(type) : new CommandLine(type, factory));
        }
        return group;
    }

    /** Whether {@code name} is the name or an alias of the command {@code type}. */
    private static boolean isNamed(Class<?> type, String name) {
        Command command = type.getAnnotation(Command.class);
        return command.name().equals(name) || Arrays.asList(command.aliases()).contains(name);
    }

    /** The first argument that is not an option: the command's name (the groups have no options that take values). */
    private static String firstCommandName(List<String> args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return null;
            }
            if (!arg.startsWith("-")) {
                return arg;
            }
        }
        return null;
    }

    /**
     * What a parent's help shows of {@code type}, read from its {@code @Command} alone; it is never run, as the command
     * line that would run it gets the real command.
     */
    private static CommandLine standIn(Class<?> type) {
        Command command = type.getAnnotation(Command.class);
        CommandSpec spec = CommandSpec.wrapWithoutInspection((Callable<Integer>) () -> {
            throw new IllegalStateException("the stand-in of " + command.name() + " ran");
        });
        spec.name(command.name()).aliases(command.aliases());
        spec.usageMessage()
                .header(command.header())
                .description(command.description())
                .hidden(command.hidden());
        return new CommandLine(spec);
    }

    private static IFactory factory(Context ctx) {
        IFactory defaults = CommandLine.defaultFactory();
        return new IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K object = defaults.create(cls);
                if (object instanceof BaseCommand command) {
                    command.ctx = ctx;
                }
                return object;
            }
        };
    }

    @Command(
            name = "bundle",
            description = {
                "Make bundles (zip, encrypt, decrypt) and manage them on the server (upload, list, delete, cleanup, compatibility)."
            })
    public static final class BundleGroup {}

    /** The version of the jar (from its manifest), or "dev" when run from classes. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"updraft " + CommandLines.buildVersion(Updraft.class)};
        }
    }
}
