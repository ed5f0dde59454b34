package dev.updraft.sim;

import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.Platform;
import dev.updraft.protocol.StatsAction;
import dev.updraft.protocol.StatsEvent;
import dev.updraft.protocol.UpdateAnswer;
import dev.updraft.sim.CheckResult.Outcome;
import dev.updraft.sim.CheckResult.Trigger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A phone running an app that ships {@code @capgo/capacitor-updater}, simulated on a JVM: 8.51.23 unless
 * {@link DeviceConfig#plugin()} says another version.
 *
 * <p>This class is the facade: the app's life ({@link #launch()}, {@link #foreground()}, {@link #background()},
 * {@link #kill()}), the JavaScript calls ({@link #checkForUpdate()}, the channel calls) and what can be observed. The
 * plugin's behaviour lives in small parts (docs/simulator.md, "Structure"); section numbers ({@code §2.3}) refer to
 * docs/protocol.md:
 * <ul>
 *   <li>{@link UpdatePolicy}: what the plugin does with an {@code /updates} answer, a pure function tested row by row;
 *       {@link UpdateCheck} asks it and carries the decision out.</li>
 *   <li>{@link BundleFetcher}: download (resumed), verify, unzip, or a delta built from its manifest, with the progress
 *       and failure stats; {@link BundleInstaller}: apply now, as next, or keep.</li>
 *   <li>{@link ReadyWatchdog}: the web view, {@code notifyAppReady}, the watchdog and the rollback.</li>
 *   <li>{@link ChannelCalls}: §4; {@link DeviceStats}: the events (the queue is {@link StatsReporter}'s);
 *       {@link BundleRegistry}: current/next/fallback and the moves between bundles; {@link LaunchHousekeeping}.</li>
 * </ul>
 * Where the plugin's history changed a behaviour, the decision is one named gate of {@link PluginBehaviour}, which asks
 * the protocol's {@code PluginCapabilities}; nothing compares versions elsewhere.
 *
 * <p>Each call blocks until the device has done everything the plugin would do in reaction (network included); call
 * them from a plain thread, one at a time (they are synchronized), except {@link #kill()}, which may come from another
 * thread to stop the process mid-download. Waits (the {@code notifyAppReady} watchdog, retry backoff) run on a virtual
 * clock unless {@link DeviceConfig#realTime()}.
 *
 * <p>A new {@code SimulatedDevice} on the same state folder is the same phone after a restart of the simulator: same
 * {@code device_id}, bundles, current/next/fallback, pending stats, and a half-finished download that resumes.
 */
public final class SimulatedDevice implements AutoCloseable {
    private final DeviceConfig config;
    private final PluginBehaviour plugin;
    private final DeviceState state;
    private final DeviceHttp http;
    private final boolean ownsHttp;
    private final SimClock clock;
    private final RateLimitGuard rateLimit = new RateLimitGuard();
    private final DeviceLog log;
    private final BundleRegistry registry;
    private final ChannelCalls channels;
    private final DeviceStats stats;
    private final BundleFetcher fetcher;
    private final ReadyWatchdog watchdog;
    private final BundleInstaller installer;
    private final UpdateCheck updates;
    private final LaunchHousekeeping housekeeping;

    // The process: what a kill forgets.
    private volatile boolean running;
    private volatile boolean killed;
    private volatile Thread busyThread;
    private boolean inForeground;
    private boolean firstLaunchAfterInstall;

    private SimulatedDevice(DeviceConfig config, Path stateDir, DeviceHttp http, boolean ownsHttp) {
        this.config = config;
        this.plugin = config.plugin();
        this.state = new DeviceState(stateDir);
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.clock = config.realTime() ? SimClock.real() : SimClock.virtual();
        this.log = new DeviceLog(clock);
        this.registry = new BundleRegistry(state, config, clock, log);
        this.channels = new ChannelCalls(config, state, http, rateLimit, clock, log);
        Supplier<InfoObject> info = this::buildInfoObject;
        this.stats = new DeviceStats(
                http,
                config,
                state,
                clock,
                rateLimit,
                info,
                () -> registry.current().version(),
                log);
        registry.sendStatsTo(stats);
        channels.connect(info, stats);
        BundleDownloader downloader = new BundleDownloader(http, state, config, clock, () -> killed);
        this.fetcher = new BundleFetcher(
                config, registry, stats, downloader, new ManifestDownloader(downloader, state, config), log);
        this.watchdog = new ReadyWatchdog(config, registry, stats, clock, () -> killed, log);
        this.installer = new BundleInstaller(registry, watchdog, stats, log);
        this.updates = new UpdateCheck(
                config,
                http,
                rateLimit,
                clock,
                registry,
                stats,
                fetcher,
                installer,
                info,
                () -> firstLaunchAfterInstall,
                log);
        this.housekeeping = new LaunchHousekeeping(config, registry, stats, log);
        state.deviceId(); // made once and kept (§1.4)
    }

    /** A device with its own network (closed by {@link #close()}), its state in {@code stateDir} (created if needed). */
    public static SimulatedDevice open(DeviceConfig config, Path stateDir) {
        return new SimulatedDevice(config, stateDir, DeviceHttp.create(), true);
    }

    /** A device on a shared network: use one {@link DeviceHttp} for many devices. */
    public static SimulatedDevice open(DeviceConfig config, Path stateDir, DeviceHttp http) {
        return new SimulatedDevice(config, stateDir, http, false);
    }

    // ---- the app's life ----

    /**
     * Cold start: the plugin loads, the web view starts the current bundle, and the app comes to the foreground
     * (which checks for an update, §1.2, and starts the {@code notifyAppReady} watchdog, §8.6).
     */
    public synchronized void launch() {
        if (running) {
            throw new IllegalStateException("the app is already running; kill() it first");
        }
        running = true;
        killed = false;
        rateLimit.newProcess();
        watchdog.newProcess();
        fetcher.newProcess();
        inForeground = false;
        operate(() -> {
            watchdog.launchStarted(); // app_launch_start (§3.3)
            firstLaunchAfterInstall = housekeeping.run();
            watchdog.load("cold start");
            appMovedToForeground(Trigger.LAUNCH);
            return null;
        });
    }

    /** The app comes back to the foreground: {@code app_moved_to_foreground}, update check, watchdog (§1.2, §8.6). */
    public synchronized void foreground() {
        requireRunning();
        if (inForeground) {
            return;
        }
        operate(() -> {
            appMovedToForeground(Trigger.FOREGROUND);
            return null;
        });
    }

    /** The app goes to the background: {@code app_moved_to_background}, and a next bundle is installed (§8.4). */
    public synchronized void background() {
        requireRunning();
        if (!inForeground) {
            return;
        }
        operate(() -> {
            inForeground = false;
            watchdog.catchUp();
            stats.queue(StatsAction.APP_MOVED_TO_BACKGROUND);
            installer.installNext();
            return null;
        });
    }

    /**
     * The OS kills the app process. Nothing more is sent; queued stats stay persisted for the next launch. May be
     * called from another thread while this device is busy (e.g. mid-download): the operation stops where it is,
     * leaving the state folder as a killed phone would (a partial download stays, to be resumed).
     */
    public void kill() {
        killed = true;
        Thread t = busyThread;
        if (t != null && t != Thread.currentThread() && config.realTime()) {
            t.interrupt(); // wake a real-time sleep
        }
        synchronized (this) {
            running = false;
            inForeground = false;
            log.add("killed");
        }
    }

    /**
     * A manual update check (JavaScript {@code getLatest()} + download, or a check outside the foreground rhythm):
     * the same path as an automatic check; {@code off} mode only downloads.
     */
    public synchronized CheckResult checkForUpdate() {
        requireRunning();
        CheckResult result = operate(() -> updates.run(Trigger.MANUAL));
        return result != null
                ? result
                : new CheckResult(
                        clock.nowMillis(),
                        0,
                        Trigger.MANUAL,
                        UpdateAnswer.localFailure("killed", "killed"),
                        Outcome.KILLED,
                        "killed");
    }

    /** Sends whatever stats are queued now (they are also flushed at the end of every lifecycle step). */
    public synchronized void flushStats() {
        stats.reporter().flush();
    }

    private void appMovedToForeground(Trigger trigger) {
        inForeground = true;
        watchdog.catchUp();
        stats.queue(StatsAction.APP_MOVED_TO_FOREGROUND); // §3.3
        if (config.autoUpdate() != AutoUpdateMode.OFF) {
            updates.run(trigger); // §1.2: every foreground transition, the first start included
        }
        watchdog.checkAppReady(); // §8.6: the watchdog runs after every foreground transition
    }

    /** Runs one step of the app's life: stats are flushed after it; a kill stops it quietly (null then). */
    private <T> T operate(Supplier<T> step) {
        busyThread = Thread.currentThread();
        try {
            return step.get();
        } catch (DeviceKilledException e) {
            log.add("stopped: the process was killed");
            return null;
        } finally {
            busyThread = null;
            if (killed) {
                Thread.interrupted(); // do not leave a kill's interrupt on the caller's thread
            } else {
                stats.reporter().flush();
            }
        }
    }

    private void requireRunning() {
        if (!running) {
            throw new IllegalStateException("the app is not running; launch() it first");
        }
    }

    // ---- channels (§4) ----

    /**
     * {@code setChannel({channel})}: POST. On success the channel is kept as defaultChannel ({@code unset:true}
     * removes it), unless this plugin relies on the server's store (gate "channel storage"): then nothing is kept.
     */
    public synchronized ChannelResult setChannel(String channel) {
        return setChannel(channel, false);
    }

    /** {@code setChannel({channel, triggerAutoUpdate})}: with {@code triggerAutoUpdate}, an update check follows a success. */
    public synchronized ChannelResult setChannel(String channel, boolean triggerAutoUpdate) {
        return operate(() -> {
            ChannelResult r = channels.set(channel);
            if (r.ok() && triggerAutoUpdate && running) {
                updates.run(Trigger.MANUAL);
            }
            return r;
        });
    }

    /**
     * {@code getChannel()}: PUT; the answer's channel is kept as defaultChannel unless empty or {@code builtin}, or
     * unless this plugin relies on the server's store (gate "channel storage").
     */
    public synchronized ChannelResult getChannel() {
        return operate(channels::get);
    }

    /** {@code listChannels()}: GET with the info object as query parameters; a JSON array whose ids are numbers. */
    public synchronized ChannelResult listChannels() {
        return operate(channels::list);
    }

    /**
     * {@code unsetChannel()}: local, no HTTP call, for a plugin that keeps its channel (§4); {@code DELETE} with the
     * info object for one that relies on the server's store (gate "channel storage"), read as setChannel's answer.
     */
    public synchronized ChannelResult unsetChannel() {
        return channels.unsetIsRemote() ? operate(channels::unset) : channels.unset();
    }

    // ---- what goes on the wire: the info object (§1.4) ----

    /**
     * The info object (§1.4): Android sends {@code install_source} {@code ""} when unknown, iOS omits it; the
     * {@code plugin_version} played; {@code key_id} only with a public key and in this version's format (gate
     * "key_id"). Written in the Android plugin's key order by the protocol.
     */
    public synchronized InfoObject infoObject() {
        return buildInfoObject();
    }

    private InfoObject buildInfoObject() {
        String installSource = config.installSource() != null || config.platform() == Platform.ANDROID
                ? (config.installSource() == null ? "" : config.installSource())
                : null;
        return InfoObject.builder()
                .platform(config.platform())
                .deviceId(state.deviceId())
                .appId(config.appId())
                .customId(config.customId())
                .versionBuild(config.versionBuild())
                .versionCode(config.versionCode())
                .versionOs(config.versionOs())
                .versionName(registry.current().version())
                .pluginVersion(plugin.version())
                .isEmulator(config.isEmulator())
                .isProd(config.isProd())
                .installSource(installSource)
                .defaultChannel(channels.effectiveDefaultChannel())
                .keyId(plugin.keyIdFor(config.publicKey()))
                .build();
    }

    // ---- observation (for tests, reports and porters comparing notes) ----

    public DeviceConfig config() {
        return config;
    }

    /** The state folder. */
    public Path stateDir() {
        return state.dir();
    }

    public SimClock clock() {
        return clock;
    }

    /** The stable {@code device_id}. */
    public String deviceId() {
        return state.deviceId();
    }

    public boolean isRunning() {
        return running;
    }

    /** The bundle running now (the built-in one if none). */
    public synchronized BundleInfo currentBundle() {
        return registry.current();
    }

    /** The bundle queued for the next background, or null; the built-in bundle if built-in is queued. */
    public synchronized BundleInfo nextBundle() {
        return registry.next();
    }

    /** The last confirmed bundle ({@code pastVersion}), or null (a rollback then goes to built-in). */
    public synchronized BundleInfo fallbackBundle() {
        return registry.fallback();
    }

    /** The registry, oldest first (the built-in bundle is not listed). */
    public synchronized List<BundleInfo> bundles() {
        return state.bundles();
    }

    /** The registry entry of a version (the one the plugin would pick), or null. */
    public synchronized BundleInfo bundle(String version) {
        return registry.findByVersion(version);
    }

    /** Whether a bundle's folder exists on disk. */
    public synchronized boolean hasFolder(String bundleId) {
        return state.folderExists(bundleId);
    }

    /** Every status change seen by this object. */
    public synchronized List<StatusChange> statusHistory() {
        return registry.history();
    }

    /** Stats events that reached the server (2xx), in order. */
    public synchronized List<StatsEvent> sentStats() {
        return List.copyOf(stats.reporter().delivered());
    }

    /** The actions of {@link #sentStats()}, in order. */
    public synchronized List<String> sentActions() {
        List<String> a = new ArrayList<>();
        for (StatsEvent e : stats.reporter().delivered()) {
            a.add(e.action());
        }
        return a;
    }

    /** Events queued and not yet delivered (persisted). */
    public synchronized List<StatsEvent> pendingStats() {
        return stats.reporter().pending();
    }

    /** Events given up: dropped on a non-retryable answer, or pushed out of the full queue. */
    public synchronized List<StatsEvent> droppedStats() {
        return List.copyOf(stats.reporter().dropped());
    }

    /** Every stats POST and its outcome. */
    public synchronized List<StatsDelivery> statsDeliveries() {
        return List.copyOf(stats.reporter().deliveries());
    }

    /** Every update check of this object. */
    public synchronized List<CheckResult> checks() {
        return updates.checks();
    }

    /** The last update check, or null. */
    public synchronized CheckResult lastCheck() {
        return updates.last();
    }

    /** Every download of this object. */
    public synchronized List<DownloadRecord> downloads() {
        return fetcher.downloads();
    }

    /** Bytes received from the network for bundle downloads (a resumed download counts only the new bytes). */
    public synchronized long bytesDownloaded() {
        return fetcher.bytesDownloaded();
    }

    /** A human-readable log of what the device did. */
    public synchronized List<String> log() {
        return log.lines();
    }

    /** Whether a 429 block is active now. */
    public synchronized boolean isRateLimited() {
        return rateLimit.isBlocked(clock.nowMillis());
    }

    /** A snapshot for reports. */
    public synchronized DeviceReport report() {
        return DeviceReport.of(this);
    }

    /** Closes the network if this device owns it. The state folder stays. */
    @Override
    public void close() {
        if (ownsHttp) {
            http.close();
        }
    }
}
