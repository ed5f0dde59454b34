package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code updraft bundle cleanup}: delete an app's old bundles, keeping the newest N and every bundle a channel points
 * at (its bundle or its rollout). The server refuses to delete a bundle in use as well; this never asks it to.
 */
@Command(
        name = "cleanup",
        description = {
            "Delete an app's old bundles from the server, keeping the newest and every bundle a channel serves.",
            "Keeps the --keep newest (by registration) besides those a channel serves (its bundle or its rollout). Lists what it",
            "would delete; deletes only with --yes. Files on your storage stay."
        },
        footerHeading = "%nExamples:%n",
        footer = {"  updraft bundle cleanup --keep 4", "  updraft bundle cleanup com.example.app --keep 2 --yes"})
public final class CleanupCommand extends AdminCommand {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "APP_ID",
            description = "The app id (default: appId of capacitor.config.json).")
    String appIdArg;

    @Option(
            names = {"-k", "--keep"},
            paramLabel = "N",
            defaultValue = "4",
            description = "How many of the newest bundles to keep (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(
            names = {"--yes", "-f", "--force"},
            description = "Really delete (without it the command only lists what it would delete).")
    boolean yes;

    @Mixin
    ListOptions listing;

    @Override
    protected void run() {
        if (keep < 0) {
            throw CliException.usage("invalid_keep", "--keep must be 0 or more");
        }
        String appId = appId(appIdArg);
        ListOptions all = new ListOptions(); // limit 0: every bundle and channel, whatever --limit says
        JsonNode bundles = list(appPath(appId, "bundles"), all, "bundles"); // newest first
        Set<String> inUse = new HashSet<>();
        for (JsonNode c : list(appPath(appId, "channels"), all, "channels")) {
            for (String field : List.of("bundle", "rollout_version")) {
                if (c.path(field).isTextual()) {
                    inUse.add(c.get(field).asText());
                }
            }
        }
        List<String> doomed = new ArrayList<>();
        int kept = 0;
        for (JsonNode b : bundles) {
            String version = b.path("version").asText();
            if (inUse.contains(version)) {
                continue; // kept, and not counted against --keep: a channel needs it
            }
            if (kept < keep) {
                kept++;
                continue;
            }
            doomed.add(version);
        }
        ObjectNode result = Json.object().put("app_id", appId).put("deleted", yes);
        ArrayNode versions = result.putArray("bundles");
        doomed.forEach(versions::add);
        if (doomed.isEmpty()) {
            say("Nothing to delete: " + appId + " has " + bundles.size() + " bundles, " + inUse.size()
                    + " served by a channel");
            printJson(result);
            return;
        }
        if (!yes) {
            say("Would delete " + doomed.size() + " bundles of " + appId + ": " + String.join(", ", doomed));
            note("Pass --yes to delete them (channels' bundles and the " + keep + " newest others stay)");
            printJson(result);
            return;
        }
        for (String version : doomed) {
            client().delete(appPath(appId, "bundles", version));
            say("Deleted bundle " + version);
        }
        printJson(result);
    }
}
