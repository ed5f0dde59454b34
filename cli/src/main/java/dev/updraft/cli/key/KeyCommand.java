package dev.updraft.cli.key;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.BaseCommand;
import dev.updraft.cli.CliException;
import dev.updraft.cli.Json;
import dev.updraft.cli.Keys;
import dev.updraft.cli.Project;
import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.crypto.CryptoException;
import dev.updraft.crypto.KeyFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code updraft key}: the RSA key pair that encrypts and signs bundles. */
@Command(
        name = "key",
        description = "Manage the RSA-2048 key pair that encrypts and signs bundles (Capgo encryption v2).",
        subcommands = {KeyCommand.Create.class, KeyCommand.Save.class, DeleteOldCommand.class})
public final class KeyCommand {

    @Command(
            name = "create",
            description = {
                "Create a new RSA-2048 key pair and put its public key into capacitor.config.json.",
                "The pair is .capgo_key_v2 (private, owner-only, PKCS#1 PEM) and .capgo_key_v2.pub (public); the public key goes at "
                        + "plugins.CapacitorUpdater.publicKey (the rest of the file stays as it was).",
                "Prints the key_id that devices will send. Keep the private key secret and out of version control.",
                "--rotate makes the next key beside the current one instead (.capgo_key_v2.next and .capgo_key_v2.next.pub; the",
                "current pair and the config stay as they are) and prints the rotation steps (docs/operations.md, \"Key rotation\")."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  updraft key create",
                "  updraft key create --dir ../my-app",
                "  updraft key create --force   # replace an existing pair",
                "  updraft key create --rotate  # the next key, for a rotation without a gap"
            })
    public static final class Create extends BaseCommand {
        @Option(
                names = {"-f", "--force"},
                description =
                        "Replace existing key files. Devices that ship the old public key cannot install bundles signed with the new one.")
        boolean force;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description =
                        "The project folder to write the keys and update the config in (default: the current folder).")
        Path dir;

        @Option(
                names = "--rotate",
                description =
                        "Make the next key beside the current one (never over it), for publishing with both until the old one is retired.")
        boolean rotate;

        @Override
        protected void run() throws IOException {
            Project project = new Project(dir == null ? ctx.cwd() : ctx.resolve(dir));
            if (!Files.isDirectory(project.dir())) {
                throw CliException.failed("dir_not_found", "the folder " + project.dir() + " does not exist");
            }
            if (rotate) {
                if (force) {
                    throw CliException.usage(
                            "rotate_never_forces",
                            "--rotate never replaces a key: leave out --force (updraft key delete_old retires the old one)");
                }
                rotate(project);
                return;
            }
            Path privateFile = project.file(Project.PRIVATE_KEY_FILE);
            Path publicFile = project.file(Project.PUBLIC_KEY_FILE);
            if (!force) {
                for (Path existing : List.of(privateFile, publicFile)) {
                    if (Files.exists(existing)) {
                        throw CliException.failed(
                                "key_exists",
                                ctx.display(existing) + " already exists; pass --force to replace the key pair "
                                        + "(apps that ship the old public key will refuse bundles signed with the new one)");
                    }
                }
            }
            Project.Config config = project.config(); // parse before writing anything: a broken config fails cleanly

            BundlePrivateKey key = BundlePrivateKey.generate();
            BundlePublicKey publicKey = key.publicKey();
            key.writePem(privateFile, force);
            Files.writeString(publicFile, publicKey.toPem(), StandardCharsets.US_ASCII);

            say("Private key saved in " + ctx.display(privateFile) + " (owner-only: keep it secret, never commit it)");
            say("Public key saved in " + ctx.display(publicFile));
            if (config != null) {
                if (config.setPublicKey(publicKey.toPem())) {
                    note("Removed the legacy v1 privateKey from " + Project.CONFIG_FILE
                            + " (plugin 8.x only uses publicKey)");
                }
                config.save();
                say("Public key saved in " + ctx.display(config.file()) + " (plugins.CapacitorUpdater.publicKey)");
            } else {
                warn(
                        "missing_config",
                        project.missingConfigHint()
                                + "; add the public key to the app with 'updraft key save' once it exists");
            }
            say("key_id: " + publicKey.keyId());
            warnIfNotIgnored(project);

            ObjectNode result = Json.object()
                    .put("privateKey", ctx.display(privateFile))
                    .put("publicKey", ctx.display(publicFile))
                    .put("config", config == null ? null : ctx.display(config.file()))
                    .put("keyId", publicKey.keyId());
            printJson(result);
        }

        /** The next key beside the current one; the current pair and the config are not touched. */
        private void rotate(Project project) throws IOException {
            Path current = project.file(Project.PRIVATE_KEY_FILE);
            Path currentPublic = project.file(Project.PUBLIC_KEY_FILE);
            if (!Files.isRegularFile(current)) {
                throw CliException.failed(
                        "missing_key",
                        "no current key at " + ctx.display(current)
                                + " to rotate from: 'updraft key create' makes the first one");
            }
            Path next = project.file(Project.NEXT_PRIVATE_KEY_FILE);
            Path nextPublic = project.file(Project.NEXT_PUBLIC_KEY_FILE);
            for (Path existing : List.of(next, nextPublic)) {
                if (Files.exists(existing)) {
                    throw CliException.failed(
                            "rotation_in_progress",
                            ctx.display(existing) + " already exists: a rotation is under way (finish it with "
                                    + "'updraft key delete_old'); it is never replaced");
                }
            }
            String currentKeyId =
                    Keys.privateKey(ctx, current.toString(), null).publicKey().keyId();
            BundlePrivateKey key = BundlePrivateKey.generate();
            while (key.publicKey().keyId().equals(currentKeyId)) {
                key = BundlePrivateKey.generate(); // devices tell keys apart by key_id alone
            }
            BundlePublicKey publicKey = key.publicKey();
            key.writePem(next, false);
            Files.writeString(nextPublic, publicKey.toPem(), StandardCharsets.US_ASCII);
            say("Next private key saved in " + ctx.display(next) + " (owner-only: keep it secret, never commit it)");
            say("Next public key saved in " + ctx.display(nextPublic));
            say("key_id: " + publicKey.keyId() + " (current key: " + currentKeyId + ")");
            List<String> steps = List.of(
                    "1. Ship the new public key in a native build: updraft key save --key "
                            + Project.NEXT_PUBLIC_KEY_FILE + " --force, then build and release the app to the stores.",
                    "2. Publish every release for both keys, so devices on either build update: updraft bundle upload "
                            + "--upload-file <zip> --upload-to <store> --key " + Project.PRIVATE_KEY_FILE + " --key "
                            + Project.NEXT_PRIVATE_KEY_FILE + " (the first --key is the variant for plugins that send "
                            + "no key id; 'updraft app set --default-key-id' picks another).",
                    "3. When no device runs the old build any more, retire the old key: updraft key delete_old --yes "
                            + "(the next key becomes " + Project.PRIVATE_KEY_FILE + ").");
            say("Next steps (docs/operations.md, \"Key rotation\"):");
            steps.forEach(step -> say("  " + step));
            warnIfNotIgnored(project);
            ObjectNode result = Json.object()
                    .put("privateKey", ctx.display(next))
                    .put("publicKey", ctx.display(nextPublic))
                    .put("keyId", publicKey.keyId())
                    .put("currentKeyId", currentKeyId);
            com.fasterxml.jackson.databind.node.ArrayNode stepsJson = result.putArray("steps");
            steps.forEach(stepsJson::add);
            printJson(result);
        }

        private void warnIfNotIgnored(Project project) throws IOException {
            Path gitignore = project.file(".gitignore");
            if (Files.isRegularFile(gitignore) && !Files.readString(gitignore).contains(Project.PRIVATE_KEY_FILE)) {
                warn(
                        "key_not_ignored",
                        ".gitignore does not list " + Project.PRIVATE_KEY_FILE
                                + ": add it so the private key is never committed");
            }
        }
    }

    @Command(
            name = "save",
            description = {
                "Put an existing public key into capacitor.config.json (plugins.CapacitorUpdater.publicKey).",
                "Accepts PKCS#1 (BEGIN RSA PUBLIC KEY) and SPKI (BEGIN PUBLIC KEY, as 'openssl rsa -pubout' writes) and always",
                "stores PKCS#1, the only form the plugin accepts. Without --key or --key-data it reads .capgo_key_v2.pub."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  updraft key save",
                "  updraft key save --key keys/app.pub",
                "  updraft key save --key-data \"$(cat public.pem)\""
            })
    public static final class Save extends BaseCommand {
        @ArgGroup(exclusive = true)
        Source source;

        static final class Source {
            @Option(
                    names = "--key",
                    paramLabel = "FILE",
                    description = "The public key file (default: .capgo_key_v2.pub in the project folder).")
            Path file;

            @Option(names = "--key-data", paramLabel = "PEM", description = "The public key PEM text itself.")
            String pem;
        }

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description = "The project folder whose config to update (default: the current folder).")
        Path dir;

        @Option(
                names = {"-f", "--force"},
                description = "Replace a different publicKey already in the config.")
        boolean force;

        @Override
        protected void run() throws IOException, CryptoException {
            Project project = new Project(dir == null ? ctx.cwd() : ctx.resolve(dir));
            BundlePublicKey key = readKey(project);
            Project.Config config = project.config();
            if (config == null) {
                throw CliException.failed(
                        "missing_config",
                        project.missingConfigHint() + "; the publicKey to put there is:\n"
                                + key.toPem().strip());
            }
            String existing = config.publicKey();
            if (existing != null && !force && !sameKey(existing, key)) {
                throw CliException.failed(
                        "public_key_exists",
                        ctx.display(config.file()) + " already has a different publicKey (key_id "
                                + BundlePublicKey.keyIdOf(existing) + "); pass --force to replace it");
            }
            if (key.readFrom() == KeyFormat.SPKI) {
                note(
                        "Converted the SPKI key (BEGIN PUBLIC KEY) to PKCS#1 (BEGIN RSA PUBLIC KEY), the only form the plugin accepts");
            }
            if (config.setPublicKey(key.toPem())) {
                note("Removed the legacy v1 privateKey from " + Project.CONFIG_FILE
                        + " (plugin 8.x only uses publicKey)");
            }
            config.save();
            say("Public key saved in " + ctx.display(config.file()) + " (plugins.CapacitorUpdater.publicKey)");
            say("key_id: " + key.keyId());
            printJson(Json.object()
                    .put("config", ctx.display(config.file()))
                    .put("keyId", key.keyId())
                    .put("converted", key.readFrom() != KeyFormat.PKCS1));
        }

        private BundlePublicKey readKey(Project project) throws IOException, CryptoException {
            if (source != null && source.pem != null) {
                return BundlePublicKey.fromPem(source.pem);
            }
            Path file = source != null && source.file != null
                    ? ctx.resolve(source.file)
                    : project.file(Project.PUBLIC_KEY_FILE);
            if (!Files.isRegularFile(file)) {
                throw CliException.failed(
                        "missing_key",
                        "no public key at " + ctx.display(file)
                                + (source == null
                                        ? ": run 'updraft key create', or pass --key FILE or --key-data PEM"
                                        : ""));
            }
            return BundlePublicKey.read(file);
        }

        private static boolean sameKey(String existingPem, BundlePublicKey key) {
            try {
                return BundlePublicKey.fromPem(existingPem).equals(key);
            } catch (CryptoException e) {
                return false; // an unreadable key in the config: replacing it needs --force like any other
            }
        }
    }
}
