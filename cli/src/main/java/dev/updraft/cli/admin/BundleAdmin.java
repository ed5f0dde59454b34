package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.cli.Identifiers;
import dev.updraft.cli.Json;
import dev.updraft.protocol.Identifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code updraft bundle list} and {@code updraft bundle delete}. */
public final class BundleAdmin {
    private BundleAdmin() {}

    /** The key ids a registered bundle is encrypted for: its own and its variants' (docs/admin-api.md, "Key variants"). */
    public static java.util.List<String> keyIds(JsonNode bundle) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        if (bundle.path("key_id").isTextual()) {
            ids.add(bundle.get("key_id").asText());
        }
        bundle.path("variants").forEach(v -> ids.add(v.path("key_id").asText()));
        return ids;
    }

    @Command(
            name = "list",
            aliases = "l",
            description = "List the bundles registered for an app, newest first.",
            footerHeading = "%nExamples:%n",
            footer = {"  updraft bundle list", "  updraft bundle list com.example.app --json"})
    public static final class ListCommand extends AdminCommand {
        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "APP_ID",
                description = "The app id (default: appId of capacitor.config.json).")
        String appIdArg;

        @Mixin
        ListOptions listing;

        @Override
        protected void run() {
            String appId = appId(appIdArg);
            JsonNode bundles = list(appPath(appId, "bundles"), listing, "bundles");
            printJson(bundles);
            if (bundles.isEmpty()) {
                say("No bundles for " + appId + " yet (updraft bundle upload registers one)");
                return;
            }
            table(rows(new String[] {"VERSION", "ENCRYPTED", "KEY_ID", "CREATED", "URL"}, bundles, b -> new String[] {
                cell(b.get("version")),
                b.path("encrypted").asBoolean() ? "yes" : "no",
                b.path("encrypted").asBoolean() ? String.join(",", keyIds(b)) : "-",
                cell(b.get("created_at")),
                cell(b.get("external_url"))
            }));
        }
    }

    @Command(
            name = "delete",
            aliases = "d",
            description = {
                "Delete a bundle from the server (the file on your storage stays). Refused while a channel points at it.",
                "A deleted version name is never reused."
            },
            footerHeading = "%nExamples:%n",
            footer = {"  updraft bundle delete 1.0.1", "  updraft bundle delete 1.0.1 com.example.app"})
    public static final class DeleteCommand extends AdminCommand {
        @Parameters(index = "0", paramLabel = "VERSION", description = "The bundle version to delete.")
        String version;

        @Parameters(
                index = "1",
                arity = "0..1",
                paramLabel = "APP_ID",
                description = "The app id (default: appId of capacitor.config.json).")
        String appIdArg;

        @Override
        protected void run() {
            Identifiers.require(Identifier.BUNDLE_VERSION, version, "VERSION");
            String appId = appId(appIdArg);
            client().delete(appPath(appId, "bundles", version));
            say("Bundle " + version + " deleted from " + appId);
            printJson(Json.object().put("app_id", appId).put("bundle", version).put("deleted", true));
        }
    }
}
