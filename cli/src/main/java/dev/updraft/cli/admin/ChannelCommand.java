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

/** {@code updraft channel add|set|show|list|delete|currentBundle}. */
@Command(
        name = "channel",
        description = "Manage channels: which bundle devices get, on which platforms and builds.",
        subcommands = {
            ChannelCommand.Add.class,
            ChannelCommand.Set.class,
            ChannelCommand.Show.class,
            ChannelCommand.ListChannels.class,
            ChannelCommand.Delete.class,
            CurrentBundleCommand.class
        })
public final class ChannelCommand {

    /** What a channel says to devices; every option is left unchanged when not given. */
    static final class Settings {
        @Option(
                names = {"-b", "--bundle"},
                paramLabel = "VERSION",
                description = "The bundle devices on this channel get; 'builtin' for the app's built-in bundle.")
        String bundle;

        @Option(
                names = "--public",
                negatable = true,
                description =
                        "Devices without an override or a valid defaultChannel get this channel (one per platform).")
        Boolean isPublic;

        @Option(
                names = "--state",
                paramLabel = "default|normal",
                description = "Capgo's spelling of --public (default) / --no-public (normal).")
        String state;

        @Option(
                names = "--self-assign",
                negatable = true,
                description = "Devices may pick this channel themselves (setChannel, defaultChannel).")
        Boolean selfAssign;

        @Option(
                names = "--platforms",
                paramLabel = "LIST",
                split = ",",
                description = "Serve exactly these platforms: ios, android, electron (comma-separated).")
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

        @Option(
                names = "--disable-auto-update",
                paramLabel = "LEVEL",
                description =
                        "Block updates crossing this semver level of the native version: none, major, minor, patch, version_number.")
        String disableAutoUpdate;

        @Option(
                names = "--disable-auto-update-under-native",
                negatable = true,
                description =
                        "Refuse bundles older than the native version (downgrade protection; the server's default is on).")
        Boolean underNative;

        @Option(
                names = "--builtin-target",
                paramLabel = "reset|keep",
                description =
                        "With --bundle builtin, what devices on a downloaded bundle get: reset (go back to the built-in bundle, the default) or keep (already_on_builtin: they keep their bundle).")
        String builtinTarget;

        @Option(
                names = "--downgrade",
                negatable = true,
                description =
                        "Capgo's spelling: --downgrade allows bundles under the native version (= --no-disable-auto-update-under-native).")
        Boolean downgrade;

        @Option(
                names = "--rollout-bundle",
                paramLabel = "VERSION",
                description =
                        "Roll this bundle out to a share of the channel's devices (a new rollout; the others keep --bundle).")
        String rolloutBundle;

        @Option(
                names = "--rollout-percentage",
                paramLabel = "PERCENT",
                description =
                        "The rollout's share in percent, 0 to 100 (0.01 steps); raising it keeps every device already in.")
        Double rolloutPercentage;

        @Option(
                names = "--rollout-percentage-bps",
                paramLabel = "BPS",
                description = "The rollout's share in basis points, 0 to 10000.")
        Integer rolloutBps;

        @Option(
                names = "--rollout-enable",
                description = "Serve the rollout bundle to its share again (after --rollout-disable).")
        boolean rolloutEnable;

        @Option(names = "--rollout-disable", description = "Stop serving the rollout bundle, keeping its settings.")
        boolean rolloutDisable;

        @Option(
                names = "--auto-pause-min-attempts",
                paramLabel = "N",
                description =
                        "Automatic pause: devices with an outcome (failed or confirmed) before anything is decided (server default: 20).")
        Integer autoPauseMinAttempts;

        @Option(
                names = "--auto-pause-min-failures",
                paramLabel = "N",
                description = "Automatic pause: failed devices before anything is decided (server default: 3).")
        Integer autoPauseMinFailures;

        @Option(
                names = "--auto-pause-failure-rate",
                paramLabel = "PERCENT",
                description =
                        "Automatic pause: the failure rate a rollout may have, in percent, 0 to below 100 (server default: 10).")
        Double autoPauseFailureRate;

        @Option(
                names = "--auto-pause-confidence",
                paramLabel = "PERCENT",
                description =
                        "Automatic pause: how sure the Wilson lower bound must be, in percent, 50 to 99.99 (server default: 95).")
        Double autoPauseConfidence;

        @Option(
                names = "--auto-pause-action",
                paramLabel = "pause|rollback|notify",
                description =
                        "What happens to a rollout that crosses the bound: pause it, roll it back, or only notify (server default: pause).")
        String autoPauseAction;

        @Option(
                names = "--auto-pause-defaults",
                description = "Forget this channel's automatic-pause values: the server's settings apply again.")
        boolean autoPauseDefaults;

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
                    default ->
                        throw CliException.usage(
                                "invalid_state", "--state is 'default' or 'normal', not '" + state + "'");
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
                        throw CliException.usage(
                                "invalid_platform", "--platforms takes ios, android and electron, not '" + p + "'");
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
                if (!List.of("none", "major", "minor", "patch", "version_number")
                        .contains(level)) {
                    throw CliException.usage(
                            "invalid_disable_auto_update",
                            "--disable-auto-update is none, major, minor, patch or version_number, not '"
                                    + disableAutoUpdate + "'");
                }
                body.put("disable_auto_update", level);
            }
            if (underNative != null && downgrade != null && underNative.equals(downgrade)) {
                throw CliException.usage(
                        "conflicting_options",
                        "--downgrade and --disable-auto-update-under-native say opposite things; pass one");
            }
            put(
                    body,
                    "disable_auto_update_under_native",
                    underNative != null ? underNative : downgrade == null ? null : !downgrade);
            if (builtinTarget != null) {
                String target = builtinTarget.toLowerCase(Locale.ROOT);
                if (!List.of("reset", "keep").contains(target)) {
                    throw CliException.usage(
                            "invalid_builtin_target", "--builtin-target is reset or keep, not '" + builtinTarget + "'");
                }
                body.put("builtin_target", target);
            }
            if (rolloutBundle != null) {
                body.put(
                        "rollout_version",
                        Identifiers.require(Identifier.BUNDLE_VERSION, rolloutBundle, "--rollout-bundle"));
            }
            Integer bps = rolloutShareBps(rolloutPercentage, rolloutBps);
            if (bps != null) {
                body.put("rollout_percentage_bps", bps);
            }
            if (rolloutEnable && rolloutDisable) {
                throw CliException.usage(
                        "conflicting_options", "--rollout-enable and --rollout-disable say opposite things; pass one");
            }
            if (rolloutEnable || rolloutDisable) {
                body.put("rollout_enabled", rolloutEnable);
            }
            autoPause(body);
            return body;
        }

        /** The {@code auto_pause_*} fields; the server checks the ranges too, these say it in the options' own terms. */
        private void autoPause(ObjectNode body) {
            boolean any = autoPauseMinAttempts != null
                    || autoPauseMinFailures != null
                    || autoPauseFailureRate != null
                    || autoPauseConfidence != null
                    || autoPauseAction != null;
            if (autoPauseDefaults) {
                if (any) {
                    throw CliException.usage(
                            "conflicting_options",
                            "--auto-pause-defaults forgets the channel's values; leave out the other --auto-pause- options");
                }
                for (String f :
                        new String[] {"min_attempts", "min_failures", "max_failure_rate", "confidence", "action"}) {
                    body.putNull("auto_pause_" + f);
                }
                return;
            }
            if (autoPauseMinAttempts != null) {
                body.put("auto_pause_min_attempts", atLeastOne(autoPauseMinAttempts, "--auto-pause-min-attempts"));
            }
            if (autoPauseMinFailures != null) {
                body.put("auto_pause_min_failures", atLeastOne(autoPauseMinFailures, "--auto-pause-min-failures"));
            }
            if (autoPauseFailureRate != null) {
                if (!(autoPauseFailureRate >= 0 && autoPauseFailureRate < 100)) {
                    throw CliException.usage(
                            "invalid_auto_pause",
                            "--auto-pause-failure-rate is a percentage from 0 to below 100, not "
                                    + autoPauseFailureRate);
                }
                body.put("auto_pause_max_failure_rate", autoPauseFailureRate / 100);
            }
            if (autoPauseConfidence != null) {
                if (!(autoPauseConfidence >= 50 && autoPauseConfidence <= 99.99)) {
                    throw CliException.usage(
                            "invalid_auto_pause",
                            "--auto-pause-confidence is a percentage from 50 to 99.99, not " + autoPauseConfidence);
                }
                body.put("auto_pause_confidence", autoPauseConfidence / 100);
            }
            if (autoPauseAction != null) {
                String action = autoPauseAction.toLowerCase(Locale.ROOT);
                if (!List.of("pause", "rollback", "notify").contains(action)) {
                    throw CliException.usage(
                            "invalid_auto_pause",
                            "--auto-pause-action is pause, rollback or notify, not '" + autoPauseAction + "'");
                }
                body.put("auto_pause_action", action);
            }
        }

        private static int atLeastOne(int n, String option) {
            if (n < 1) {
                throw CliException.usage("invalid_auto_pause", option + " is at least 1, not " + n);
            }
            return n;
        }

        private static void put(ObjectNode body, String field, Boolean value) {
            if (value != null) {
                body.put(field, value);
            }
        }
    }

    /** The {@code CHANNEL [APP_ID]} arguments of the commands on one channel. */
    static final class Target {
        @Parameters(index = "0", paramLabel = "CHANNEL", description = "The channel name.")
        String name;

        @Parameters(
                index = "1",
                arity = "0..1",
                paramLabel = "APP_ID",
                description = "The app id (default: appId of capacitor.config.json).")
        String appIdArg;

        /** The channel name, checked before any request. */
        String channel() {
            return Identifiers.require(Identifier.CHANNEL_NAME, name, "CHANNEL");
        }
    }

    @Command(
            name = "add",
            aliases = "create",
            abbreviateSynopsis = true,
            description = "Create a channel (optionally pointing at a bundle, public, self-assignable).",
            footerHeading = "%nExamples:%n",
            footer = {
                "  updraft channel add beta --self-assign",
                "  updraft channel add production com.example.app --default --bundle 1.0.1"
            })
    public static final class Add extends AdminCommand {
        @Mixin
        Target target;

        @Option(names = "--default", description = "Make it the public (default) channel, as Capgo's --default.")
        boolean makeDefault;

        @Mixin
        Settings settings;

        @Override
        protected void run() {
            String name = target.channel();
            String appId = appId(target.appIdArg);
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

    /**
     * A rollout share from {@code --rollout-percentage} or {@code --rollout-percentage-bps} (one of them), in basis
     * points; {@code null} when neither is given.
     */
    static Integer rolloutShareBps(Double percent, Integer bps) {
        if (percent != null && bps != null) {
            throw CliException.usage(
                    "conflicting_options",
                    "--rollout-percentage and --rollout-percentage-bps both set the share; pass one");
        }
        if (percent != null) {
            if (!(percent >= 0 && percent <= 100)) {
                throw CliException.usage(
                        "invalid_rollout_percentage", "the rollout percentage is 0 to 100, not " + percent);
            }
            return (int) Math.round(percent * 100);
        }
        if (bps != null && (bps < 0 || bps > 10_000)) {
            throw CliException.usage(
                    "invalid_rollout_percentage", "the rollout share is 0 to 10000 basis points, not " + bps);
        }
        return bps;
    }

    /** The steps of {@code --rollout-advance}, in basis points: 1 %, 5 %, 10 %, 25 %, 50 %, 100 %. */
    static final int[] ROLLOUT_STEPS = {100, 500, 1000, 2500, 5000, 10_000};

    /** The next step above {@code bps}; 10000 stays 10000. */
    static int nextRolloutStep(int bps) {
        for (int step : ROLLOUT_STEPS) {
            if (step > bps) {
                return step;
            }
        }
        return 10_000;
    }

    /** One action on a channel's rollout, at most one per call. */
    static final class RolloutAction {
        @Option(
                names = "--rollout-pause",
                description = "Pause the rollout: no new device joins; devices on its bundle keep it.")
        boolean pause;

        @Option(names = "--rollout-resume", description = "Resume a paused rollout (also after an automatic pause).")
        boolean resume;

        @Option(
                names = "--rollout-promote",
                description = "Make the rollout bundle the channel's bundle for every device.")
        boolean promote;

        @Option(
                names = "--rollout-rollback",
                description = "End the rollout: every device gets the channel's bundle on its next check.")
        boolean rollback;

        @Option(
                names = "--rollout-advance",
                description = "Raise the share to the next step of 1, 5, 10, 25, 50, 100 percent.")
        boolean advance;

        /** The action's path segment, or null; a usage error for more than one. */
        String chosen() {
            List<String> on = new ArrayList<>();
            if (pause) {
                on.add("pause");
            }
            if (resume) {
                on.add("resume");
            }
            if (promote) {
                on.add("promote");
            }
            if (rollback) {
                on.add("rollback");
            }
            if (advance) {
                on.add("advance");
            }
            if (on.size() > 1) {
                throw CliException.usage(
                        "conflicting_options",
                        "pass one rollout action at a time, not --rollout-" + String.join(" and --rollout-", on));
            }
            return on.isEmpty() ? null : on.get(0);
        }
    }

    @Command(
            name = "set",
            abbreviateSynopsis = true,
            description =
                    "Change a channel: its bundle, rollout, public flag, self-assign, platforms, build types, auto-update gates.",
            footerHeading = "%nExamples:%n",
            footer = {
                "  updraft channel set production --bundle 1.0.2",
                "  updraft channel set production --rollout-bundle 1.0.3 --rollout-percentage 10",
                "  updraft channel set production --rollout-advance        # 10 %% -> 25 %%",
                "  updraft channel set production --rollout-promote",
                "  updraft channel set production --auto-pause-min-attempts 50 --auto-pause-failure-rate 5 --auto-pause-action rollback",
                "  updraft channel set beta --self-assign --platforms android --no-prod",
                "  updraft channel set production --disable-auto-update major --no-emulator",
                "  updraft channel set production --bundle builtin     # send devices back to the built-in bundle"
            })
    public static final class Set extends AdminCommand {
        @Mixin
        Target target;

        @Mixin
        Settings settings;

        @Mixin
        RolloutAction rollout;

        @Override
        protected void run() {
            String name = target.channel();
            String appId = appId(target.appIdArg);
            ObjectNode body = settings.toJson();
            String action = rollout.chosen();
            if (body.isEmpty() && action == null) {
                throw CliException.usage(
                        "nothing_to_set",
                        "nothing to change: pass at least one option, e.g. --bundle 1.0.2 (see updraft channel set --help)");
            }
            if ("advance".equals(action) && body.has("rollout_percentage_bps")) {
                throw CliException.usage(
                        "conflicting_options",
                        "--rollout-advance picks the next share itself; leave out --rollout-percentage");
            }
            JsonNode channel = body.isEmpty() ? null : client().patch(appPath(appId, "channels", name), body);
            if ("advance".equals(action)) {
                JsonNode now = channel != null ? channel : client().get(appPath(appId, "channels", name));
                if (now.path("rollout_version").isNull()
                        || now.path("rollout_version").isMissingNode()) {
                    throw CliException.usage(
                            "no_rollout",
                            "channel " + name + " has no rollout to advance (start one with --rollout-bundle)");
                }
                channel = client().patch(
                                appPath(appId, "channels", name),
                                Json.object()
                                        .put(
                                                "rollout_percentage_bps",
                                                nextRolloutStep(now.path("rollout_percentage_bps")
                                                        .asInt())));
            } else if (action != null) {
                channel = client().post(appPath(appId, "channels", name, "rollout", action), Json.object());
            }
            say("Channel " + name + " updated: " + describe(channel));
            printJson(channel);
        }
    }

    @Command(
            name = "list",
            aliases = "l",
            description = "List an app's channels and what they serve.",
            footerHeading = "%nExamples:%n",
            footer = {"  updraft channel list", "  updraft channel list com.example.app --json"})
    public static final class ListChannels extends AdminCommand {
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
            JsonNode channels = list(appPath(appId, "channels"), listing, "channels");
            printJson(channels);
            if (channels.isEmpty()) {
                say("No channels for " + appId + " yet (updraft channel add, or bundle upload, creates one)");
                return;
            }
            table(rows(
                    new String[] {
                        "CHANNEL",
                        "BUNDLE",
                        "ROLLOUT",
                        "PUBLIC",
                        "SELF-ASSIGN",
                        "PLATFORMS",
                        "BUILDS",
                        "AUTO-UPDATE GATE",
                        "AUTO-PAUSE"
                    },
                    channels,
                    c -> new String[] {
                        cell(c.get("name")),
                        c.path("bundle").isNull() ? "builtin" : cell(c.get("bundle")),
                        rolloutCell(c),
                        yesNo(c, "public"),
                        yesNo(c, "allow_device_self_set"),
                        platforms(c),
                        builds(c),
                        gate(c),
                        autoPauseCell(c)
                    }));
        }
    }

    @Command(
            name = "show",
            description = "Show one channel: its bundle, rollout, rules and automatic-pause policy.",
            footerHeading = "%nExamples:%n",
            footer = {"  updraft channel show production", "  updraft channel show production com.example.app --json"})
    public static final class Show extends AdminCommand {
        @Mixin
        Target target;

        @Override
        protected void run() {
            String name = target.channel();
            JsonNode channel = client().get(appPath(appId(target.appIdArg), "channels", name));
            say("Channel " + name + ": " + describe(channel));
            printJson(channel);
        }
    }

    @Command(
            name = "delete",
            aliases = "d",
            description = "Delete a channel (its device overrides go with it).",
            footerHeading = "%nExamples:%n",
            footer = {"  updraft channel delete beta"})
    public static final class Delete extends AdminCommand {
        @Mixin
        Target target;

        @Override
        protected void run() {
            String name = target.channel();
            String appId = appId(target.appIdArg);
            client().delete(appPath(appId, "channels", name));
            say("Channel " + name + " deleted from " + appId);
            printJson(Json.object().put("app_id", appId).put("channel", name).put("deleted", true));
        }
    }

    static String describe(JsonNode c) {
        boolean builtin = c.path("bundle").isNull() || c.path("bundle").isMissingNode();
        return "bundle "
                + (builtin
                        ? "builtin"
                                + ("keep".equals(c.path("builtin_target").asText())
                                        ? " (devices keep their bundle)"
                                        : "")
                        : c.path("bundle").asText())
                + ", " + (c.path("public").asBoolean() ? "public" : "not public")
                + (c.path("allow_device_self_set").asBoolean() ? ", self-assignable" : "")
                + ", " + platforms(c) + ", " + builds(c) + ", gate " + gate(c)
                + ("-".equals(rolloutCell(c)) ? "" : ", rollout " + rolloutCell(c))
                + (c.has("auto_pause") ? ", auto-pause " + autoPauseCell(c) : "");
    }

    /**
     * The automatic-pause policy in force: {@code pause above 10% (95% sure), after 20 devices and 3 failures}, with
     * {@code (channel's own)} when the channel sets any of it.
     */
    static String autoPauseCell(JsonNode c) {
        JsonNode p = c.path("auto_pause");
        if (p.isMissingNode() || p.isNull()) {
            return "-";
        }
        boolean own = false;
        for (String f : new String[] {"min_attempts", "min_failures", "max_failure_rate", "confidence", "action"}) {
            own |= !c.path("auto_pause_" + f).isNull()
                    && !c.path("auto_pause_" + f).isMissingNode();
        }
        return p.path("action").asText() + " above "
                + fraction(p.path("max_failure_rate").asDouble()) + "% ("
                + fraction(p.path("confidence").asDouble()) + "% sure), after "
                + p.path("min_attempts").asInt() + " devices and "
                + p.path("min_failures").asInt() + " failures" + (own ? " (channel's own)" : "");
    }

    /** A fraction as a percentage without trailing zeros: 0.1 is "10", 0.9999 is "99.99". */
    private static String fraction(double f) {
        return java.math.BigDecimal.valueOf(f * 100)
                .setScale(2, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }

    /** {@code 1.0.3 at 10%}, with {@code paused (auto: reason)} or {@code off}; {@code -} without a rollout. */
    static String rolloutCell(JsonNode c) {
        JsonNode v = c.path("rollout_version");
        if (v.isNull() || v.isMissingNode()) {
            return "-";
        }
        String share = percent(c.path("rollout_percentage_bps").asInt());
        String state = !c.path("rollout_enabled").asBoolean()
                ? ", off"
                : c.path("rollout_paused_at").isNull()
                                || c.path("rollout_paused_at").isMissingNode()
                        ? ""
                        : ", paused by " + c.path("rollout_paused_by").asText("operator")
                                + ("auto".equals(c.path("rollout_paused_by").asText())
                                        ? ": " + c.path("rollout_pause_reason").asText()
                                        : "");
        return v.asText() + " at " + share + "%" + state;
    }

    /** Basis points as a percentage without trailing zeros: 1000 is "10", 1 is "0.01". */
    static String percent(int bps) {
        return java.math.BigDecimal.valueOf(bps, 2).stripTrailingZeros().toPlainString();
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
        return c.path("disable_auto_update").asText("none")
                + (c.path("disable_auto_update_under_native").asBoolean(true) ? ", no downgrade" : "");
    }
}
