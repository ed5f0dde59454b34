package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.Identifiers;
import dev.updraft.cli.Json;
import dev.updraft.cli.Keys;
import dev.updraft.protocol.Identifier;
import dev.updraft.protocol.Semver;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code updraft bundle compatibility}: which of an app's bundles a device of a native version on a channel would
 * accept, by the channel's semver gates (docs/protocol.md §2.9 rules 10 and 12 to 15) and, with a public key, whether
 * the bundle is encrypted for it (rule 7). A preview for people; the server's decision is what devices get.
 */
@Command(
        name = "compatibility",
        description = {
            "Show which bundles a device of a native version on a channel would accept.",
            "Applies the channel's disable_auto_update rule (major, minor, patch, version_number with min_update_version) and",
            "disable_auto_update_under_native, and, when the project has a public key (or --public-key), whether the bundle has",
            "a variant for that key. A preview: the server's decision is what devices get."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  updraft bundle compatibility --channel production --native-version 1.2.0",
            "  updraft bundle compatibility com.example.app -c production --native-version 2.0.0 --json"
        })
public final class CompatibilityCommand extends AdminCommand {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "APP_ID",
            description = "The app id (default: appId of capacitor.config.json).")
    String appIdArg;

    @Option(
            names = {"-c", "--channel"},
            paramLabel = "NAME",
            defaultValue = UploadCommand.DEFAULT_CHANNEL,
            description = "The channel whose rules apply (default: ${DEFAULT-VALUE}).")
    String channel;

    @Option(
            names = "--native-version",
            paramLabel = "VERSION",
            required = true,
            description = "The native version of the app build (version_build, e.g. 1.2.0).")
    String nativeVersion;

    @Option(
            names = "--public-key",
            paramLabel = "FILE",
            description =
                    "The app build's public key (default: capacitor.config.json's publicKey, else .capgo_key_v2.pub).")
    String publicKeyFile;

    @Override
    protected void run() {
        String appId = appId(appIdArg);
        Identifiers.require(Identifier.CHANNEL_NAME, channel, "--channel");
        Semver nativeSemver = Semver.parseLenient(nativeVersion)
                .orElseThrow(() -> CliException.usage(
                        "invalid_semver",
                        "--native-version '" + Identifiers.printable(nativeVersion) + "' is not a semantic version"));
        Keys.Located key = Keys.publicKey(ctx, publicKeyFile, null);
        String keyId = key == null ? null : key.key().keyId();
        JsonNode ch = client().get(appPath(appId, "channels", channel));
        String rule = ch.path("disable_auto_update").asText("none");
        boolean underNative = ch.path("disable_auto_update_under_native").asBoolean();
        String served = ch.path("bundle").isTextual() ? ch.get("bundle").asText() : null;
        ArrayNode rows = Json.MAPPER.createArrayNode();
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"VERSION", "COMPATIBLE", "WHY", "CHANNEL"});
        for (JsonNode b : list(appPath(appId, "bundles"), new ListOptions(), "bundles")) {
            String version = b.path("version").asText();
            String reason = reason(b, nativeSemver, rule, underNative, keyId);
            rows.addObject()
                    .put("version", version)
                    .put("compatible", reason == null)
                    .put("reason", reason)
                    .put("served", version.equals(served));
            table.add(new String[] {
                version, reason == null ? "yes" : "no", reason == null ? "-" : reason, version.equals(served) ? "*" : ""
            });
        }
        ObjectNode result = Json.object()
                .put("app_id", appId)
                .put("channel", channel)
                .put("native_version", nativeVersion)
                .put("disable_auto_update", rule)
                .put("key_id", keyId);
        result.set("bundles", rows);
        printJson(result);
        if (rows.isEmpty()) {
            say("No bundles for " + appId + " yet");
            return;
        }
        table(table);
    }

    /** Why a device would not take the bundle, or {@code null} when it would. */
    static String reason(JsonNode b, Semver nativeVersion, String rule, boolean underNative, String keyId) {
        if (keyId != null
                && b.path("encrypted").asBoolean()
                && !BundleAdmin.keyIds(b).contains(keyId)) {
            return "not encrypted for key " + keyId;
        }
        Semver target = Semver.parse(b.path("version").asText()).orElse(null);
        if (target == null) {
            return null; // not semver: no gate applies (docs/protocol.md §2.9)
        }
        boolean sameMajor = target.major().equals(nativeVersion.major());
        boolean sameMinor = sameMajor && target.minor().equals(nativeVersion.minor());
        switch (rule) {
            case "major" -> {
                if (target.major().compareTo(nativeVersion.major()) > 0) {
                    return "new major version (disable_auto_update=major)";
                }
            }
            case "minor" -> {
                if (!sameMinor) {
                    return "other major or minor version (disable_auto_update=minor)";
                }
            }
            case "patch" -> {
                if (!(sameMinor && target.patch().equals(nativeVersion.patch()))) {
                    return "other major, minor or patch version (disable_auto_update=patch)";
                }
            }
            case "version_number" -> {
                Semver min = b.path("min_update_version").isTextual()
                        ? Semver.parse(b.get("min_update_version").asText()).orElse(null)
                        : null;
                if (min == null) {
                    return "no min_update_version (disable_auto_update=version_number)";
                }
                if (min.compareTo(nativeVersion) > 0) {
                    return "min_update_version " + min + " is above the native version";
                }
            }
            default -> {}
        }
        if (underNative && target.compareTo(nativeVersion) < 0) {
            return "older than the native version (disable_auto_update_under_native)";
        }
        return null;
    }
}
