package dev.updraft.sim;

import dev.updraft.protocol.Platform;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options {@code run} and {@code load} share: where the server is, which app, what kind of device. */
public final class DeviceOptions {
    /** The footer of {@code run --help} and {@code load --help}: what {@code --plugin-version} changes. */
    public static final String PLUGIN_VERSIONS_HELP = "%nPlugin versions (--plugin-version), what changes:%n"
            + "  plugin_version, User-Agent  the version given%n"
            + "  key_id (--public-key)       none before 5.50.1 / 6.50.1 / 7.50.1 / 8.2.0; 'MIIB' up to 8.40.7; 20 characters after%n"
            + "  setChannel, unsetChannel    before 5.34 / 6.34 / 7.34 / 8.0 the server stores the choice: nothing is kept on the%n"
            + "                              device and unsetChannel sends DELETE; after, kept on the device and sent as%n"
            + "                              defaultChannel, unsetChannel is local%n"
            + "  no-update answers           kind is read from 8.45.11; before, every code but no_new_version_available and%n"
            + "                              already_on_builtin is a failure (download_fail)%n"
            + "  manifest (delta)            ignored before 5.10.0 / 6.25.0 / 7.0.35: the zip at url is downloaded%n"
            + "  {\"version\":\"builtin\"}       no revert before 6.2.0: refused as an update without url (download_fail)%n"
            + "  stats queue                 JSON arrays from 8.0; one JSON object per event before%n"
            + "  legacy download_fail        below 6.14.25 / 7.17.0 and in 5.x, with run --spurious-download-fail%n"
            + "Majors above 8 play as the newest 8.x; below 5 is refused.";

    @Option(
            names = "--plugin-version",
            paramLabel = "X.Y.Z",
            defaultValue = PluginBehaviour.DEFAULT_VERSION,
            converter = OptionTypes.PluginVersion.class,
            description =
                    "The @capgo/capacitor-updater version the devices play: 5.0.0 or later (default ${DEFAULT-VALUE}; see 'Plugin versions' below).")
    public PluginBehaviour plugin;

    @Option(names = "--server", description = "Update server base URL: <server>/updates, /stats, /channel_self.")
    public String server;

    @Option(names = "--update-url", description = "Override the update URL.")
    public String updateUrl;

    @Option(names = "--stats-url", description = "Override the stats URL (\"\" disables stats).")
    public String statsUrl;

    @Option(names = "--app", required = true, description = "The app id (appId).")
    public String app;

    @Option(
            names = "--public-key",
            description =
                    "The app's public key (PKCS#1 PEM, .capgo_key_v2.pub): key_id is sent (as the plugin version sends it); run: encryption on, fail-closed.")
    public Path publicKey;

    @Option(
            names = "--platform",
            defaultValue = "android",
            converter = OptionTypes.SimulatedPlatform.class,
            description = "android or ios (default ${DEFAULT-VALUE}).")
    public Platform platform;

    @Option(
            names = "--native-version",
            defaultValue = "1.0.0",
            description = "Native version_build (default ${DEFAULT-VALUE}).")
    public String nativeVersion;

    @Option(names = "--default-channel", defaultValue = "", description = "Config defaultChannel.")
    public String defaultChannel;

    @Option(names = "--json", description = "Print the report as JSON.")
    public boolean json;

    /** A usage error (exit 2) unless an update URL was given one way or the other. */
    public void requireUpdateUrl(CommandSpec command) {
        if (server == null && updateUrl == null) {
            throw new ParameterException(command.commandLine(), "give --server URL (or --update-url)");
        }
    }

    /** The update URL: {@code --update-url}, else {@code <server>/updates}. */
    public String resolvedUpdateUrl() {
        return updateUrl != null ? updateUrl : base() + "/updates";
    }

    /** The stats URL: {@code --stats-url}, else {@code <server>/stats}, else {@code ""}. */
    public String resolvedStatsUrl() {
        return statsUrl != null ? statsUrl : server != null ? base() + "/stats" : "";
    }

    /** The channel URL: {@code <server>/channel_self}, or {@code ""}. */
    public String resolvedChannelUrl(String override) {
        return override != null ? override : server != null ? base() + "/channel_self" : "";
    }

    private String base() {
        return server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    }
}
