package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code updraft stats}: installs, failures and devices per bundle version and per channel. */
@Command(name = "stats", description = {
    "Show installs, failures and devices per bundle version, and for the version each channel serves.",
    "Installs are 'set' events; failures are download, checksum, decrypt, unzip, set ... failures; devices are the",
    "distinct devices that reported anything for the version."},
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

    /** The failure actions of docs/admin-api.md, besides every {@code *_fail}. */
    private static final Set<String> OTHER_FAILURES = Set.of("session_key_required", "checksum_required", "insufficient_disk_space");

    private static String topFailure(JsonNode actions) {
        String top = "-";
        long most = 0;
        for (var it = actions.fields(); it.hasNext(); ) {
            var e = it.next();
            boolean failure = e.getKey().endsWith("_fail") || OTHER_FAILURES.contains(e.getKey());
            if (failure && e.getValue().asLong() > most) {
                most = e.getValue().asLong();
                top = e.getKey() + " (" + most + ")";
            }
        }
        return top;
    }
}
