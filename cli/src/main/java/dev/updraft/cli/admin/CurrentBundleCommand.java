package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.cli.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code updraft channel currentBundle}: the bundle a channel serves, as Capgo's command of that name prints it. */
@Command(
        name = "currentBundle",
        description = {
            "Print the bundle version a channel serves (\"builtin\" for the app's built-in bundle), and its rollout if one runs."
        },
        footerHeading = "%nExamples:%n",
        footer = {"  updraft channel currentBundle production", "  updraft channel currentBundle production --json"})
public final class CurrentBundleCommand extends AdminCommand {
    @Mixin
    ChannelCommand.Target target;

    @Override
    protected void run() {
        String name = target.channel();
        String appId = appId(target.appIdArg);
        JsonNode channel = client().get(appPath(appId, "channels", name));
        String bundle =
                channel.path("bundle").isTextual() ? channel.get("bundle").asText() : "builtin";
        String rollout = channel.path("rollout_version").isTextual()
                        && channel.path("rollout_enabled").asBoolean()
                ? channel.get("rollout_version").asText()
                : null;
        say(bundle);
        if (rollout != null) {
            note("rollout: " + rollout + " to "
                    + ChannelCommand.percent(
                            channel.path("rollout_percentage_bps").asInt()) + "% of the channel's devices");
        }
        printJson(Json.object()
                .put("app_id", appId)
                .put("channel", name)
                .put("bundle", bundle)
                .put("rollout_version", rollout));
    }
}
