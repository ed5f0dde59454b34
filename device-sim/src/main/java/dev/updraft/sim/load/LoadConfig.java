package dev.updraft.sim.load;

import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.protocol.Platform;
import dev.updraft.sim.DeviceConfig;
import dev.updraft.sim.PluginBehaviour;
import java.time.Duration;
import java.util.Objects;

/** What a load run does; make one with {@link #builder()}. */
public final class LoadConfig {
    private final PluginBehaviour plugin;
    private final String updateUrl;
    private final String statsUrl;
    private final String appId;
    private final int devices;
    private final Duration duration;
    private final double rate;
    private final int concurrency;
    private final boolean download;
    private final int downloadConcurrency;
    private final boolean sendStats;
    private final Platform platform;
    private final String versionBuild;
    private final String keyId;
    private final String defaultChannel;
    private final long timeoutMs;
    private final java.util.Set<String> neverReady;
    private final boolean sequentialIds;

    private LoadConfig(Builder b) {
        this.plugin = b.plugin;
        this.updateUrl = Objects.requireNonNull(b.updateUrl, "updateUrl (or server)");
        this.statsUrl = b.statsUrl == null ? "" : b.statsUrl;
        this.appId = Objects.requireNonNull(b.appId, "appId");
        this.devices = Math.max(1, b.devices);
        this.duration = b.duration;
        this.rate = Math.max(0, b.rate);
        this.concurrency = Math.max(1, b.concurrency);
        this.download = b.download;
        this.downloadConcurrency = Math.max(1, b.downloadConcurrency);
        this.sendStats = b.sendStats;
        this.platform = DeviceConfig.requireSimulated(b.platform);
        this.versionBuild = b.versionBuild;
        this.keyId = b.keyId != null ? b.keyId : plugin.keyIdFor(b.publicKey);
        this.defaultChannel = b.defaultChannel == null ? "" : b.defaultChannel;
        this.timeoutMs = Math.max(100, b.timeoutMs);
        this.neverReady = java.util.Set.copyOf(b.neverReady);
        this.sequentialIds = b.sequentialIds;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The plugin version the devices play: {@code plugin_version}, User-Agent, key id format, stats shape. */
    public PluginBehaviour plugin() {
        return plugin;
    }

    public String updateUrl() {
        return updateUrl;
    }
    /** {@code ""}: no stats are sent. */
    public String statsUrl() {
        return statsUrl;
    }

    public String appId() {
        return appId;
    }
    /** How many simulated devices (distinct device_ids) take turns. */
    public int devices() {
        return devices;
    }

    public Duration duration() {
        return duration;
    }
    /** Target update checks per second over all devices; 0: closed loop, as fast as {@link #concurrency()} allows. */
    public double rate() {
        return rate;
    }
    /** Most checks in flight at once. */
    public int concurrency() {
        return concurrency;
    }
    /** Whether an "update available" answer is downloaded (and the device then reports the new version). */
    public boolean download() {
        return download;
    }

    public int downloadConcurrency() {
        return downloadConcurrency;
    }
    /** Whether each completed download is followed by a stats batch ({@code set}), as a device would send. */
    public boolean sendStats() {
        return sendStats;
    }
    /** Bundles whose app never calls notifyAppReady: a device rolls back from them (docs/simulator.md, "Load mode"). */
    public java.util.Set<String> neverReady() {
        return neverReady;
    }

    public Platform platform() {
        return platform;
    }

    public String versionBuild() {
        return versionBuild;
    }
    /**
     * The {@code key_id} sent: as given to {@link Builder#keyId}, else the public key's in the played version's format;
     * null for none.
     */
    public String keyId() {
        return keyId;
    }

    public String defaultChannel() {
        return defaultChannel;
    }
    /**
     * Device ids {@code 00000000-0000-4000-8000-000000000001} upward (the fleet of bench/updates.lua), the same in
     * every run, instead of random ones: a second run meets devices the server already knows.
     */
    public boolean sequentialIds() {
        return sequentialIds;
    }

    /** Connect and read timeout of every request. */
    public long timeoutMs() {
        return timeoutMs;
    }

    /** Builder: 1000 devices, 30 s, closed loop with 64 in flight, no downloads. */
    public static final class Builder {
        private PluginBehaviour plugin = PluginBehaviour.defaultVersion();
        private BundlePublicKey publicKey;
        private String updateUrl;
        private String statsUrl;
        private String appId;
        private int devices = 1000;
        private Duration duration = Duration.ofSeconds(30);
        private double rate = 0;
        private int concurrency = 64;
        private boolean download;
        private int downloadConcurrency = 8;
        private boolean sendStats;
        private Platform platform = Platform.ANDROID;
        private String versionBuild = "1.0.0";
        private String keyId;
        private String defaultChannel = "";
        private long timeoutMs = 10_000;
        private java.util.Set<String> neverReady = java.util.Set.of();
        private boolean sequentialIds;

        private Builder() {}

        public Builder sequentialIds(boolean v) {
            this.sequentialIds = v;
            return this;
        }

        /** {@code <server>/updates} and {@code <server>/stats}. */
        public Builder server(String base) {
            String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            this.updateUrl = b + "/updates";
            this.statsUrl = b + "/stats";
            return this;
        }

        public Builder updateUrl(String v) {
            this.updateUrl = v;
            return this;
        }

        public Builder statsUrl(String v) {
            this.statsUrl = v;
            return this;
        }

        public Builder appId(String v) {
            this.appId = v;
            return this;
        }

        public Builder devices(int v) {
            this.devices = v;
            return this;
        }

        public Builder duration(Duration v) {
            this.duration = v;
            return this;
        }

        public Builder rate(double v) {
            this.rate = v;
            return this;
        }

        public Builder concurrency(int v) {
            this.concurrency = v;
            return this;
        }

        public Builder download(boolean v) {
            this.download = v;
            return this;
        }

        public Builder downloadConcurrency(int v) {
            this.downloadConcurrency = v;
            return this;
        }

        public Builder sendStats(boolean v) {
            this.sendStats = v;
            return this;
        }
        /** Bundles that never call notifyAppReady: after {@code set} the device reports {@code update_fail} and rolls back. */
        public Builder neverReady(java.util.Collection<String> versions) {
            this.neverReady = java.util.Set.copyOf(versions);
            return this;
        }

        public Builder platform(Platform v) {
            this.platform = v;
            return this;
        }

        public Builder versionBuild(String v) {
            this.versionBuild = v;
            return this;
        }
        /** Sent verbatim as {@code key_id}, whatever the plugin version (a server's hostile or odd-client test). */
        public Builder keyId(String v) {
            this.keyId = v;
            return this;
        }
        /** The app's public key: its key id is sent as the played plugin version would (none, 4 or 20 characters). */
        public Builder publicKey(BundlePublicKey v) {
            this.publicKey = v;
            return this;
        }
        /** The plugin version the devices play (strict semver, 5.0.0 or later; see {@link PluginBehaviour}). */
        public Builder pluginVersion(String v) {
            this.plugin = PluginBehaviour.of(v);
            return this;
        }

        public Builder plugin(PluginBehaviour v) {
            this.plugin = Objects.requireNonNull(v, "plugin");
            return this;
        }

        public Builder defaultChannel(String v) {
            this.defaultChannel = v;
            return this;
        }

        public Builder timeoutMs(long v) {
            this.timeoutMs = v;
            return this;
        }

        public LoadConfig build() {
            return new LoadConfig(this);
        }
    }
}
