package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.Json;
import dev.updraft.cli.Project;
import dev.updraft.cli.Updraft;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code updraft app add|list|delete}. */
@Command(name = "app", mixinStandardHelpOptions = true, versionProvider = Updraft.Version.class,
        description = "Manage the apps the server knows.",
        subcommands = {AppCommand.Add.class, AppCommand.ListApps.class, AppCommand.Delete.class})
public final class AppCommand extends Updraft.Group {

    @Command(name = "add", aliases = "a", description = "Register an app with the server (app id and name default to capacitor.config.json).",
            footerHeading = "%nExamples:%n", footer = {"  updraft app add", "  updraft app add com.example.app --name \"Example\""})
    public static final class Add extends AdminCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "APP_ID", description = "The app id, reverse-domain (default: appId of capacitor.config.json).")
        String appIdArg;

        @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "A display name (default: appName of capacitor.config.json).")
        String name;

        @Override
        protected void run() {
            String appId = appId(appIdArg);
            String displayName = name;
            if (displayName == null && appIdArg == null) {
                Project.Config config = project().config();
                displayName = config == null ? null : config.appName();
            }
            ObjectNode body = Json.object().put("app_id", appId);
            if (displayName != null) {
                body.put("name", displayName);
            }
            JsonNode app = client().post("apps", body);
            say("App " + appId + " added" + (app.hasNonNull("name") ? " (" + app.get("name").asText() + ")" : ""));
            printJson(app);
        }
    }

    @Command(name = "list", aliases = "l", description = "List the apps on the server.",
            footerHeading = "%nExamples:%n", footer = {"  updraft app list", "  updraft app list --json"})
    public static final class ListApps extends AdminCommand {
        @Mixin
        ListOptions listing;

        @Override
        protected void run() {
            JsonNode apps = list("apps", listing, "apps");
            printJson(apps);
            if (apps.isEmpty()) {
                say("No apps yet (updraft app add registers one)");
                return;
            }
            table(rows(new String[] {"APP_ID", "NAME", "CREATED"}, apps,
                    a -> new String[] {cell(a.get("app_id")), cell(a.get("name")), cell(a.get("created_at"))}));
        }
    }

    @Command(name = "delete", aliases = "d", description = "Delete an app and everything the server holds for it: bundles, channels, overrides, devices, stats.",
            footerHeading = "%nExamples:%n", footer = {"  updraft app delete com.example.app"})
    public static final class Delete extends AdminCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "APP_ID", description = "The app id (default: appId of capacitor.config.json).")
        String appIdArg;

        @Override
        protected void run() {
            String appId = appId(appIdArg);
            client().delete(appPath(appId));
            say("App " + appId + " deleted with its bundles, channels, overrides, devices and stats");
            printJson(Json.object().put("app_id", appId).put("deleted", true));
        }
    }
}
