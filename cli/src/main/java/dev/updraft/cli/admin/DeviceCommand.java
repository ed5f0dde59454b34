package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.cli.Identifiers;
import dev.updraft.cli.Json;
import dev.updraft.protocol.Identifier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code updraft device list|override}. */
@Command(
        name = "device",
        description = "See the devices the server has met, and pin a device to a channel.",
        subcommands = {DeviceCommand.ListDevices.class, DeviceCommand.SetOverride.class})
public final class DeviceCommand {

    @Command(
            name = "list",
            aliases = "l",
            description = {
                "List the devices seen by /updates, /stats and /channel_self, by device id.",
                "The server forgets devices it has not seen for its retention period (90 days unless its operator chose otherwise)."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  updraft device list",
                "  updraft device list com.example.app --json",
                "  updraft device list --limit 0   # every device, however many"
            })
    public static final class ListDevices extends AdminCommand {
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
            JsonNode devices = list(appPath(appId, "devices"), listing, "devices");
            printJson(devices);
            if (devices.isEmpty()) {
                say("No devices have contacted the server for " + appId + " yet");
                return;
            }
            table(rows(
                    new String[] {
                        "DEVICE_ID", "PLATFORM", "BUNDLE", "NATIVE", "PLUGIN", "BUILD", "OVERRIDE", "LAST_SEEN"
                    },
                    devices,
                    d -> new String[] {
                        cell(d.get("device_id")),
                        cell(d.get("platform")),
                        cell(d.get("version_name")),
                        cell(d.get("version_build")),
                        cell(d.get("plugin_version")),
                        (d.path("is_prod").asBoolean(true) ? "prod" : "dev")
                                + (d.path("is_emulator").asBoolean() ? "/emulator" : ""),
                        cell(d.get("channel_override")),
                        cell(d.get("last_seen"))
                    }));
        }
    }

    @Command(
            name = "override",
            description = {
                "Pin a device to a channel (it then gets that channel's bundle whatever its defaults), or remove the pin.",
                "Works for devices the server has not seen yet."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  updraft device override 9f1c7a52-0000-4000-8000-1234567890ab --channel beta",
                "  updraft device override 9f1c7a52-0000-4000-8000-1234567890ab --remove"
            })
    public static final class SetOverride extends AdminCommand {
        @Parameters(index = "0", paramLabel = "DEVICE_ID", description = "The device id (the plugin's device_id).")
        String deviceId;

        @Parameters(
                index = "1",
                arity = "0..1",
                paramLabel = "APP_ID",
                description = "The app id (default: appId of capacitor.config.json).")
        String appIdArg;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Action action;

        static final class Action {
            @Option(
                    names = {"-c", "--channel"},
                    paramLabel = "NAME",
                    required = true,
                    description = "Pin the device to this channel.")
            String channel;

            @Option(names = "--remove", required = true, description = "Remove the device's override.")
            boolean remove;
        }

        @Override
        protected void run() {
            Identifiers.require(Identifier.DEVICE_ID, deviceId, "DEVICE_ID");
            if (action.channel != null) {
                Identifiers.require(Identifier.CHANNEL_NAME, action.channel, "--channel");
            }
            String appId = appId(appIdArg);
            String path = appPath(appId, "devices", deviceId, "override");
            if (action.remove) {
                client().delete(path);
                say("Override removed: device " + deviceId + " gets its channel the usual way again");
                printJson(Json.object().put("device_id", deviceId).put("channel", (String) null));
            } else {
                JsonNode result = client().put(path, Json.object().put("channel", action.channel));
                say("Device " + deviceId + " pinned to channel " + action.channel);
                printJson(result);
            }
        }
    }
}
