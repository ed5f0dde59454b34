package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.Identifiers;
import dev.updraft.cli.Json;
import dev.updraft.protocol.Identifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code updraft channel add|set|list|delete}. */
@Command(name = "channel",
        description = "Manage channels: which bundle devices get, on which platforms and builds.",
        subcommands = {ChannelCommand.Add.class, ChannelCommand.Set.class, ChannelCommand.ListChannels.class, ChannelCommand.Delete.class})
public final class ChannelCommand {

    /** What a channel says to devices; every option is left unchanged when not given. */
    static final class Settings {
        @Option(names = {"-b", "--bundle"}, paramLabel = "VERSION", description = "The bundle devices on this channel get; 'builtin' for the app's built-in bundle.")
        String bundle;

        @Option(names = "--public", negatable = true, description = "Devices without an override or a valid defaultChannel get this channel (one per platform).")
        Boolean isPublic;

        @Option(names = "--state", paramLabel = "default|normal", description = "Capgo's spelling of --public (default) / --no-public (normal).")
        String state;

        @Option(names = "--self-assign", negatable = true, description = "Devices may pick this channel themselves (setChannel, defaultChannel).")
        Boolean selfAssign;

        @Option(names = "--platforms", paramLabel = "LIST", split = ",", description = "Serve exactly these platforms: ios, android, electron (comma-separated).")
        List<String> platforms;

        @Option(names = "--ios", negatable = true, description = "Serve iOS devices.")
        Boolean ios;

        @Option(names = "--android", negatable = true, description = "Serve Android devices.")
        Boolean android;

        @Option(names = "--electron", negatable = true, description = "Serve Electron apps.")
        Boolean electron;

        @Option(names = "--dev", negatable = true, description = "Serve debug builds (is_prod=false).")
        Boolean dev;

        @Option(names = "--prod", negatable = true, description = "Serve store builds (is_prod=true).")
        Boolean prod;

        @Option(names = "--device", negatable = true, description = "Serve physical devices.")
        Boolean device;

        @Option(names = "--emulator", negatable = true, description = "Serve emulators and simulators.")
        Boolean emulator;

        @Option(names = "--disable-auto-update", paramLabel = "LEVEL",
                description = "Block updates crossing this semver level of the native version: none, major, minor, patch, version_number.")
        String disableAutoUpdate;

        @Option(names = "--disable-auto-update-under-native", negatable = true,
                description = "Refuse bundles older than the native version (downgrade protection; the server's default is on).")
        Boolean underNative;

        @Option(names = "--builtin-target", paramLabel = "reset|keep",
                description = "With --bundle builtin, what devices on a downloaded bundle get: reset (go back to the built-in bundle, the default) or keep (already_on_builtin: they keep their bundle).")
        String builtinTarget;

        @Option(names = "--downgrade", negatable = true, description = "Capgo's spelling: --downgrade allows bundles under the native version (= --no-disable-auto-update-under-native).")
        Boolean downgrade;

        /** The fields to send, as {@code ChannelIn} of docs/admin-api.md. */
        ObjectNode toJson() {
            ObjectNode body = Json.object();
            if (bundle != null) {
                if ("builtin".equals(bundle)) {
                    body.putNull("bundle");
                } else {
                    body.put("bundle", Identifiers.require(Identifier.BUNDLE_VERSION, bundle, "--bundle"));
                }
            }
            Boolean publicFlag = isPublic;
            if (state != null) {
                switch (state.toLowerCase(Locale.ROOT)) {
                    case "default" -> publicFlag = true;
                    case "normal" -> publicFlag = false;
                    default -> throw CliException.usage("invalid_state", "--state is 'default' or 'normal', not '" + state + "'");
                }
            }
            put(body, "public", publicFlag);
            put(body, "allow_device_self_set", selfAssign);
            if (platforms != null) {
                List<String> known = List.of("ios", "android", "electron");
                List<String> wanted = new ArrayList<>();
                for (String p : platforms) {
                    String platform = p.strip().toLowerCase(Locale.ROOT);
                    if (!known.contains(platform)) {
                        throw CliException.usage("invalid_platform", "--platforms takes ios, android and electron, not '" + p + "'");
                    }
                    wanted.add(platform);
                }
                known.forEach(platform -> body.put(platform, wanted.contains(platform)));
            }
            put(body, "ios", ios);
            put(body, "android", android);
            put(body, "electron", electron);
            put(body, "allow_dev", dev);
            put(body, "allow_prod", prod);
            put(body, "allow_device", device);
            put(body, "allow_emulator", emulator);
            if (disableAutoUpdate != null) {
                String level = disableAutoUpdate.toLowerCase(Locale.ROOT);
                level = "metadata".equals(level) ? "version_number" : level;
                if (!List.of("none", "major", "minor", "patch", "version_number").contains(level)) {
                    throw CliException.usage("invalid_disable_auto_update", "--disable-auto-update is none, major, minor, patch or version_number, not '"
                            + disableAutoUpdate + "'");
                }
                body.put("disable_auto_update", level);
            }
            if (underNative != null && downgrade != null && underNative == downgrade) {
                throw CliException.usage("conflicting_options", "--downgrade and --disable-auto-update-under-native say opposite things; pass one");
            }
            put(body, "disable_auto_update_under_native", underNative != null ? underNative : downgrade == null ? null : !downgrade);
            if (builtinTarget != null) {
                String target = builtinTarget.toLowerCase(Locale.ROOT);
                if (!List.of("reset", "keep").contains(target)) {
                    throw CliException.usage("invalid_builtin_target", "--builtin-target is reset or keep, not '" + builtinTarget + "'");
                }
                body.put("builtin_target", target);
            }
            return body;
        }

        private static void put(ObjectNode body, String field, Boolean value) {
            if (value != null) {
                body.put(field, value);
            }
        }
    }

    @Command(name = "add", aliases = "create", abbreviateSynopsis = true, description = "Create a channel (optionally pointing at a bundle, public, self-assignable).",
            footerHeading = "%nExamples:%n", footer = {"  updraft channel add beta --self-assign", "  updraft channel add production com.example.app --default --bundle 1.0.1"})
    public static final class Add extends AdminCommand {
        @Parameters(index = "0", paramLabel = "CHANNEL", description = "The channel name.")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "APP_ID", description = "The app id (default: appId of capacitor.config.json).")
        String appIdArg;

        @Option(names = "--default", description = "Make it the public (default) channel, as Capgo's --default.")
        boolean makeDefault;

        @Mixin
        Settings settings;

        @Override
        protected void run() {
            Identifiers.require(Identifier.CHANNEL_NAME, name, "CHANNEL");
            String appId = appId(appIdArg);
            ObjectNode body = Json.object().put("name", name);
            body.setAll(settings.toJson());
            if (makeDefault) {
                body.put("public", true);
            }
            JsonNode channel = client().post(appPath(appId, "channels"), body);
            say("Channel " + name + " created for " + appId + ": " + describe(channel));
            printJson(channel);
        }
    }

    @Command(name = "set", abbreviateSynopsis = true, description = "Change a channel: its bundle, public flag, self-assign, platforms, build types, auto-update gates.",
            footerHeading = "%nExamples:%n", footer = {
                "  updraft channel set production --bundle 1.0.2",
                "  updraft channel set beta --self-assign --platforms android --no-prod",
                "  updraft channel set production --disable-auto-update major --no-emulator",
                "  updraft channel set production --bundle builtin     # send devices back to the built-in bundle"})
    public static final class Set extends AdminCommand {
        @Parameters(index = "0", paramLabel = "CHANNEL", description = "The channel name.")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "APP_ID", description = "The app id (default: appId of capacitor.config.json).")
        String appIdArg;

        @Mixin
        Settings settings;

        @Override
        protected void run() {
            Identifiers.require(Identifier.CHANNEL_NAME, name, "CHANNEL");
            String appId = appId(appIdArg);
            ObjectNode body = settings.toJson();
            if (body.isEmpty()) {
                throw CliException.usage("nothing_to_set", "nothing to change: pass at least one option, e.g. --bundle 1.0.2 (see updraft channel set --help)");
            }
            JsonNode channel = client().patch(appPath(appId, "channels", name), body);
            say("Channel " + name + " updated: " + describe(channel));
            printJson(channel);
        }
    }

    @Command(name = "list", aliases = "l", description = "List an app's channels and what they serve.",
            footerHeading = "%nExamples:%n", footer = {"  updraft channel list", "  updraft channel list com.example.app --json"})
    public static final class ListChannels extends AdminCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "APP_ID", description = "The app id (default: appId of capacitor.config.json).")
        String appIdArg;

        @Mixin
        ListOptions listing;

        @Override
        protected void run() {
            String appId = appId(appIdArg);
            JsonNode channels = list(appPath(appId, "channels"), listing, "channels");
            printJson(channels);
            if (channels.isEmpty()) {
                say("No channels for " + appId + " yet (updraft channel add, or bundle upload, creates one)");
                return;
            }
            table(rows(new String[] {"CHANNEL", "BUNDLE", "PUBLIC", "SELF-ASSIGN", "PLATFORMS", "BUILDS", "AUTO-UPDATE GATE"}, channels, c -> new String[] {
                cell(c.get("name")), c.path("bundle").isNull() ? "builtin" : cell(c.get("bundle")), yesNo(c, "public"), yesNo(c, "allow_device_self_set"),
                platforms(c), builds(c), gate(c)}));
        }
    }

    @Command(name = "delete", aliases = "d", description = "Delete a channel (its device overrides go with it).",
            footerHeading = "%nExamples:%n", footer = {"  updraft channel delete beta"})
    public static final class Delete extends AdminCommand {
        @Parameters(index = "0", paramLabel = "CHANNEL", description = "The channel name.")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "APP_ID", description = "The app id (default: appId of capacitor.config.json).")
        String appIdArg;

        @Override
        protected void run() {
            Identifiers.require(Identifier.CHANNEL_NAME, name, "CHANNEL");
            String appId = appId(appIdArg);
            client().delete(appPath(appId, "channels", name));
            say("Channel " + name + " deleted from " + appId);
            printJson(Json.object().put("app_id", appId).put("channel", name).put("deleted", true));
        }
    }

    static String describe(JsonNode c) {
        boolean builtin = c.path("bundle").isNull() || c.path("bundle").isMissingNode();
        return "bundle " + (builtin ? "builtin" + ("keep".equals(c.path("builtin_target").asText()) ? " (devices keep their bundle)" : "")
                : c.path("bundle").asText())
                + ", " + (c.path("public").asBoolean() ? "public" : "not public")
                + (c.path("allow_device_self_set").asBoolean() ? ", self-assignable" : "")
                + ", " + platforms(c) + ", " + builds(c) + ", gate " + gate(c);
    }

    private static String yesNo(JsonNode c, String field) {
        return c.path(field).asBoolean() ? "yes" : "no";
    }

    private static String platforms(JsonNode c) {
        List<String> p = new ArrayList<>();
        for (String platform : new String[] {"ios", "android", "electron"}) {
            if (c.path(platform).asBoolean(true)) {
                p.add(platform);
            }
        }
        return p.isEmpty() ? "no platform" : String.join("+", p);
    }

    private static String builds(JsonNode c) {
        List<String> b = new ArrayList<>();
        if (c.path("allow_dev").asBoolean(true)) {
            b.add("dev");
        }
        if (c.path("allow_prod").asBoolean(true)) {
            b.add("prod");
        }
        if (c.path("allow_device").asBoolean(true)) {
            b.add("device");
        }
        if (c.path("allow_emulator").asBoolean(true)) {
            b.add("emulator");
        }
        return b.isEmpty() ? "no build" : String.join("+", b);
    }

    private static String gate(JsonNode c) {
        return c.path("disable_auto_update").asText("none") + (c.path("disable_auto_update_under_native").asBoolean(true) ? ", no downgrade" : "");
    }
}
