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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.IVersionProvider;
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
        subcommands = {
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
            DoctorCommand.class
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
        System.exit(run(Context.system(), args));
    }

    /** Runs one command line in {@code ctx} and returns its exit code. */
    public static int run(Context ctx, String... args) {
        return CommandLines.execute(commandLine(ctx), ctx, args);
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
        return CommandLines.install(cli, ctx);
    }

    @Command(
            name = "bundle",
            description = {
                "Make bundles (zip, encrypt, decrypt) and manage them on the server (upload, list, delete, cleanup, compatibility)."
            },
            subcommands = {
                ZipCommand.class,
                EncryptCommand.class,
                DecryptCommand.class,
                UploadCommand.class,
                BundleAdmin.ListCommand.class,
                BundleAdmin.DeleteCommand.class,
                CleanupCommand.class,
                CompatibilityCommand.class
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
