package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.Identifiers;
import dev.updraft.cli.Json;
import dev.updraft.cli.Project;
import dev.updraft.protocol.Semver;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version of {@code @capgo/capacitor-updater} the app ships, for the delta gate (docs/protocol.md §7.2): Capgo's
 * CLI refuses a delta upload unless it is at least 5.10.0 / 6.25.0 / 7.0.30 (any 8.x or later passes). Found as
 * Capgo's CLI finds it: {@code --updater-version}, else the installed package
 * ({@code node_modules/@capgo/capacitor-updater/package.json}), else the dependency declared in {@code package.json}.
 */
final class UpdaterVersion {
    static final String PACKAGE = "@capgo/capacitor-updater";
    private static final Pattern DECLARED = Pattern.compile("^[\\^~=v>\\s]*(\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?)");

    private UpdaterVersion() {}

    /** The version and where it was found, for messages. */
    record Found(Semver version, String source) {}

    /** The updater version of the project, or null when none is found. */
    static Found find(Project project, String given) {
        if (given != null) {
            Semver v = Semver.parseLenient(given)
                    .orElseThrow(() -> CliException.usage(
                            "invalid_updater_version",
                            "--updater-version '" + Identifiers.printable(given)
                                    + "' is not a version such as 8.51.23"));
            return new Found(v, "--updater-version");
        }
        Path installed = project.file("node_modules/" + PACKAGE + "/package.json");
        JsonNode node = read(installed);
        if (node != null && node.path("version").isTextual()) {
            Semver v = Semver.parseLenient(node.path("version").asText()).orElse(null);
            if (v != null) {
                return new Found(v, installed.toString());
            }
        }
        JsonNode pkg = read(project.file(Project.PACKAGE_JSON));
        if (pkg != null) {
            for (String section : new String[] {"dependencies", "devDependencies"}) {
                JsonNode declared = pkg.path(section).path(PACKAGE);
                Matcher m = DECLARED.matcher(declared.isTextual() ? declared.asText() : "");
                if (m.find()) {
                    return new Found(
                            Semver.parse(m.group(1)).orElseThrow(), Project.PACKAGE_JSON + " (" + section + ")");
                }
            }
        }
        return null;
    }

    /** Whether this updater installs delta updates as Capgo's CLI judges it before a delta upload. */
    static boolean allowsDelta(Semver v) {
        int major = v.major().min(BigInteger.valueOf(9)).intValueExact();
        String min = switch (major) {
            case 5 -> "5.10.0";
            case 6 -> "6.25.0";
            case 7 -> "7.0.30";
            default -> major >= 8 ? "0.0.0" : null;
        };
        return min != null && v.compareTo(Semver.parse(min).orElseThrow()) >= 0;
    }

    /** The gate: a usage error unless the project's updater installs delta updates. */
    static Found require(Project project, String given) {
        Found found = find(project, given);
        if (found == null) {
            throw CliException.usage(
                    "missing_updater_version",
                    "cannot tell which " + PACKAGE + " the app ships (not in node_modules or " + Project.PACKAGE_JSON
                            + "): delta updates need 5.10.0 / 6.25.0 / 7.0.30 or later; pass --updater-version VERSION");
        }
        if (!allowsDelta(found.version())) {
            throw CliException.usage(
                    "updater_too_old",
                    PACKAGE + " " + found.version() + " (" + found.source()
                            + ") cannot install delta updates: they need 5.10.0 / 6.25.0 / 7.0.30 or later; publish without --delta");
        }
        return found;
    }

    private static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw CliException.failed("invalid_package_json", "cannot read " + file + ": " + e.getMessage());
        }
    }
}
