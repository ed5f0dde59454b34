package dev.updraft.sim;

import static dev.updraft.sim.DeviceStats.meta;

import dev.updraft.protocol.StatsAction;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The web view and the {@code notifyAppReady} watchdog (§8.6): which bundle is loaded and when its simulated app
 * confirms it; without a confirmation in time, {@code app_launch_timeout}, {@code update_fail} and the rollback to the
 * fallback (or built-in). Waits run on the device's clock (virtual unless {@link DeviceConfig#realTime()}).
 */
final class ReadyWatchdog {
    static final String LAUNCH_SOURCE = "cold_start";

    private final DeviceConfig config;
    private final BundleRegistry registry;
    private final DeviceStats stats;
    private final SimClock clock;
    private final BooleanSupplier killed;
    private final DeviceLog log;

    // The process: what a kill forgets.
    private long launchStartedAt;
    private boolean launchReadySent;
    private boolean launchTimeoutSent;

    // The web view: the bundle loaded now and what its app does.
    private long loadedAt;
    private long readyDelay = AppBehaviour.NEVER_READY;
    private boolean readyCalled;
    private boolean watchdogDone;

    ReadyWatchdog(
            DeviceConfig config,
            BundleRegistry registry,
            DeviceStats stats,
            SimClock clock,
            BooleanSupplier killed,
            DeviceLog log) {
        this.config = config;
        this.registry = registry;
        this.stats = stats;
        this.clock = clock;
        this.killed = killed;
        this.log = log;
    }

    /** A new process: {@code app_launch_ready} and {@code app_launch_timeout} may be sent once again. */
    void newProcess() {
        launchReadySent = false;
        launchTimeoutSent = false;
    }

    /** The cold start begins now: {@code app_launch_start} (§3.3). */
    void launchStarted() {
        launchStartedAt = clock.nowMillis();
        stats.queue(
                StatsAction.APP_LAUNCH_START,
                registry.current().version(),
                "",
                meta("launch_started_at", launchStartedAt, "source", LAUNCH_SOURCE));
    }

    /** The web view (re)loads the current bundle; the simulated app decides when it calls notifyAppReady. */
    void load(String why) {
        BundleInfo current = registry.current();
        loadedAt = clock.nowMillis();
        readyCalled = false;
        watchdogDone = false;
        readyDelay = config.appBehaviour()
                .readyDelayMillis(current.isBuiltin() ? null : registry.state().bundleDir(current.id()));
        log.add("loaded " + current + " (" + why + "); app: " + config.appBehaviour()
                + (readyDelay == AppBehaviour.NEVER_READY
                        ? ", never calls notifyAppReady"
                        : ", calls notifyAppReady after " + readyDelay + " ms"));
        catchUp();
    }

    /** Lets the simulated app call notifyAppReady if its time has come. */
    void catchUp() {
        if (!readyCalled && readyDelay != AppBehaviour.NEVER_READY && clock.nowMillis() >= loadedAt + readyDelay) {
            notifyAppReady();
        }
    }

    /**
     * A-P {@code checkAppReady}: wait {@code appReadyTimeout}, at least 30 s while the bundle is not yet
     * {@code success}; then, without notifyAppReady, {@link #checkRevert}. The built-in bundle is exempt.
     */
    void checkAppReady() {
        catchUp();
        if (watchdogDone || readyCalled) {
            watchdogDone = true;
            return;
        }
        watchdogDone = true;
        BundleInfo current = registry.current();
        if (current.isBuiltin()) {
            return;
        }
        long timeout = config.appReadyTimeoutMs();
        if (current.status() != BundleStatus.SUCCESS) {
            timeout = Math.max(timeout, DeviceConfig.PENDING_BUNDLE_MIN_READY_TIMEOUT_MS);
        }
        long deadline = clock.nowMillis() + timeout;
        long readyAt = readyDelay == AppBehaviour.NEVER_READY ? Long.MAX_VALUE : loadedAt + readyDelay;
        if (readyAt <= deadline) {
            sleepUntil(readyAt);
            notifyAppReady();
            return;
        }
        sleepUntil(deadline);
        checkRevert(timeout);
    }

    /**
     * The JavaScript {@code CapacitorUpdater.notifyAppReady()}: the current bundle is good. It becomes
     * {@code success} and the fallback; with autoDeletePrevious the previous fallback is deleted. The first call of a
     * process sends {@code app_launch_ready}.
     */
    private void notifyAppReady() {
        readyCalled = true;
        BundleInfo current = registry.current();
        if (!current.isBuiltin()) {
            if (current.status() != BundleStatus.SUCCESS) {
                current = registry.setStatus(current, BundleStatus.SUCCESS, "notifyAppReady");
            }
            BundleInfo previous = registry.fallback();
            if (previous != null
                    && !previous.id().equals(current.id())
                    && config.autoDeletePrevious()
                    && !previous.id().equals(registry.nextId())) {
                registry.delete(previous, "previous fallback (autoDeletePrevious)");
            }
            registry.state().put(DeviceState.KEY_FALLBACK, current.id());
        }
        if (!launchReadySent) {
            launchReadySent = true;
            stats.queue(StatsAction.APP_LAUNCH_READY, current.version(), "", launchMeta());
        }
    }

    /** The metadata of {@code app_launch_ready} and {@code app_launch_timeout} (§3.3), plus {@code more}. */
    private Map<String, String> launchMeta(Object... more) {
        Map<String, String> m = meta(
                "duration_ms",
                clock.nowMillis() - launchStartedAt,
                "launch_started_at",
                launchStartedAt,
                "source",
                LAUNCH_SOURCE);
        m.putAll(meta(more));
        return m;
    }

    /**
     * A-P {@code checkRevert}: notifyAppReady did not come. {@code app_launch_timeout} (once per process); for a
     * bundle not yet {@code success}: {@code update_fail}, mark it {@code error}, go back to the fallback (or
     * built-in), delete it with autoDeleteFailed. A bundle already confirmed earlier is not rolled back.
     * (The exact stat sequence of checkRevert is reconstructed from §3.3 and §8.6.)
     */
    private void checkRevert(long timeoutMs) {
        BundleInfo failed = registry.current();
        if (!launchTimeoutSent) {
            launchTimeoutSent = true;
            stats.queue(StatsAction.APP_LAUNCH_TIMEOUT, failed.version(), "", launchMeta("timeout_ms", timeoutMs));
        }
        if (failed.status() == BundleStatus.SUCCESS) {
            log.add("notifyAppReady not called, but " + failed.version() + " was confirmed before: kept");
            return;
        }
        if (!config.has(Deviation.NEVER_SEND_UPDATE_FAIL)) {
            stats.queue(StatsAction.UPDATE_FAIL, failed.version(), "", null);
        }
        failed = registry.setStatus(
                failed, BundleStatus.ERROR, "notifyAppReady not called within " + timeoutMs + " ms: rolled back");
        registry.state().put(DeviceState.KEY_LAST_FAILED, failed.id());
        BundleInfo fallback = registry.fallback();
        if (fallback != null
                && !fallback.id().equals(failed.id())
                && registry.state().usable(fallback.id())) {
            registry.switchTo(fallback);
        } else {
            registry.resetToBuiltin(false);
        }
        if (config.autoDeleteFailed()) {
            registry.delete(failed, "rolled back (autoDeleteFailed)");
        }
        load("rollback");
        checkAppReady();
    }

    private void sleepUntil(long deviceTime) {
        try {
            clock.sleep(deviceTime - clock.nowMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceKilledException();
        }
        if (killed.getAsBoolean()) {
            throw new DeviceKilledException();
        }
    }
}
