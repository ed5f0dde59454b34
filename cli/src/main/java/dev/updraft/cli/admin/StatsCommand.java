package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.protocol.StatsAction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code updraft stats}: installs, failures and devices per bundle version and per channel. */
@Command(name = "stats", description = {
    "Show installs, failures and devices per bundle version, and for the version each channel serves.",
    "Installs are 'set' events; failures are the plugin's failure events (download, verify, unzip, set, rollback and",
    "delta-file failures; see docs/protocol.md); devices are the distinct devices that reported anything for the",
    "version. TOP FAILURE is the version's most frequent failure event."},
        footerHeading = "%nExamples:%n", footer = {"  updraft stats", "  updraft stats com.example.app --json"})
public final class StatsCommand extends AdminCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "APP_ID", description = "The app id (default: appId of capacitor.config.json).")
    String appIdArg;

    @Override
    protected void run() {
        String appId = appId(appIdArg);
        JsonNode stats = client().get(appPath(appId, "stats"));
        printJson(stats);
        JsonNode versions = stats.path("versions");
        if (versions.isEmpty()) {
            say("No stats for " + appId + " yet: devices have not reported anything");
            return;
        }
        table(rows(new String[] {"VERSION", "INSTALLS", "FAILURES", "DEVICES", "TOP FAILURE"}, versions, v -> new String[] {
            cell(v.get("version")), cell(v.get("installs")), cell(v.get("failures")), cell(v.get("devices")), topFailure(v.path("actions"))}));
        JsonNode channels = stats.path("channels");
        if (!channels.isEmpty()) {
            say("");
            table(rows(new String[] {"CHANNEL", "VERSION", "INSTALLS", "FAILURES", "DEVICES"}, channels, c -> new String[] {
                cell(c.get("channel")), cell(c.get("version")), cell(c.get("installs")), cell(c.get("failures")), cell(c.get("devices"))}));
        }
    }

    /** The most frequent failure among a version's actions; which actions are failures is the protocol's catalogue. */
    private static String topFailure(JsonNode actions) {
        String top = "-";
        long most = 0;
        for (var it = actions.fields(); it.hasNext(); ) {
            var e = it.next();
            if (StatsAction.isFailure(e.getKey()) && e.getValue().asLong() > most) {
                most = e.getValue().asLong();
                top = e.getKey() + " (" + most + ")";
            }
        }
        return top;
    }
}
