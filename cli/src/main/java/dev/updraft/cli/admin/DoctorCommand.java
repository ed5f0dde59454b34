package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.ExitCode;
import dev.updraft.cli.Identifiers;
import dev.updraft.cli.Json;
import dev.updraft.cli.Keys;
import dev.updraft.cli.Project;
import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.protocol.Identifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code updraft doctor}: checks what publishing needs, one line per check, in order: the project's config, its key,
 * the server, the app, the channel. A check that cannot run because an earlier one failed is skipped. Exits with the
 * first failure's exit code and one line on stderr saying which checks failed.
 */
@Command(
        name = "doctor",
        description = {
            "Check the project and the server, one line per check.",
            "Checks capacitor.config.json (appId), the key (the private key matches the config's publicKey; a rotation's next",
            "key), the server (reachable, the API key accepted), the app, and the channel (exists, and what it serves). Exits",
            "non-zero, with the first failed check's exit code, when a check fails."
        },
        footerHeading = "%nExamples:%n",
        footer = {"  updraft doctor", "  updraft doctor --channel beta --json"})
public final class DoctorCommand extends AdminCommand {
    @Option(
            names = {"-c", "--channel"},
            paramLabel = "NAME",
            defaultValue = UploadCommand.DEFAULT_CHANNEL,
            description = "The channel to check (default: ${DEFAULT-VALUE}).")
    String channel;

    @Option(
            names = "--app",
            paramLabel = "APP_ID",
            description = "The app id (default: appId of capacitor.config.json).")
    String appIdArg;

    private record Check(String name, String status, String message, int exitCode) {}

    private final List<Check> checks = new ArrayList<>();
    private String appId;

    @Override
    protected void run() {
        check("config", ExitCode.FAILED, this::config);
        check("key", ExitCode.FAILED, this::key);
        String server = check("server", 0, this::server);
        String app = server == null || appId == null
                ? skip("app", "needs the config and the server")
                : check("app", 0, () -> {
                    var a = client().get(appPath(appId));
                    return "app " + appId + " (" + a.path("name").asText(appId) + ")";
                });
        if (app == null) {
            skip("channel", "needs the app");
        } else {
            check("channel", 0, () -> {
                Identifiers.require(Identifier.CHANNEL_NAME, channel, "--channel");
                var c = client().get(appPath(appId, "channels", channel));
                String bundle = c.path("bundle").isTextual() ? c.get("bundle").asText() : "builtin";
                return "channel " + channel + " serves " + bundle
                        + (c.path("public").asBoolean() ? " (public)" : "");
            });
        }
        ObjectNode result = Json.object();
        ArrayNode list = result.putArray("checks");
        List<String> failed = new ArrayList<>();
        int exit = ExitCode.OK;
        for (Check c : checks) {
            list.addObject().put("check", c.name()).put("status", c.status()).put("message", c.message());
            if (c.status().equals("fail")) {
                failed.add(c.name());
                exit = exit == ExitCode.OK ? c.exitCode() : exit;
            }
        }
        result.put("ok", failed.isEmpty());
        printJson(result);
        if (!failed.isEmpty()) {
            throw new CliException(
                    exit, "doctor_failed", failed.size() + " check(s) failed: " + String.join(", ", failed));
        }
    }

    private interface Step {
        String run();
    }

    /** Runs one check and prints its line; returns its message, or null when it failed. */
    private String check(String name, int exitCode, Step step) {
        try {
            String message = step.run();
            add(new Check(name, "ok", message, 0));
            return message;
        } catch (CliException e) {
            add(new Check(name, "fail", e.getMessage(), exitCode == 0 ? e.exitCode() : exitCode));
            return null;
        }
    }

    private String skip(String name, String why) {
        add(new Check(name, "skip", why, 0));
        return null;
    }

    private void add(Check c) {
        checks.add(c);
        say(String.format("%-4s  %-7s  %s", c.status(), c.name(), c.message()));
    }

    private String config() {
        Project.Config config = project().config();
        if (config == null) {
            throw CliException.failed("missing_config", project().missingConfigHint());
        }
        appId = appId(appIdArg);
        return appIdArg != null ? "app id " + appId + " (--app)" : Project.CONFIG_FILE + ": app id " + appId;
    }

    private String key() {
        Keys.Located configured = Keys.publicKey(ctx, null, null);
        boolean hasPrivate = Files.isRegularFile(project().file(Project.PRIVATE_KEY_FILE));
        if (configured == null) {
            return hasPrivate
                    ? "warning: " + Project.PRIVATE_KEY_FILE + " but no publicKey in " + Project.CONFIG_FILE
                            + ": devices would not decrypt (updraft key save)"
                    : "no key: bundles are not encrypted (updraft key create makes one)";
        }
        String keyId = configured.key().keyId();
        BundlePublicKey current = hasPrivate
                ? Keys.privateKey(ctx, Project.PRIVATE_KEY_FILE, null).publicKey()
                : null;
        BundlePublicKey next = Files.isRegularFile(project().file(Project.NEXT_PRIVATE_KEY_FILE))
                ? Keys.privateKey(ctx, Project.NEXT_PRIVATE_KEY_FILE, null).publicKey()
                : null;
        String rotation = next == null
                ? ""
                : "; rotation under way: next key " + next.keyId() + " (publish with --key " + Project.PRIVATE_KEY_FILE
                        + " --key " + Project.NEXT_PRIVATE_KEY_FILE + ")";
        if (configured.key().equals(current) || configured.key().equals(next)) {
            return "publicKey " + keyId + " (" + configured.source() + ") matches "
                    + (configured.key().equals(current) ? Project.PRIVATE_KEY_FILE : Project.NEXT_PRIVATE_KEY_FILE)
                    + rotation;
        }
        throw CliException.failed(
                "key_mismatch",
                "the publicKey " + keyId + " (" + configured.source() + ") matches no private key here ("
                        + Project.PRIVATE_KEY_FILE + (current == null ? " missing" : " is " + current.keyId())
                        + "): bundles encrypted here would not decrypt on devices");
    }

    private String server() {
        ServerSettings settings = settings();
        client().get("apps?limit=1");
        return settings.server() + " answers, the API key is accepted";
    }
}
