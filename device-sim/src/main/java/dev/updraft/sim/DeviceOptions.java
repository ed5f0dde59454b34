package dev.updraft.sim;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options {@code run} and {@code load} share: where the server is, which app, what kind of device. */
public final class DeviceOptions {
    @Option(names = "--server", description = "Update server base URL: <server>/updates, /stats, /channel_self.")
    public String server;
    @Option(names = "--update-url", description = "Override the update URL.")
    public String updateUrl;
    @Option(names = "--stats-url", description = "Override the stats URL (\"\" disables stats).")
    public String statsUrl;
    @Option(names = "--app", required = true, description = "The app id (appId).")
    public String app;
    @Option(names = "--public-key", description = "The app's public key (PKCS#1 PEM, .capgo_key_v2.pub): key_id is sent; run: encryption on, fail-closed.")
    public Path publicKey;
    @Option(names = "--platform", defaultValue = "android", description = "android or ios (default ${DEFAULT-VALUE}).")
    public String platform;
    @Option(names = "--native-version", defaultValue = "1.0.0", description = "Native version_build (default ${DEFAULT-VALUE}).")
    public String nativeVersion;
    @Option(names = "--default-channel", defaultValue = "", description = "Config defaultChannel.")
    public String defaultChannel;
    @Option(names = "--json", description = "Print the report as JSON.")
    public boolean json;

    /** Whether an update URL was given one way or the other. */
    public boolean hasUpdateUrl() {
        return server != null || updateUrl != null;
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
