package dev.updraft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.protocol.Identifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every leaf command shares: the {@link Context} it runs in, {@code --json}, and the way it talks to the
 * user (results on stdout, notes and warnings on stderr, nothing on stdout but the JSON document with {@code --json}).
 */
@Command(sortOptions = false)
public abstract class BaseCommand implements Callable<Integer> {
    /** Set by {@link Updraft}'s factory before the command runs. */
    protected Context ctx;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--json",
            description =
                    "Machine-readable output: a JSON document on stdout, errors as {\"error\": CODE, \"message\": TEXT} on stderr; no progress.")
    boolean json;

    @Override
    public final Integer call() throws Exception {
        run();
        ctx.out().flush();
        ctx.err().flush();
        return ExitCode.OK;
    }

    /** The command's work; throws {@link CliException} (or crypto-core's exceptions) to fail. */
    protected abstract void run() throws Exception;

    public boolean jsonMode() {
        return json;
    }

    /** A result line for a person: stdout, not in JSON mode. */
    protected void say(String line) {
        if (!json) {
            ctx.out().println(line);
        }
    }

    /** A side note for a person (what was done besides the result): stderr, not in JSON mode. */
    protected void note(String line) {
        if (!json) {
            ctx.err().println(line);
        }
    }

    /** Something the user should know even though the command succeeds: stderr, as a JSON line in JSON mode. */
    protected void warn(String code, String message) {
        if (json) {
            ObjectNode w = Json.object().put("warning", code).put("message", message);
            ctx.err().println(Json.compact(w));
        } else {
            ctx.err().println("warning: " + message);
        }
    }

    /** The JSON result document on stdout (JSON mode only). */
    protected void printJson(JsonNode node) {
        if (json) {
            ctx.out().println(Json.pretty(node));
        }
    }

    protected Project project() {
        return new Project(ctx.cwd());
    }

    protected Progress progress(String label, long total) {
        return Progress.of(ctx, json, label, total);
    }

    /** The app id from the argument, else {@code appId} of capacitor.config.json; it must be a valid app id. */
    protected String appId(String argument) {
        if (argument != null && !argument.isBlank()) {
            return Identifiers.require(Identifier.APP_ID, argument, "APP_ID");
        }
        Project.Config config = project().config();
        if (config != null && config.appId() != null) {
            return Identifiers.require(Identifier.APP_ID, config.appId(), "appId of " + Project.CONFIG_FILE);
        }
        throw CliException.usage(
                "missing_app_id",
                "no app id: pass it as an argument (e.g. com.example.app) or run in a project whose "
                        + Project.CONFIG_FILE + " has an appId");
    }

    /**
     * The bundle version: {@code --bundle}, else {@code version} of package.json, else
     * {@code plugins.CapacitorUpdater.version} of the config; it must be semver.
     */
    protected String bundleVersion(String flag, Path packageJson) {
        String version = flag;
        if (version == null) {
            Project project = project();
            version = project.packageVersion(packageJson);
            Project.Config config = version == null ? project.config() : null;
            version = config != null ? config.updaterVersion() : version;
        }
        if (version == null) {
            throw CliException.usage(
                    "missing_bundle_version",
                    "no bundle version: pass --bundle VERSION (or run where package.json has a version)");
        }
        return Identifiers.require(
                Identifier.BUNDLE_VERSION, version, flag != null ? "--bundle" : "the project's version");
    }

    /** An existing regular file the user named, or a one-line failure with {@code code}. */
    protected Path existingFile(String userPath, String code, String what) {
        Path file = ctx.resolve(userPath);
        if (!Files.exists(file)) {
            throw CliException.failed(code, what + " " + userPath + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw CliException.failed(code, what + " " + userPath + " is not a file");
        }
        return file;
    }
}
