package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.protocol.StatsAction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code updraft stats}: installs, failures and devices per bundle version and per channel. */
@Command(
        name = "stats",
        description = {
            "Show installs, failures and devices per bundle version, and for the version each channel serves.",
            "Installs are 'set' events; failures are the plugin's failure events (download, verify, unzip, set, rollback and",
            "delta-file failures; see docs/protocol.md); devices are the distinct devices that reported anything for the",
            "version. TOP FAILURE is the version's most frequent failure event. Failures that the plugin reports with the",
            "running bundle count for the release the server last offered that device (docs/protocol.md §3.7)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  updraft stats",
            "  updraft stats com.example.app --json",
            "  updraft stats --bundle 1.0.3",
            "  updraft stats --bundle 1.0.3 --hourly --channel production --hours 24"
        })
public final class StatsCommand extends AdminCommand {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "APP_ID",
            description = "The app id (default: appId of capacitor.config.json).")
    String appIdArg;

    @picocli.CommandLine.Option(
            names = "--bundle",
            paramLabel = "VERSION",
            description =
                    "Show one release's funnel in devices: offered, downloaded, installed, confirmed, rolled back, failed by stage.")
    String bundle;

    @picocli.CommandLine.Option(
            names = "--hourly",
            description = "With --bundle: the funnel per UTC hour (hours without events are left out).")
    boolean hourly;

    @picocli.CommandLine.Option(
            names = "--channel",
            paramLabel = "CHANNEL",
            description = "With --hourly: only devices the release was offered to on this channel.")
    String channel;

    @picocli.CommandLine.Option(
            names = "--hours",
            paramLabel = "N",
            defaultValue = "48",
            description = "With --hourly: the last N hours, 1 to 744 (default: ${DEFAULT-VALUE}).")
    int hours;

    @Override
    protected void run() {
        String appId = appId(appIdArg);
        if (bundle != null) {
            dev.updraft.cli.Identifiers.require(dev.updraft.protocol.Identifier.BUNDLE_VERSION, bundle, "--bundle");
        }
        if ((hourly || channel != null) && bundle == null) {
            throw dev.updraft.cli.CliException.usage(
                    "bundle_required", "--hourly and --channel show one release: add --bundle VERSION");
        }
        if (channel != null && !hourly) {
            throw dev.updraft.cli.CliException.usage(
                    "hourly_required", "--channel narrows the hourly funnel: add --hourly");
        }
        if (hourly) {
            if (channel != null) {
                dev.updraft.cli.Identifiers.require(dev.updraft.protocol.Identifier.CHANNEL_NAME, channel, "--channel");
            }
            if (hours < 1 || hours > 744) {
                throw dev.updraft.cli.CliException.usage("invalid_hours", "--hours is 1 to 744, not " + hours);
            }
            hourly(appId);
            return;
        }
        JsonNode stats = client().get(appPath(appId, "stats"));
        JsonNode versions = stats.path("versions");
        if (bundle != null) {
            funnel(appId, versions);
            return;
        }
        printJson(stats);
        if (versions.isEmpty()) {
            say("No stats for " + appId + " yet: devices have not reported anything");
            return;
        }
        table(rows(
                new String[] {"VERSION", "INSTALLS", "FAILURES", "DEVICES", "TOP FAILURE"},
                versions,
                v -> new String[] {
                    cell(v.get("version")),
                    cell(v.get("installs")),
                    cell(v.get("failures")),
                    cell(v.get("devices")),
                    topFailure(v.path("actions"))
                }));
        JsonNode channels = stats.path("channels");
        if (!channels.isEmpty()) {
            say("");
            table(rows(
                    new String[] {"CHANNEL", "VERSION", "INSTALLS", "FAILURES", "DEVICES"},
                    channels,
                    c -> new String[] {
                        cell(c.get("channel")),
                        cell(c.get("version")),
                        cell(c.get("installs")),
                        cell(c.get("failures")),
                        cell(c.get("devices"))
                    }));
        }
    }

    /** {@code --bundle V}: the release's funnel (docs/operations.md, "Watching releases"). */
    private void funnel(String appId, JsonNode versions) {
        JsonNode release = null;
        for (JsonNode v : versions) {
            if (bundle.equals(v.path("version").asText())) {
                release = v;
            }
        }
        if (release == null) {
            throw new dev.updraft.cli.CliException(
                    dev.updraft.cli.ExitCode.REFUSED,
                    "bundle_not_found",
                    "no stats for " + bundle + " in " + appId + ": no device was offered it or reported it");
        }
        JsonNode f = release.path("funnel");
        printJson(release);
        String[][] steps = {
            {"offered", "offered"},
            {"download started", "download_started"},
            {"downloaded", "downloaded"},
            {"installed (set)", "installed"},
            {"confirmed (notifyAppReady)", "confirmed"},
            {"rolled back", "rolled_back"},
            {"failed", "failed"}
        };
        java.util.List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[] {"STEP", "DEVICES"});
        for (String[] step : steps) {
            rows.add(new String[] {step[0], f.path(step[1]).asText("0")});
        }
        f.path("failed_by_stage").fields().forEachRemaining(e -> {
            if (e.getValue().asLong() > 0) {
                rows.add(new String[] {"  failed at " + e.getKey(), e.getValue().asText()});
            }
        });
        rows.add(new String[] {
            "failure rate",
            String.format(
                    java.util.Locale.ROOT,
                    "%.1f%%",
                    100 * f.path("failure_rate").asDouble())
        });
        say(bundle + " in " + appId + ", counted in devices:");
        table(rows);
    }

    /** {@code --bundle V --hourly}: the release's funnel per UTC hour (docs/admin-api.md, "Hourly funnel"). */
    private void hourly(String appId) {
        String query = "?version=" + java.net.URLEncoder.encode(bundle, java.nio.charset.StandardCharsets.UTF_8)
                + "&hours=" + hours
                + (channel == null
                        ? ""
                        : "&channel=" + java.net.URLEncoder.encode(channel, java.nio.charset.StandardCharsets.UTF_8));
        JsonNode series = client().get(appPath(appId, "stats", "hourly") + query);
        printJson(series);
        String scope = bundle + " in " + appId + (channel == null ? "" : " on " + channel);
        if (series.path("hours").isEmpty()) {
            say("No events for " + scope + " in the last " + hours + " hours");
            return;
        }
        say(scope + " per hour (UTC), counted in devices:");
        table(rows(
                new String[] {
                    "HOUR", "OFFERED", "STARTED", "DOWNLOADED", "INSTALLED", "CONFIRMED", "ROLLED BACK", "FAILED"
                },
                series.path("hours"),
                h -> new String[] {
                    cell(h.get("hour")),
                    cell(h.get("offered")),
                    cell(h.get("download_started")),
                    cell(h.get("downloaded")),
                    cell(h.get("installed")),
                    cell(h.get("confirmed")),
                    cell(h.get("rolled_back")),
                    cell(h.get("failed"))
                }));
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
