package dev.updraft.sim;

import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.crypto.CryptoException;
import dev.updraft.protocol.Platform;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A simulated device's configuration: the plugin version it plays, the plugin's {@code capacitor.config.json} keys
 * (spec §1.1, §1.4), the native facts a phone would supply (version, platform, flags) and the simulator's own knobs.
 * Immutable; make one with {@link #builder()}.
 */
public final class DeviceConfig {
    /** §8.6: a bundle that is not yet {@code success} gets at least this long to call {@code notifyAppReady}. */
    public static final long PENDING_BUNDLE_MIN_READY_TIMEOUT_MS = 30_000;

    private final PluginBehaviour plugin;
    private final boolean spuriousDownloadFail;
    private final String appId;
    private final String updateUrl;
    private final String statsUrl;
    private final String channelUrl;
    private final BundlePublicKey publicKey;
    private final long appReadyTimeoutMs;
    private final AutoUpdateMode autoUpdate;
    private final String defaultChannel;
    private final String versionBuild;
    private final String versionCode;
    private final String versionOs;
    private final Platform platform;
    private final boolean prod;
    private final boolean emulator;
    private final String customId;
    private final String installSource;
    private final int responseTimeoutSeconds;
    private final boolean autoDeleteFailed;
    private final boolean autoDeletePrevious;
    private final boolean resetWhenUpdate;
    private final AppBehaviour appBehaviour;
    private final boolean realTime;
    private final int downloadAttempts;
    private final long downloadBackoffMs;
    private final long downloadTimeoutFloorMs;
    private final Path builtinAssets;
    private final Set<Deviation> deviations;

    private DeviceConfig(Builder b) {
        this.plugin = b.plugin;
        this.spuriousDownloadFail = b.spuriousDownloadFail;
        this.appId = Objects.requireNonNull(b.appId, "appId");
        this.updateUrl = Objects.requireNonNull(b.updateUrl, "updateUrl (or server)");
        this.statsUrl = b.statsUrl == null ? "" : b.statsUrl;
        this.channelUrl = b.channelUrl == null ? "" : b.channelUrl;
        this.publicKey = b.publicKey;
        this.appReadyTimeoutMs = Math.max(1000, b.appReadyTimeoutMs); // §1.1: minimum 1000
        this.autoUpdate = b.autoUpdate;
        this.defaultChannel = b.defaultChannel == null ? "" : b.defaultChannel;
        this.versionBuild = b.versionBuild;
        this.versionCode = b.versionCode;
        this.versionOs = b.versionOs != null ? b.versionOs : b.platform == Platform.IOS ? "17.5" : "14";
        this.platform = requireSimulated(b.platform);
        this.prod = b.prod;
        this.emulator = b.emulator;
        this.customId = b.customId == null ? "" : b.customId;
        this.installSource = b.installSource;
        this.responseTimeoutSeconds = Math.max(1, b.responseTimeoutSeconds);
        this.autoDeleteFailed = b.autoDeleteFailed;
        this.autoDeletePrevious = b.autoDeletePrevious;
        this.resetWhenUpdate = b.resetWhenUpdate;
        this.appBehaviour = b.appBehaviour;
        this.realTime = b.realTime;
        this.downloadAttempts = Math.max(1, b.downloadAttempts);
        this.downloadBackoffMs = Math.max(0, b.downloadBackoffMs);
        this.downloadTimeoutFloorMs = Math.max(0, b.downloadTimeoutFloorMs);
        this.builtinAssets = b.builtinAssets == null
                ? null
                : b.builtinAssets.toAbsolutePath().normalize();
        this.deviations = Collections.unmodifiableSet(EnumSet.copyOf(b.deviations)); // in declaration order
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code android} or {@code ios} (any case): the two plugins the simulator follows. */
    public static Platform platform(String wire) {
        return Platform.fromWire(wire == null ? null : wire.strip())
                .filter(p -> p != Platform.ELECTRON)
                .orElseThrow(() -> new IllegalArgumentException("platform must be android or ios, not '" + wire + "'"));
    }

    /** The simulator follows the Android and iOS plugins; there is no Electron behaviour to simulate. */
    public static Platform requireSimulated(Platform p) {
        if (p != Platform.ANDROID && p != Platform.IOS) {
            throw new IllegalArgumentException("platform must be android or ios, not '" + p + "'");
        }
        return p;
    }

    /** A builder with this configuration's values, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.plugin = plugin;
        b.spuriousDownloadFail = spuriousDownloadFail;
        b.appId = appId;
        b.updateUrl = updateUrl;
        b.statsUrl = statsUrl;
        b.channelUrl = channelUrl;
        b.publicKey = publicKey;
        b.appReadyTimeoutMs = appReadyTimeoutMs;
        b.autoUpdate = autoUpdate;
        b.defaultChannel = defaultChannel;
        b.versionBuild = versionBuild;
        b.versionCode = versionCode;
        b.versionOs = versionOs;
        b.platform = platform;
        b.prod = prod;
        b.emulator = emulator;
        b.customId = customId;
        b.installSource = installSource;
        b.responseTimeoutSeconds = responseTimeoutSeconds;
        b.autoDeleteFailed = autoDeleteFailed;
        b.autoDeletePrevious = autoDeletePrevious;
        b.resetWhenUpdate = resetWhenUpdate;
        b.appBehaviour = appBehaviour;
        b.realTime = realTime;
        b.downloadAttempts = downloadAttempts;
        b.downloadBackoffMs = downloadBackoffMs;
        b.downloadTimeoutFloorMs = downloadTimeoutFloorMs;
        b.builtinAssets = builtinAssets;
        b.deviations = EnumSet.noneOf(Deviation.class);
        b.deviations.addAll(deviations);
        return b;
    }

    /** The plugin version the device plays, and what it changes (default {@link PluginBehaviour#DEFAULT_VERSION}). */
    public PluginBehaviour plugin() {
        return plugin;
    }
    /**
     * Whether a plugin below 6.14.25 / 7.17.0 (and 5.x) sends its legacy {@code download_fail} on every up-to-date
     * answer (default false: when the spurious event came is not documented, so it is simulated only on request).
     */
    public boolean spuriousDownloadFail() {
        return spuriousDownloadFail;
    }

    public String appId() {
        return appId;
    }

    public String updateUrl() {
        return updateUrl;
    }
    /** {@code ""} disables stats (§1.1). */
    public String statsUrl() {
        return statsUrl;
    }
    /** {@code ""} makes channel calls fail with {@code missing_config} (§1.1). */
    public String channelUrl() {
        return channelUrl;
    }
    /** Null when the app has no {@code publicKey} (no encryption). */
    public BundlePublicKey publicKey() {
        return publicKey;
    }

    public long appReadyTimeoutMs() {
        return appReadyTimeoutMs;
    }

    public AutoUpdateMode autoUpdate() {
        return autoUpdate;
    }
    /** The config {@code defaultChannel}; a channel persisted by setChannel/getChannel takes precedence (§1.4). */
    public String defaultChannel() {
        return defaultChannel;
    }

    public String versionBuild() {
        return versionBuild;
    }

    public String versionCode() {
        return versionCode;
    }

    public String versionOs() {
        return versionOs;
    }

    public Platform platform() {
        return platform;
    }

    public boolean isProd() {
        return prod;
    }

    public boolean isEmulator() {
        return emulator;
    }

    public String customId() {
        return customId;
    }
    /** Null: unknown (Android sends {@code ""}, iOS omits the key; §1.4). */
    public String installSource() {
        return installSource;
    }

    public int responseTimeoutSeconds() {
        return responseTimeoutSeconds;
    }

    public boolean autoDeleteFailed() {
        return autoDeleteFailed;
    }

    public boolean autoDeletePrevious() {
        return autoDeletePrevious;
    }

    public boolean resetWhenUpdate() {
        return resetWhenUpdate;
    }

    public AppBehaviour appBehaviour() {
        return appBehaviour;
    }
    /** False (default): waits run on a virtual clock and take no real time. */
    public boolean realTime() {
        return realTime;
    }

    public int downloadAttempts() {
        return downloadAttempts;
    }

    public long downloadBackoffMs() {
        return downloadBackoffMs;
    }

    public long downloadTimeoutFloorMs() {
        return downloadTimeoutFloorMs;
    }
    /**
     * The app's built-in web assets (Android {@code assets/public}), or null: a delta download takes a file from here
     * when its SHA-256 matches the entry's instead of fetching it (§7.4).
     */
    public Path builtinAssets() {
        return builtinAssets;
    }

    /** The deliberate bugs this device plays, for conformance-kit tests (none by default; see {@link Deviation}). */
    public Set<Deviation> deviations() {
        return deviations;
    }

    /** Whether this device plays the deliberate bug {@code d}. */
    public boolean has(Deviation d) {
        return deviations.contains(d);
    }

    /** The read/idle timeout of a zip download: {@code responseTimeout}, but not below the floor (Android: 60 s, §1.3). */
    long downloadTimeoutMs() {
        return Math.max(responseTimeoutSeconds * 1000L, downloadTimeoutFloorMs);
    }

    /** Builder with the plugin's defaults. {@link #appId} and the URLs (or {@link #server}) are required. */
    public static final class Builder {
        private PluginBehaviour plugin = PluginBehaviour.defaultVersion();
        private boolean spuriousDownloadFail;
        private String appId;
        private String updateUrl;
        private String statsUrl;
        private String channelUrl;
        private BundlePublicKey publicKey;
        private long appReadyTimeoutMs = 10_000;
        private AutoUpdateMode autoUpdate = AutoUpdateMode.AT_BACKGROUND;
        private String defaultChannel = "";
        private String versionBuild = "1.0.0";
        private String versionCode = "1";
        private String versionOs;
        private Platform platform = Platform.ANDROID;
        private boolean prod = true;
        private boolean emulator = false;
        private String customId = "";
        private String installSource;
        private int responseTimeoutSeconds = 20;
        private boolean autoDeleteFailed = true;
        private boolean autoDeletePrevious = true;
        private boolean resetWhenUpdate = true;
        private AppBehaviour appBehaviour = AppBehaviour.auto();
        private boolean realTime = false;
        private int downloadAttempts = 5;
        private long downloadBackoffMs = 30_000;
        private long downloadTimeoutFloorMs = 60_000;
        private Path builtinAssets;
        private EnumSet<Deviation> deviations = EnumSet.noneOf(Deviation.class);

        private Builder() {}

        /**
         * The plugin version to play ({@code plugin_version}, User-Agent, and every behaviour that changed with it;
         * see {@link PluginBehaviour}): strict semver, 5.0.0 or later.
         *
         * @throws IllegalArgumentException with a one-line reason for anything else
         */
        public Builder pluginVersion(String v) {
            this.plugin = PluginBehaviour.of(v);
            return this;
        }

        public Builder plugin(PluginBehaviour v) {
            this.plugin = Objects.requireNonNull(v, "plugin");
            return this;
        }
        /** Send the legacy spurious {@code download_fail} of plugins below 6.14.25 / 7.17.0 (no effect on newer ones). */
        public Builder spuriousDownloadFail(boolean v) {
            this.spuriousDownloadFail = v;
            return this;
        }

        public Builder appId(String v) {
            this.appId = v;
            return this;
        }

        /** Sets the three URLs to {@code <server>/updates}, {@code <server>/stats}, {@code <server>/channel_self}. */
        public Builder server(String baseUrl) {
            String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            this.updateUrl = b + "/updates";
            this.statsUrl = b + "/stats";
            this.channelUrl = b + "/channel_self";
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

        public Builder channelUrl(String v) {
            this.channelUrl = v;
            return this;
        }

        public Builder publicKey(BundlePublicKey v) {
            this.publicKey = v;
            return this;
        }

        /** Reads a PKCS#1 PEM public key file ({@code .capgo_key_v2.pub}). */
        public Builder publicKey(Path pemFile) throws IOException, CryptoException {
            this.publicKey = BundlePublicKey.read(pemFile);
            return this;
        }

        /** In ms; default 10000; values below 1000 are raised to 1000 (§1.1). */
        public Builder appReadyTimeoutMs(long v) {
            this.appReadyTimeoutMs = v;
            return this;
        }

        public Builder autoUpdate(AutoUpdateMode v) {
            this.autoUpdate = v;
            return this;
        }

        public Builder defaultChannel(String v) {
            this.defaultChannel = v;
            return this;
        }
        /** The native app version ({@code version_build}), default {@code 1.0.0}. */
        public Builder versionBuild(String v) {
            this.versionBuild = v;
            return this;
        }
        /** The native build number ({@code version_code}), default {@code 1}. */
        public Builder versionCode(String v) {
            this.versionCode = v;
            return this;
        }

        public Builder versionOs(String v) {
            this.versionOs = v;
            return this;
        }

        public Builder platform(Platform v) {
            this.platform = v;
            return this;
        }

        public Builder prod(boolean v) {
            this.prod = v;
            return this;
        }

        public Builder emulator(boolean v) {
            this.emulator = v;
            return this;
        }

        public Builder customId(String v) {
            this.customId = v;
            return this;
        }

        public Builder installSource(String v) {
            this.installSource = v;
            return this;
        }
        /** HTTP connect/read timeout in seconds, default 20 (§1.1). */
        public Builder responseTimeoutSeconds(int v) {
            this.responseTimeoutSeconds = v;
            return this;
        }
        /** Delete a rolled-back bundle's folder (default true; see §2.4 for the consequence). */
        public Builder autoDeleteFailed(boolean v) {
            this.autoDeleteFailed = v;
            return this;
        }
        /** Delete the previous fallback when a new bundle is confirmed (default true). */
        public Builder autoDeletePrevious(boolean v) {
            this.autoDeletePrevious = v;
            return this;
        }
        /** Reset to built-in when the native version changes (default true, §8.6). */
        public Builder resetWhenUpdate(boolean v) {
            this.resetWhenUpdate = v;
            return this;
        }

        public Builder appBehaviour(AppBehaviour v) {
            this.appBehaviour = v;
            return this;
        }
        /** True: really wait for timeouts and backoff; false (default): a virtual clock skips them. */
        public Builder realTime(boolean v) {
            this.realTime = v;
            return this;
        }
        /**
         * How many times one download is tried on 408/429/5xx/I-O errors (default 5). The plugin leaves this to
         * Android WorkManager, which retries with backoff; the simulator bounds it.
         */
        public Builder downloadAttempts(int v) {
            this.downloadAttempts = v;
            return this;
        }
        /** First retry delay, doubled each time (default 30 s, WorkManager's default; skipped on the virtual clock). */
        public Builder downloadBackoffMs(long v) {
            this.downloadBackoffMs = v;
            return this;
        }
        /** Lowest read timeout of a zip download (default 60 s, as Android; set 0 to use responseTimeout alone). */
        public Builder downloadTimeoutFloorMs(long v) {
            this.downloadTimeoutFloorMs = v;
            return this;
        }
        /** The built-in bundle's files (a folder laid out like the bundle), reused by delta downloads by hash (§7.4). */
        public Builder builtinAssets(Path v) {
            this.builtinAssets = v;
            return this;
        }

        /** Adds a deliberate bug (conformance-kit tests only; see {@link Deviation}). */
        public Builder deviation(Deviation d) {
            this.deviations.add(Objects.requireNonNull(d, "deviation"));
            return this;
        }

        /** Sets the deliberate bugs (conformance-kit tests only; an empty set for none). */
        public Builder deviations(Set<Deviation> v) {
            this.deviations = EnumSet.noneOf(Deviation.class);
            this.deviations.addAll(v);
            return this;
        }

        public DeviceConfig build() {
            return new DeviceConfig(this);
        }
    }
}
