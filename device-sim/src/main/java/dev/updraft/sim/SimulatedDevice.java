package dev.updraft.sim;

import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundleVerifier;
import dev.updraft.crypto.CryptoException;
import dev.updraft.crypto.DeltaPayloadReader;
import dev.updraft.crypto.SessionKey;
import dev.updraft.crypto.zip.BundleArchiveException;
import dev.updraft.crypto.zip.SafeUnzip;
import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.ManifestEntry;
import dev.updraft.protocol.Platform;
import dev.updraft.protocol.StatsAction;
import dev.updraft.protocol.StatsEvent;
import dev.updraft.protocol.UpdateAnswer;
import dev.updraft.sim.CheckResult.Outcome;
import dev.updraft.sim.CheckResult.Trigger;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A phone running an app that ships {@code @capgo/capacitor-updater}, simulated on a JVM: 8.51.23 unless
 * {@link DeviceConfig#plugin()} says another version.
 *
 * <p><b>This class is the plugin's state machine, in one place, to be read top to bottom.</b> Section numbers
 * ({@code §2.3}) refer to docs/protocol.md. Helpers do the mechanics: {@link DeviceState}
 * (the persisted folder), {@link StatsReporter} (the stats queue), {@link BundleDownloader} (HTTP download with
 * resume, verified through crypto-core), {@link UpdateAnswer} (the protocol's answer classes), {@link RateLimitGuard} (429);
 * what goes on the wire (info object, stats events) is written by the {@code protocol} module.
 * Every decision — what to do with an answer, which stat to send, when to apply, when to roll back — is here.
 * Where the plugin's history changed a behaviour, the decision is one named gate of {@link PluginBehaviour}
 * ({@code plugin.keepsChannelOnDevice()}, {@code plugin.answerClass(..)}, ...); nothing here compares versions.
 *
 * <p>The app's life is driven explicitly: {@link #launch()} (cold start), {@link #foreground()},
 * {@link #background()}, {@link #kill()}; plus {@link #checkForUpdate()} and the channel calls. Each call blocks
 * until the device has done everything the plugin would do in reaction (network included); call them from a
 * plain thread, one at a time (they are synchronized), except {@link #kill()}, which may come from another thread
 * to stop the process mid-download. Waits (the {@code notifyAppReady} watchdog, retry backoff) run on a virtual
 * clock unless {@link DeviceConfig#realTime()}.
 *
 * <p>A new {@code SimulatedDevice} on the same state folder is the same phone after a restart of the simulator: same
 * {@code device_id}, bundles, current/next/fallback, pending stats, and a half-finished download that resumes.
 */
public final class SimulatedDevice implements AutoCloseable {
    private static final String LAUNCH_SOURCE = "cold_start";

    private final DeviceConfig config;
    private final PluginBehaviour plugin;
    private final DeviceState state;
    private final DeviceHttp http;
    private final boolean ownsHttp;
    private final SimClock clock;
    private final RateLimitGuard rateLimit = new RateLimitGuard();
    private final StatsReporter stats;
    private final BundleDownloader downloader;
    private final ManifestDownloader manifests;

    // The process: what a kill forgets.
    private volatile boolean running;
    private volatile boolean killed;
    private volatile Thread busyThread;
    private boolean inForeground;
    private long launchStartedAt;
    private boolean launchReadySent;
    private boolean launchTimeoutSent;
    private int lastNotifiedStatPercent;
    private boolean firstLaunchAfterInstall;
    private String currentDownloadVersion = "";

    // The web view: the bundle loaded now and what its app does.
    private long loadedAt;
    private long readyDelay = AppBehaviour.NEVER_READY;
    private boolean readyCalled;
    private boolean watchdogDone;

    // Observations, for tests and reports (this object's lifetime).
    private final List<StatusChange> history = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final List<CheckResult> checks = new ArrayList<>();
    private final List<DownloadRecord> downloads = new ArrayList<>();
    private long bytesDownloaded;

    private SimulatedDevice(DeviceConfig config, Path stateDir, DeviceHttp http, boolean ownsHttp) {
        this.config = config;
        this.plugin = config.plugin();
        this.state = new DeviceState(stateDir);
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.clock = config.realTime() ? SimClock.real() : SimClock.virtual();
        this.stats = new StatsReporter(http, config, state, clock, rateLimit::isBlocked, this::onRateLimitAnswer);
        this.downloader = new BundleDownloader(http, state, config, clock, () -> killed);
        this.manifests = new ManifestDownloader(downloader, state, config);
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

    // =====================================================================================================
    // 1. App lifecycle
    // =====================================================================================================

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
        startProcess();
        operate(() -> {
            launchStartedAt = clock.nowMillis();
            queueStat(
                    StatsAction.APP_LAUNCH_START,
                    currentBundle().version(),
                    "",
                    meta("launch_started_at", launchStartedAt, "source", LAUNCH_SOURCE)); // §3.3
            checkNativeAndOsVersion(); // §3.3 os/native version events; §8.6 resetWhenUpdate
            finishInterruptedDeletes(); // §8.5 "deleting" survives a kill
            autoReset(); // §8.6 current bundle missing: back to built-in
            loadCurrentBundle("cold start");
            appMovedToForeground(Trigger.LAUNCH);
        });
    }

    /** The app comes back to the foreground: {@code app_moved_to_foreground}, update check, watchdog (§1.2, §8.6). */
    public synchronized void foreground() {
        requireRunning();
        if (inForeground) {
            return;
        }
        operate(() -> appMovedToForeground(Trigger.FOREGROUND));
    }

    /** The app goes to the background: {@code app_moved_to_background}, and a next bundle is installed (§8.4). */
    public synchronized void background() {
        requireRunning();
        if (!inForeground) {
            return;
        }
        operate(() -> {
            inForeground = false;
            catchUpApp();
            queueStat(StatsAction.APP_MOVED_TO_BACKGROUND, currentBundle().version(), "", null);
            installNext();
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
            log("killed");
        }
    }

    /**
     * A manual update check (JavaScript {@code getLatest()} + download, or a check outside the foreground rhythm):
     * the same path as an automatic check; {@code off} mode only downloads.
     */
    public synchronized CheckResult checkForUpdate() {
        requireRunning();
        CheckResult[] result = new CheckResult[1];
        operate(() -> result[0] = runUpdateCheck(Trigger.MANUAL));
        return result[0] != null
                ? result[0]
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
        stats.flush();
    }

    private void appMovedToForeground(Trigger trigger) {
        inForeground = true;
        catchUpApp();
        queueStat(StatsAction.APP_MOVED_TO_FOREGROUND, currentBundle().version(), "", null); // §3.3
        if (config.autoUpdate() != AutoUpdateMode.OFF) {
            runUpdateCheck(trigger); // §1.2: every foreground transition, the first start included
        }
        checkAppReady(); // §8.6: the watchdog runs after every foreground transition
    }

    /** Runs one step of the app's life: stats are flushed after it; a kill stops it quietly. */
    private void operate(Runnable step) {
        busyThread = Thread.currentThread();
        try {
            step.run();
        } catch (DeviceKilledException e) {
            log("stopped: the process was killed");
        } finally {
            busyThread = null;
            if (killed) {
                Thread.interrupted(); // do not leave a kill's interrupt on the caller's thread
            } else {
                stats.flush();
            }
        }
    }

    private void startProcess() {
        rateLimit.newProcess();
        launchReadySent = false;
        launchTimeoutSent = false;
        lastNotifiedStatPercent = 0;
        inForeground = false;
    }

    private void requireRunning() {
        if (!running) {
            throw new IllegalStateException("the app is not running; launch() it first");
        }
    }

    // =====================================================================================================
    // 2. Launch-time housekeeping (§3.3, §8.5, §8.6)
    // =====================================================================================================

    private void checkNativeAndOsVersion() {
        String prevOs = state.get(DeviceState.KEY_LAST_VERSION_OS);
        if (prevOs != null && !prevOs.equals(config.versionOs())) {
            queueStat(
                    StatsAction.OS_VERSION_CHANGED,
                    currentBundle().version(),
                    "",
                    meta("previous_version_os", prevOs, "current_version_os", config.versionOs()));
        }
        String prevBuild = state.get(DeviceState.KEY_LAST_VERSION_BUILD);
        String prevCode = state.get(DeviceState.KEY_LAST_VERSION_CODE);
        if (prevBuild != null
                && (!prevBuild.equals(config.versionBuild())
                        || !String.valueOf(prevCode).equals(config.versionCode()))) {
            queueStat(
                    StatsAction.NATIVE_APP_VERSION_CHANGED,
                    currentBundle().version(),
                    "",
                    meta(
                            "previous_version_build",
                            prevBuild,
                            "current_version_build",
                            config.versionBuild(),
                            "previous_version_code",
                            String.valueOf(prevCode),
                            "current_version_code",
                            config.versionCode()));
        }
        // §8.6 resetWhenUpdate: a new native build (LatestNativeBuildVersion, the build number) means the store
        // shipped new built-in assets: back to built-in, every downloaded bundle deleted.
        String latestNative = state.get(DeviceState.KEY_NATIVE_BUILD);
        firstLaunchAfterInstall = latestNative == null || !latestNative.equals(config.versionCode());
        if (latestNative != null && !latestNative.equals(config.versionCode()) && config.resetWhenUpdate()) {
            log("native build changed " + latestNative + " -> " + config.versionCode()
                    + ": reset to built-in, bundles deleted");
            for (BundleInfo b : state.bundles()) {
                DeviceState.deleteTree(state.bundleDir(b.id()));
                state.removeBundle(b.id());
            }
            state.put(DeviceState.KEY_CURRENT, DeviceState.BUILTIN_PATH);
            state.put(DeviceState.KEY_FALLBACK, null);
            state.put(DeviceState.KEY_NEXT, null);
        }
        state.put(DeviceState.KEY_NATIVE_BUILD, config.versionCode());
        state.put(DeviceState.KEY_LAST_VERSION_OS, config.versionOs());
        state.put(DeviceState.KEY_LAST_VERSION_BUILD, config.versionBuild());
        state.put(DeviceState.KEY_LAST_VERSION_CODE, config.versionCode());
    }

    private void finishInterruptedDeletes() {
        for (BundleInfo b : state.bundles()) {
            if (b.status() == BundleStatus.DELETING) {
                DeviceState.deleteTree(state.bundleDir(b.id()));
                setStatus(b, BundleStatus.DELETED, "delete finished after a kill");
            }
        }
    }

    private void autoReset() {
        String cur = state.get(DeviceState.KEY_CURRENT);
        if (cur != null && !cur.equals(DeviceState.BUILTIN_PATH) && (state.bundle(cur) == null || !state.usable(cur))) {
            log("current bundle " + cur + " is missing: reset to built-in");
            state.put(DeviceState.KEY_CURRENT, DeviceState.BUILTIN_PATH);
        }
    }

    // =====================================================================================================
    // 3. The update check (§2.1, §2.2)
    // =====================================================================================================

    private CheckResult runUpdateCheck(Trigger trigger) {
        long at = clock.nowMillis();
        UpdateAnswer answer;
        long latency = 0;
        if (rateLimit.isBlocked(at)) {
            // §1.5: while blocked, the check fails locally with the stored error (no kind: treated as failed)
            answer = UpdateAnswer.localFailure(rateLimit.error(), rateLimit.message());
        } else {
            ApiResponse r = http.call(
                    HttpMethod.POST,
                    config.updateUrl(),
                    null,
                    Buffer.buffer(infoObject().toJson()),
                    jsonHeaders("application/json; charset=utf-8"),
                    config.responseTimeoutSeconds() * 1000L);
            onRateLimitAnswer(r);
            latency = r.latencyMs();
            answer = r.asUpdateAnswer(config.platform());
        }
        CheckResult result;
        try {
            result = decide(trigger, at, latency, answer);
        } catch (DeviceKilledException e) {
            checks.add(new CheckResult(at, latency, trigger, answer, Outcome.KILLED, "killed"));
            throw e;
        }
        checks.add(result);
        log("check (" + trigger.name().toLowerCase() + "): " + answer + " -> " + result.outcome()
                + (result.detail() == null ? "" : ": " + result.detail()));
        return result;
    }

    private CheckResult decide(Trigger trigger, long at, long latency, UpdateAnswer answer) {
        // Gates "kind" and "revert to built-in": which class this plugin version acts on (kind from 8.45.11)
        switch (plugin.answerClass(answer)) {
            case UP_TO_DATE:
                if (sendsSpuriousDownloadFail()) {
                    queueStat(StatsAction.DOWNLOAD_FAIL, currentBundle().version(), "", null);
                }
                return result(trigger, at, latency, answer, Outcome.NO_UPDATE, answer.error());
            case BLOCKED:
                return result(trigger, at, latency, answer, Outcome.BLOCKED, answer.error());
            case FAILED:
                // §2.2.C: kind "failed" (or missing/unknown, or a transport error; before 8.45.11 every code that
                // is not "up to date") also sends download_fail with the current version
                queueStat(StatsAction.DOWNLOAD_FAIL, currentBundle().version(), "", null);
                return result(trigger, at, latency, answer, Outcome.CHECK_FAILED, answer.error());
            case BUILTIN:
                return result(trigger, at, latency, answer, revertToBuiltin(trigger), null);
            default:
                return onUpdateAvailable(trigger, at, latency, answer);
        }
    }

    /** Gate "legacy download_fail": below 6.14.25 / 7.17.0, when asked, {@code download_fail} where nothing failed. */
    private boolean sendsSpuriousDownloadFail() {
        return config.spuriousDownloadFail() && plugin.sendsSpuriousDownloadFail();
    }

    /** §2.2.B: {@code {"version":"builtin"}}: reset now in direct-update modes, else schedule built-in as next. */
    private Outcome revertToBuiltin(Trigger trigger) {
        BundleInfo current = currentBundle();
        if (current.isBuiltin()) {
            return Outcome.NO_UPDATE;
        }
        if (!appliesBundles(trigger)) {
            return Outcome.DOWNLOADED; // onlyDownload: only updateAvailable with the built-in bundle
        }
        if (appliesNow(trigger)) {
            resetToBuiltin(true);
            loadCurrentBundle("reset to built-in");
            checkAppReady();
            return Outcome.APPLIED;
        }
        state.put(DeviceState.KEY_NEXT, BundleInfo.BUILTIN_ID);
        queueStat(StatsAction.SET_NEXT, builtin().version(), current.version(), null);
        return Outcome.SCHEDULED;
    }

    // =====================================================================================================
    // 4. "Update available": the order of checks of §2.3
    // =====================================================================================================

    private CheckResult onUpdateAvailable(Trigger trigger, long at, long latency, UpdateAnswer answer) {
        BundleInfo current = currentBundle();
        String version = answer.version();
        // §2.3 step 3: the url must be a valid URL (Android: new java.net.URL(url))
        if (!validUrl(answer.url())) {
            queueStat(StatsAction.DOWNLOAD_FAIL, current.version(), "", null);
            return result(trigger, at, latency, answer, Outcome.REFUSED, "Error no url or wrong format");
        }
        // step 4: empty or same version: nothing to do (string equality, §10)
        if (version.isEmpty() || version.equals(current.version())) {
            return result(trigger, at, latency, answer, Outcome.NO_UPDATE, "already on " + current.version());
        }
        boolean encrypted = config.publicKey() != null;
        // step 5: a local bundle with that version name
        BundleInfo local = findByVersion(version);
        String resumeId = null;
        if (local != null) {
            boolean folder = state.folderExists(local.id());
            // Deviation RETRY_FAILED_VERSION: the error-state guard is skipped; the entry is forgotten below
            boolean retryFailed =
                    local.status() == BundleStatus.ERROR && folder && config.has(Deviation.RETRY_FAILED_VERSION);
            if (local.status() == BundleStatus.ERROR && folder && !retryFailed) {
                queueStat(StatsAction.DOWNLOAD_FAIL, current.version(), "", null);
                return result(
                        trigger,
                        at,
                        latency,
                        answer,
                        Outcome.REFUSED,
                        "Latest bundle already exists, and is in error state");
            }
            if (local.status() == BundleStatus.DOWNLOADING) {
                resumeId = local.id(); // a download interrupted by a kill: resume it (§8.1)
            } else if (local.status() != BundleStatus.DELETED
                    && local.status() != BundleStatus.DELETING
                    && local.status() != BundleStatus.ERROR
                    && state.usable(local.id())) {
                if (encrypted && !SessionKey.hasSessionKeyShape(answer.sessionKey())) {
                    queueStat(StatsAction.SESSION_KEY_REQUIRED, current.version(), "", null);
                    return result(trigger, at, latency, answer, Outcome.REFUSED, "session_key_required");
                }
                if (local.id().equals(state.get(DeviceState.KEY_NEXT))) {
                    return result(trigger, at, latency, answer, Outcome.NO_UPDATE, "already the next bundle");
                }
                return result(trigger, at, latency, answer, applyDownloaded(local, trigger), "already downloaded");
            } else {
                // deleted (or an error/pending entry whose folder is gone, §2.4): forget it and download again
                if (retryFailed) {
                    DeviceState.deleteTree(state.bundleDir(local.id()));
                }
                state.removeBundle(local.id());
            }
        }
        // step 6: fail-closed encryption, and a checksum is required
        if (encrypted && !SessionKey.hasSessionKeyShape(answer.sessionKey())) {
            queueStat(StatsAction.SESSION_KEY_REQUIRED, current.version(), "", null);
            return result(trigger, at, latency, answer, Outcome.REFUSED, "session_key_required");
        }
        // Gate "manifest": older plugins ignore manifest and download the zip at url; newer ones build the bundle
        // from the manifest and need no zip checksum (§7.4)
        if (answer.hasManifest() && plugin.readsManifest()) {
            String[] detail = new String[1];
            Outcome outcome = downloadAndInstallManifest(answer, resumeId, trigger, detail);
            return result(trigger, at, latency, answer, outcome, detail[0]);
        }
        boolean skipChecksum = config.has(Deviation.SKIP_CHECKSUM);
        if (answer.checksum().isEmpty() && !skipChecksum) {
            queueStat(StatsAction.CHECKSUM_REQUIRED, current.version(), "", null);
            return result(trigger, at, latency, answer, Outcome.REFUSED, "checksum_required");
        }
        // Deviation SKIP_CHECKSUM: a plain zip is taken as it comes (no verifier); an encrypted one only decrypted
        BundleVerifier verifier = skipChecksum && config.publicKey() == null ? null : verifierFor(answer, current);
        if (verifier == null && !(skipChecksum && config.publicKey() == null)) {
            return result(
                    trigger,
                    at,
                    latency,
                    answer,
                    Outcome.REFUSED,
                    "session key or checksum cannot be used with this device's key");
        }
        // step 7: download, verify, unzip, then apply per autoUpdate
        String[] detail = new String[1];
        Outcome outcome = downloadAndInstall(answer, resumeId, verifier, trigger, detail);
        return result(trigger, at, latency, answer, outcome, detail[0]);
    }

    /**
     * The checks the plugin does on the session key and checksum (§5.4, §5.5). crypto-core does them up front, so
     * the simulator refuses before downloading.
     * SIMPLIFICATION: the plugin downloads first and fails afterwards; the stats sent are those it would send then.
     */
    private BundleVerifier verifierFor(UpdateAnswer answer, BundleInfo current) {
        String version = answer.version();
        try {
            if (config.publicKey() != null && config.has(Deviation.SKIP_CHECKSUM)) {
                return BundleVerifier.decryptOnly(answer.sessionKey(), config.publicKey());
            }
            if (config.publicKey() != null) {
                return BundleVerifier.forEncrypted(answer.sessionKey(), answer.checksum(), config.publicKey());
            }
            // No publicKey: the plain lowercase SHA-256 hex, compared case-sensitively (§5.4)
            return BundleVerifier.forPlain(answer.checksum());
        } catch (CryptoException e) {
            finishDownloadFailed(null, version, cryptoStat(e), e.getMessage());
            return null;
        }
    }

    // =====================================================================================================
    // 5. Download, verify, unzip (§8.1, §5.5, §8.3) with the progress stats of §3.3
    // =====================================================================================================

    private Outcome downloadAndInstall(
            UpdateAnswer answer, String resumeId, BundleVerifier verifier, Trigger trigger, String[] detail) {
        String version = answer.version();
        currentDownloadVersion = version;
        JsonObject job = BundleDownloader.job(version, answer.url(), answer.checksum(), answer.sessionKey());
        BundleInfo info = startDownload(resumeId, resumeId != null && downloader.hasPartial(resumeId, job), version);
        String id = info.id();
        workerStat(StatsAction.DOWNLOAD_ZIP_START, version);
        long start = System.nanoTime();
        BundleDownloader.Result r;
        try {
            r = downloader.download(id, job, verifier, (have, total) -> {
                if (total > 0) {
                    notifyDownload(10 + (int) (60 * have / total)); // §3.3: 10-70 is the transfer
                }
                stats.flushIfDue();
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        bytesDownloaded += r.networkBytes();
        downloads.add(new DownloadRecord(
                version,
                DownloadRecord.ZIP,
                r.networkBytes(),
                r.size(),
                ms,
                r.attempts(),
                r.resumedFrom(),
                r.ok() ? "ok" : r.failure() != null ? r.failure() : wire(cryptoStat(r.cryptoFailure())),
                1,
                0));
        if (r.failure() != null) {
            // the download worker failed: download_fail with the target version (§3.3)
            setStatus(info, BundleStatus.ERROR, "download failed: " + r.failure());
            queueStat(StatsAction.DOWNLOAD_FAIL, version, "", null);
            detail[0] = r.failure() + (r.detail() == null ? "" : " (" + r.detail() + ")");
            return Outcome.DOWNLOAD_FAILED;
        }
        workerStat(StatsAction.DOWNLOAD_ZIP_COMPLETE, version);
        if (r.cryptoFailure() != null) {
            finishDownloadFailed(
                    info,
                    version,
                    cryptoStat(r.cryptoFailure()),
                    r.cryptoFailure().getMessage());
            detail[0] = r.cryptoFailure().getMessage();
            return Outcome.DOWNLOAD_FAILED;
        }
        notifyDownload(71);
        String checksum;
        try {
            checksum = verifier != null && verifier.expectedChecksum() != null
                    ? verifier.expectedChecksum().hex()
                    : BundleChecksum.of(r.plainZip()).hex(); // SKIP_CHECKSUM: what arrived, not what was announced
            unzipInto(r.plainZip(), id);
        } catch (BundleArchiveException e) {
            finishDownloadFailed(
                    info, version, e.failure().pluginStat().orElse(StatsAction.UNZIP_FAIL), e.getMessage());
            detail[0] = e.getMessage();
            return Outcome.DOWNLOAD_FAILED;
        } catch (IOException e) {
            finishDownloadFailed(info, version, StatsAction.UNZIP_FAIL, e.getMessage());
            detail[0] = e.getMessage();
            return Outcome.DOWNLOAD_FAILED;
        }
        notifyDownload(90);
        return registerDownloaded(id, checksum, "downloaded, verified and unzipped", List.of(), trigger);
    }

    /**
     * The entry of an interrupted download of this exact content ({@code resumable}), or a new registry entry in
     * {@code downloading}; an interrupted download of other content is forgotten, its partial files deleted.
     */
    private BundleInfo startDownload(String resumeId, boolean resumable, String version) {
        if (resumeId != null && !resumable) {
            state.removeBundle(resumeId);
            DeviceState.deleteTree(state.partialFile(resumeId));
            DeviceState.deleteTree(state.manifestPartialDir(resumeId));
            resumeId = null;
        }
        BundleInfo info;
        if (resumeId == null) {
            String id = state.newBundleId();
            info = new BundleInfo(id, version, BundleInfo.formatDate(clock.nowMillis()), "", BundleStatus.DOWNLOADING);
            state.saveBundle(info);
            history.add(new StatusChange(
                    clock.nowMillis(), id, version, null, BundleStatus.DOWNLOADING, "download started"));
        } else {
            info = state.bundle(resumeId);
            log("resuming the download of " + version + " (" + resumeId + ")");
        }
        if (config.platform() == Platform.IOS) {
            lastNotifiedStatPercent = 0;
        }
        return info;
    }

    /**
     * The bundle's files are in place: its checksum ({@code ""} for a manifest bundle, §7.4) is stored, it becomes
     * {@code pending}, its files go into the delta cache (A-CU {@code cacheBundleFiles}), and it is applied per
     * autoUpdate.
     */
    private Outcome registerDownloaded(
            String id, String checksum, String why, List<DeltaPayloadReader.DeltaFile> knownFiles, Trigger trigger) {
        BundleInfo info = state.bundle(id).withChecksum(checksum);
        state.saveBundle(info);
        info = setStatus(info, BundleStatus.PENDING, why);
        manifests.fillCache(id, knownFiles);
        notifyDownload(91);
        notifyDownload(100);
        return applyDownloaded(info, trigger);
    }

    /**
     * §7.4: a delta (manifest) bundle. Every entry is checked before anything is fetched: a bad path, a duplicate
     * target or a hash that cannot be recovered refuses the whole manifest ({@code manifest_path_fail} with
     * {@code "<version>:<file_name>"}, then {@code download_fail}) and writes nothing. Then each file is reused from
     * the built-in assets or the cache, or downloaded (Range resume) and read through crypto-core, in parallel; a
     * file that fails sends its stat ({@code download_manifest_file_fail}, {@code _checksum_fail},
     * {@code _brotli_fail}) and the install fails with {@code download_fail}, leaving nothing of the new bundle.
     * SIMPLIFICATION: the order of {@code download_manifest_start} and the validation is not documented; here a
     * refused manifest sends no start.
     */
    private Outcome downloadAndInstallManifest(UpdateAnswer answer, String resumeId, Trigger trigger, String[] detail) {
        String version = answer.version();
        currentDownloadVersion = version;
        List<ManifestEntry> entries = answer.manifest();
        long start = System.nanoTime(); // the install's time: validation, downloads and verification, the bundle built
        DeltaPayloadReader reader;
        List<DeltaPayloadReader.DeltaFile> files;
        try {
            // Both plugins recover the file hashes only when the answer has a session_key (server-behaviour notes in
            // docs/protocol.md §7.4); a device with a public key already refused an answer without one.
            reader = config.publicKey() != null
                    ? DeltaPayloadReader.forEncrypted(answer.sessionKey(), config.publicKey())
                    : DeltaPayloadReader.forPlain();
            files = ManifestDownloader.validate(reader, entries);
        } catch (CryptoException e) {
            queueStat(StatsAction.DOWNLOAD_FAIL, version, "", null); // the session key itself is unusable
            detail[0] = e.getMessage();
            return Outcome.DOWNLOAD_FAILED;
        } catch (ManifestDownloader.Refused e) {
            workerStat(e.failure().stat(), version + ":" + e.failure().fileName());
            queueStat(StatsAction.DOWNLOAD_FAIL, version, "", null);
            detail[0] = e.failure().stat().wire() + ": " + e.getMessage();
            return Outcome.DOWNLOAD_FAILED;
        }
        JsonObject job = BundleDownloader.job(version, answer.url(), "", answer.sessionKey())
                .put("manifest", manifestJson(entries));
        BundleInfo info = startDownload(resumeId, resumeId != null && manifests.hasPartial(resumeId, job), version);
        String id = info.id();
        workerStat(StatsAction.DOWNLOAD_MANIFEST_START, version);
        ManifestDownloader.Result r;
        try {
            r = manifests.install(id, job, entries, files, (done, total) -> {
                notifyDownload(10 + (int) (60 * done / total)); // §3.3: 10-70 is the transfer
                stats.flushIfDue();
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        bytesDownloaded += r.networkBytes();
        downloads.add(new DownloadRecord(
                version,
                DownloadRecord.MANIFEST,
                r.networkBytes(),
                r.size(),
                ms,
                r.attempts(),
                0,
                r.ok() ? "ok" : r.failures().get(0).stat().wire(),
                r.downloaded(),
                r.reused()));
        if (!r.ok()) {
            for (ManifestDownloader.FileFailure f : r.failures()) {
                workerStat(f.stat(), version + ":" + f.fileName());
                log("manifest file " + f.fileName() + ": " + f.stat().wire() + " (" + f.detail() + ")");
            }
            setStatus(
                    info,
                    BundleStatus.ERROR,
                    "delta download failed: " + r.failures().get(0).stat().wire());
            queueStat(StatsAction.DOWNLOAD_FAIL, version, "", null);
            detail[0] = r.failures().get(0).stat().wire() + ": "
                    + r.failures().get(0).detail();
            return Outcome.DOWNLOAD_FAILED;
        }
        workerStat(StatsAction.DOWNLOAD_MANIFEST_COMPLETE, version);
        log("delta " + version + ": " + r.downloaded() + " files fetched (" + r.networkBytes() + " bytes), "
                + r.reused() + " reused");
        notifyDownload(71);
        notifyDownload(90);
        return registerDownloaded(id, "", "built from its manifest and verified", files, trigger);
    }

    /** The manifest as a resume record holds it: an interrupted delta download resumes only for the same files. */
    private static JsonArray manifestJson(List<ManifestEntry> entries) {
        JsonArray a = new JsonArray();
        entries.forEach(
                e -> a.add(new JsonArray().add(e.fileName()).add(e.fileHash()).add(e.downloadUrl())));
        return a;
    }

    /** §8.3: extract into {@code cache/capgo_unzip_<random>}, pick the root by the flatten rule, move it into {@code versions/<id>}. */
    private void unzipInto(Path plainZip, String id) throws IOException {
        Path tmp = state.cacheDir()
                .resolve("capgo_unzip_" + UUID.randomUUID().toString().replace("-", ""));
        try {
            Path root = config.has(Deviation.IGNORE_PATH_RULES)
                    ? UncheckedUnzip.extract(plainZip, tmp, state.dir())
                    : SafeUnzip.extract(plainZip, tmp, SafeUnzip.Limits.defaults())
                            .root();
            Files.move(root, state.bundleDir(id));
        } finally {
            DeviceState.deleteTree(tmp);
            Files.deleteIfExists(plainZip);
        }
    }

    /**
     * §5.5: verification or extraction failed after the transfer: the specific stat, then {@code download_fail}
     * with the current version; the bundle is deleted.
     */
    private void finishDownloadFailed(BundleInfo info, String version, StatsAction specificStat, String why) {
        BundleInfo current = currentBundle();
        if (specificStat != null) {
            // Which bundle the stat names (the running one or the target) is the catalogue's "Ver" for this platform.
            boolean target = specificStat.versionNameOn(config.platform()) == StatsAction.Ver.TARGET;
            queueStat(specificStat, target ? version : current.version(), "", null);
        }
        queueStat(StatsAction.DOWNLOAD_FAIL, current.version(), "", null);
        if (info != null) {
            DeviceState.deleteTree(state.bundleDir(info.id()));
            setStatus(info, BundleStatus.ERROR, (specificStat == null ? "download_fail" : specificStat) + ": " + why);
        }
    }

    /** The plugin's stat for a crypto failure on this platform (crypto-core's mapping, docs/protocol.md §3.3); null for none. */
    private StatsAction cryptoStat(CryptoException e) {
        return e.failure().pluginStat(config.platform()).orElse(null);
    }

    private static String wire(StatsAction a) {
        return a == null ? null : a.wire();
    }

    /**
     * §3.3 / §8.2 download percent: 0-5 start, 10-70 transfer, 71, 75-90 unzip, 91, 100. Each 10 % step passed sends
     * {@code download_<n>} (10..90), 100 sends {@code download_complete}. Android quirk (§3.3): the last notified
     * percent is never reset after 100, so only the first download of a process sends the steps.
     */
    private void notifyDownload(int percent) {
        String version = currentDownloadVersion;
        if (percent >= 100) {
            queueStat(StatsAction.DOWNLOAD_COMPLETE, version, "", null);
            lastNotifiedStatPercent = config.platform() == Platform.ANDROID ? 100 : 0;
            return;
        }
        for (int step = (lastNotifiedStatPercent / 10 + 1) * 10; step <= Math.min(percent, 90); step += 10) {
            queueStat(
                    StatsAction.of("download_" + step).orElseThrow(), version, "", null); // download_10 .. download_90
        }
        lastNotifiedStatPercent = Math.max(lastNotifiedStatPercent, percent);
    }

    // =====================================================================================================
    // 6. Applying a bundle (§8.4) and switching bundles
    // =====================================================================================================

    /** §2.3 step 7 / §8.4: apply now, schedule as next, or only keep, by autoUpdate mode. */
    private Outcome applyDownloaded(BundleInfo bundle, Trigger trigger) {
        if (!appliesBundles(trigger)) {
            log(bundle.version() + " downloaded; onlyDownload: updateAvailable");
            return Outcome.DOWNLOADED;
        }
        if (appliesNow(trigger)) {
            if (!switchTo(bundle)) {
                return Outcome.REFUSED;
            }
            loadCurrentBundle("direct update");
            checkAppReady();
            return Outcome.APPLIED;
        }
        if (bundle.id().equals(state.get(DeviceState.KEY_NEXT))) {
            return Outcome.NO_UPDATE;
        }
        state.put(DeviceState.KEY_NEXT, bundle.id());
        queueStat(StatsAction.SET_NEXT, bundle.version(), currentBundle().version(), null);
        return Outcome.SCHEDULED;
    }

    private boolean appliesBundles(Trigger trigger) {
        AutoUpdateMode m = config.autoUpdate();
        return m != AutoUpdateMode.ONLY_DOWNLOAD && m != AutoUpdateMode.OFF;
    }

    /** §8.4: direct-update modes apply at once; onLaunch only on a cold start; atInstall only on the first launch of a build. */
    private boolean appliesNow(Trigger trigger) {
        switch (config.autoUpdate()) {
            case ALWAYS:
                return true;
            case ON_LAUNCH:
                return trigger == Trigger.LAUNCH;
            case AT_INSTALL:
                return trigger == Trigger.LAUNCH && firstLaunchAfterInstall;
            default:
                return false;
        }
    }

    /** §8.4 atBackground: the next bundle is installed when the app goes to the background. */
    private void installNext() {
        String nextId = state.get(DeviceState.KEY_NEXT);
        if (nextId == null) {
            return;
        }
        state.put(DeviceState.KEY_NEXT, null);
        if (nextId.equals(BundleInfo.BUILTIN_ID)) {
            if (!currentBundle().isBuiltin()) {
                resetToBuiltin(true);
                loadCurrentBundle("reset to built-in at background");
            }
            return;
        }
        BundleInfo next = state.bundle(nextId);
        if (next == null
                || next.status() == BundleStatus.ERROR
                || next.status() == BundleStatus.DELETED
                || next.status() == BundleStatus.DELETING) {
            log("next bundle " + nextId + " is gone or failed: not installed");
            return;
        }
        if (switchTo(next)) {
            loadCurrentBundle("next bundle installed at background");
            // The watchdog for it starts at the next foreground transition (§8.6).
        }
    }

    /** A-CU {@code set}: the bundle becomes current; {@code set}, or {@code set_fail} without index.html (§3.3, §8.3). */
    private boolean switchTo(BundleInfo bundle) {
        if (!state.usable(bundle.id())) {
            queueStat(StatsAction.SET_FAIL, bundle.version(), "", null);
            setStatus(bundle, BundleStatus.ERROR, "set failed: no index.html at the bundle root");
            return false;
        }
        BundleInfo old = currentBundle();
        state.put(DeviceState.KEY_CURRENT, bundle.id());
        if (bundle.status() != BundleStatus.SUCCESS) {
            setStatus(bundle, BundleStatus.PENDING, "set as current, waiting for notifyAppReady");
        }
        queueStat(StatsAction.SET, bundle.version(), old.version(), null);
        return true;
    }

    /** Back to built-in: a user-visible reset sends {@code reset} (§3.3); the rollback's internal reset does not. */
    private void resetToBuiltin(boolean sendStat) {
        BundleInfo old = currentBundle();
        state.put(DeviceState.KEY_CURRENT, DeviceState.BUILTIN_PATH);
        state.put(DeviceState.KEY_FALLBACK, null);
        state.put(DeviceState.KEY_NEXT, null);
        if (sendStat) {
            queueStat(StatsAction.RESET, builtin().version(), old.version(), null);
        }
    }

    /** Deletes a bundle's files, keeping a {@code deleted} tombstone; {@code delete} stat (§3.3, §8.5). */
    private void deleteBundle(BundleInfo bundle, String why) {
        if (bundle.isBuiltin() || bundle.id().equals(state.get(DeviceState.KEY_CURRENT))) {
            return;
        }
        bundle = setStatus(bundle, BundleStatus.DELETING, why);
        DeviceState.deleteTree(state.bundleDir(bundle.id()));
        setStatus(bundle, BundleStatus.DELETED, why);
        if (bundle.id().equals(state.get(DeviceState.KEY_NEXT))) {
            state.put(DeviceState.KEY_NEXT, null);
        }
        if (bundle.id().equals(state.get(DeviceState.KEY_FALLBACK))) {
            state.put(DeviceState.KEY_FALLBACK, null);
        }
        queueStat(StatsAction.DELETE, bundle.version(), "", null);
    }

    // =====================================================================================================
    // 7. The app, notifyAppReady, the watchdog and rollback (§8.6)
    // =====================================================================================================

    /** The web view (re)loads the current bundle; the simulated app decides when it calls notifyAppReady. */
    private void loadCurrentBundle(String why) {
        BundleInfo current = currentBundle();
        loadedAt = clock.nowMillis();
        readyCalled = false;
        watchdogDone = false;
        readyDelay = config.appBehaviour().readyDelayMillis(current.isBuiltin() ? null : state.bundleDir(current.id()));
        log("loaded " + current + " (" + why + "); app: " + config.appBehaviour()
                + (readyDelay == AppBehaviour.NEVER_READY
                        ? ", never calls notifyAppReady"
                        : ", calls notifyAppReady after " + readyDelay + " ms"));
        catchUpApp();
    }

    /** Lets the simulated app call notifyAppReady if its time has come. */
    private void catchUpApp() {
        if (!readyCalled && readyDelay != AppBehaviour.NEVER_READY && clock.nowMillis() >= loadedAt + readyDelay) {
            notifyAppReady();
        }
    }

    /**
     * The JavaScript {@code CapacitorUpdater.notifyAppReady()}: the current bundle is good. It becomes
     * {@code success} and the fallback; with autoDeletePrevious the previous fallback is deleted. The first call of a
     * process sends {@code app_launch_ready}.
     */
    private void notifyAppReady() {
        readyCalled = true;
        BundleInfo current = currentBundle();
        if (!current.isBuiltin()) {
            if (current.status() != BundleStatus.SUCCESS) {
                current = setStatus(current, BundleStatus.SUCCESS, "notifyAppReady");
            }
            BundleInfo previous = fallbackBundle();
            if (previous != null
                    && !previous.id().equals(current.id())
                    && config.autoDeletePrevious()
                    && !previous.id().equals(state.get(DeviceState.KEY_NEXT))) {
                deleteBundle(previous, "previous fallback (autoDeletePrevious)");
            }
            state.put(DeviceState.KEY_FALLBACK, current.id());
        }
        if (!launchReadySent) {
            launchReadySent = true;
            long now = clock.nowMillis();
            queueStat(
                    StatsAction.APP_LAUNCH_READY,
                    current.version(),
                    "",
                    meta(
                            "duration_ms",
                            now - launchStartedAt,
                            "launch_started_at",
                            launchStartedAt,
                            "source",
                            LAUNCH_SOURCE));
        }
    }

    /**
     * A-P {@code checkAppReady}: wait {@code appReadyTimeout}, at least 30 s while the bundle is not yet
     * {@code success}; then, without notifyAppReady, {@link #checkRevert()}. The built-in bundle is exempt.
     */
    private void checkAppReady() {
        catchUpApp();
        if (watchdogDone || readyCalled) {
            watchdogDone = true;
            return;
        }
        watchdogDone = true;
        BundleInfo current = currentBundle();
        if (current.isBuiltin()) {
            return;
        }
        long timeout = config.appReadyTimeoutMs();
        if (current.status() != BundleStatus.SUCCESS) {
            timeout = Math.max(timeout, DeviceConfig.PENDING_BUNDLE_MIN_READY_TIMEOUT_MS);
        }
        long now = clock.nowMillis();
        long deadline = now + timeout;
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
     * A-P {@code checkRevert}: notifyAppReady did not come. {@code app_launch_timeout} (once per process); for a
     * bundle not yet {@code success}: {@code update_fail}, mark it {@code error}, go back to the fallback (or
     * built-in), delete it with autoDeleteFailed. A bundle already confirmed earlier is not rolled back.
     * (The exact stat sequence of checkRevert is reconstructed from §3.3 and §8.6.)
     */
    private void checkRevert(long timeoutMs) {
        BundleInfo failed = currentBundle();
        if (!launchTimeoutSent) {
            launchTimeoutSent = true;
            long now = clock.nowMillis();
            queueStat(
                    StatsAction.APP_LAUNCH_TIMEOUT,
                    failed.version(),
                    "",
                    meta(
                            "duration_ms",
                            now - launchStartedAt,
                            "launch_started_at",
                            launchStartedAt,
                            "source",
                            LAUNCH_SOURCE,
                            "timeout_ms",
                            timeoutMs));
        }
        if (failed.status() == BundleStatus.SUCCESS) {
            log("notifyAppReady not called, but " + failed.version() + " was confirmed before: kept");
            return;
        }
        if (!config.has(Deviation.NEVER_SEND_UPDATE_FAIL)) {
            queueStat(StatsAction.UPDATE_FAIL, failed.version(), "", null);
        }
        failed = setStatus(
                failed, BundleStatus.ERROR, "notifyAppReady not called within " + timeoutMs + " ms: rolled back");
        state.put(DeviceState.KEY_LAST_FAILED, failed.id());
        BundleInfo fallback = fallbackBundle();
        if (fallback != null && !fallback.id().equals(failed.id()) && state.usable(fallback.id())) {
            switchTo(fallback);
        } else {
            resetToBuiltin(false);
        }
        if (config.autoDeleteFailed()) {
            deleteBundle(failed, "rolled back (autoDeleteFailed)");
        }
        loadCurrentBundle("rollback");
        checkAppReady();
    }

    private void sleepUntil(long deviceTime) {
        try {
            clock.sleep(deviceTime - clock.nowMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceKilledException();
        }
        if (killed) {
            throw new DeviceKilledException();
        }
    }

    // =====================================================================================================
    // 8. Channels (§4)
    // =====================================================================================================

    /**
     * {@code setChannel({channel})}: POST. On success the channel is kept as defaultChannel ({@code unset:true}
     * removes it), unless this plugin relies on the server's store (gate "channel storage"): then nothing is kept.
     */
    public synchronized ChannelResult setChannel(String channel) {
        return setChannel(channel, false);
    }

    /** {@code setChannel({channel, triggerAutoUpdate})}: with {@code triggerAutoUpdate}, an update check follows a success. */
    public synchronized ChannelResult setChannel(String channel, boolean triggerAutoUpdate) {
        ChannelResult[] out = new ChannelResult[1];
        operate(() -> {
            ChannelResult r = channelCall(
                    HttpMethod.POST, infoObject().withChannel(channel).toJson(), "application/json; charset=utf-8");
            if (r.ok()) {
                if (!plugin.keepsChannelOnDevice()) {
                    log("setChannel " + channel + ": stored by the server (this plugin keeps no channel)");
                } else if (Boolean.TRUE.equals(r.body().getValue("unset"))) {
                    state.put(DeviceState.KEY_DEFAULT_CHANNEL, null); // back to the config defaultChannel
                } else {
                    state.put(DeviceState.KEY_DEFAULT_CHANNEL, channel);
                }
                if (triggerAutoUpdate && running) {
                    runUpdateCheck(Trigger.MANUAL);
                }
            } else if (r.error() != null
                    && (r.error().contains("cannot_update_via_private_channel")
                            || r.error().contains("channel_self_set_not_allowed"))) {
                log("channelPrivate event: " + channel + " (" + r.message() + ")");
            }
            out[0] = r;
        });
        return out[0];
    }

    /**
     * {@code getChannel()}: PUT; the answer's channel is kept as defaultChannel unless empty or {@code builtin}, or
     * unless this plugin relies on the server's store (gate "channel storage").
     */
    public synchronized ChannelResult getChannel() {
        ChannelResult[] out = new ChannelResult[1];
        operate(() -> {
            ChannelResult r = channelCall(HttpMethod.PUT, infoObject().toJson(), "application/json");
            if (!r.ok()
                    && r.httpStatus() == 400
                    && String.valueOf(r.body().encode()).contains("channel_not_found")
                    && !effectiveDefaultChannel().isEmpty()) {
                // the plugin answers with its local channel itself
                r = ChannelResult.ok(
                        400,
                        new JsonObject()
                                .put("channel", effectiveDefaultChannel())
                                .put("status", "default"));
            } else if (r.ok() && plugin.keepsChannelOnDevice()) {
                String ch = r.channel();
                if (ch != null && !ch.isEmpty() && !ch.equals("builtin")) {
                    state.put(DeviceState.KEY_DEFAULT_CHANNEL, ch);
                }
            }
            out[0] = r;
        });
        return out[0];
    }

    /** {@code listChannels()}: GET with the info object as query parameters; a JSON array whose ids are numbers. */
    public synchronized ChannelResult listChannels() {
        ChannelResult[] out = new ChannelResult[1];
        operate(() -> {
            ChannelResult local = channelPrecheck();
            if (local != null) {
                out[0] = local;
                return;
            }
            ApiResponse r = http.call(
                    HttpMethod.GET,
                    config.channelUrl(),
                    infoObject().toQuery(),
                    null,
                    jsonHeaders(null),
                    config.responseTimeoutSeconds() * 1000L);
            onRateLimitAnswer(r);
            if (r.isTransportError()) {
                out[0] = ChannelResult.error("network_error", String.valueOf(r.failure()), 0, null);
                return;
            }
            Object json = r.json();
            if (json instanceof JsonObject o && o.containsKey("error")) {
                out[0] = ChannelResult.error(
                        String.valueOf(o.getValue("error")), o.getString("message", ""), r.status(), o);
            } else if (!r.is2xx()) {
                out[0] = ChannelResult.error("response_error", "Server error: " + r.status(), r.status(), null);
            } else if (!(json instanceof JsonArray a)) {
                out[0] = ChannelResult.error("parse_error", "listChannels expects a JSON array", r.status(), null);
            } else {
                List<ChannelResult.Channel> list = new ArrayList<>();
                for (Object item : a) {
                    if (!(item instanceof JsonObject c) || !(c.getValue("id") instanceof Number id)) {
                        out[0] =
                                ChannelResult.error("parse_error", "each channel needs a numeric id", r.status(), null);
                        return;
                    }
                    list.add(new ChannelResult.Channel(
                            id.longValue(),
                            c.getString("name", ""),
                            Boolean.TRUE.equals(c.getValue("public")),
                            Boolean.TRUE.equals(c.getValue("allow_self_set"))));
                }
                out[0] = ChannelResult.list(r.status(), list);
            }
        });
        return out[0];
    }

    /**
     * {@code unsetChannel()}: local, no HTTP call, for a plugin that keeps its channel (§4); {@code DELETE} with the
     * info object for one that relies on the server's store (gate "channel storage"), read as setChannel's answer.
     */
    public synchronized ChannelResult unsetChannel() {
        if (plugin.keepsChannelOnDevice()) {
            state.put(DeviceState.KEY_DEFAULT_CHANNEL, null);
            return ChannelResult.ok(0, new JsonObject().put("status", "ok"));
        }
        ChannelResult[] out = new ChannelResult[1];
        operate(() ->
                out[0] = channelCall(HttpMethod.DELETE, infoObject().toJson(), "application/json; charset=utf-8"));
        return out[0];
    }

    /**
     * POST/PUT/DELETE with the same classification as the update check (§4: {@code makeJsonRequest}); a {@code kind}
     * key is an error for POST and DELETE (setChannel's request), not for PUT.
     */
    private ChannelResult channelCall(HttpMethod method, byte[] body, String contentType) {
        ChannelResult local = channelPrecheck();
        if (local != null) {
            return local;
        }
        ApiResponse r = http.call(
                method,
                config.channelUrl(),
                null,
                Buffer.buffer(body),
                jsonHeaders(contentType),
                config.responseTimeoutSeconds() * 1000L);
        onRateLimitAnswer(r);
        if (r.isTransportError()) {
            return ChannelResult.error("network_error", String.valueOf(r.failure()), 0, null);
        }
        JsonObject o = r.jsonObject();
        boolean errorClass =
                o != null && (o.containsKey("error") || (method != HttpMethod.PUT && o.containsKey("kind")));
        if (errorClass) {
            return ChannelResult.error(
                    String.valueOf(o.getValue("error")),
                    o.getValue("message") == null ? "" : String.valueOf(o.getValue("message")),
                    r.status(),
                    o);
        }
        if (!r.is2xx()) {
            return ChannelResult.error("response_error", "Server error: " + r.status(), r.status(), o);
        }
        if (o == null) {
            return ChannelResult.error("parse_error", "the answer is not a JSON object", r.status(), null);
        }
        return ChannelResult.ok(r.status(), o);
    }

    private ChannelResult channelPrecheck() {
        if (config.channelUrl().isEmpty()) {
            return ChannelResult.error("missing_config", "channelUrl is not set", 0, null);
        }
        if (rateLimit.isBlocked(clock.nowMillis())) {
            return ChannelResult.error(rateLimit.error(), rateLimit.message(), 0, null);
        }
        return null;
    }

    // =====================================================================================================
    // 9. What goes on the wire: info object (§1.4), stats events (§3.2), headers (§1.3), 429 (§1.5)
    // =====================================================================================================

    /**
     * The info object (§1.4): Android sends {@code install_source} {@code ""} when unknown, iOS omits it; the
     * {@code plugin_version} played; {@code key_id} only with a public key and in this version's format (gate
     * "key_id"). Written in the Android plugin's key order by the protocol.
     */
    public synchronized InfoObject infoObject() {
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
                .versionName(currentBundle().version())
                .pluginVersion(plugin.version())
                .isEmulator(config.isEmulator())
                .isProd(config.isProd())
                .installSource(installSource)
                .defaultChannel(effectiveDefaultChannel())
                .keyId(plugin.keyIdFor(config.publicKey()))
                .build();
    }

    /** A main-queue event: info object + action, version_name, old_version_name, timestamp[, metadata] (§3.2). */
    private void queueStat(
            StatsAction action, String versionName, String oldVersionName, Map<String, String> metadata) {
        stats.enqueue(StatsEvent.of(
                        infoObject(),
                        action.wire(),
                        versionName,
                        oldVersionName == null ? "" : oldVersionName,
                        clock.nowMillis())
                .withMetadata(metadata));
    }

    /**
     * A download-worker event: on Android a single JSON object without timestamp and key_id, sent at once (§3.1,
     * §3.2); on iOS an ordinary queue event.
     */
    private void workerStat(StatsAction action, String targetVersion) {
        if (config.platform() == Platform.IOS) {
            queueStat(action, targetVersion, "", null);
            return;
        }
        stats.sendSingle(
                StatsEvent.of(infoObject().toBuilder().keyId(null).build(), action.wire(), targetVersion, "", null),
                false);
    }

    /** §1.5: every answer of every endpoint goes through here; the first 429 of a process sends {@code rate_limit_reached}. */
    private void onRateLimitAnswer(ApiResponse r) {
        if (rateLimit.onResponse(r, clock.nowMillis())) {
            log("HTTP 429: blocked until " + rateLimit.blockedUntil());
            stats.sendSingle(
                    StatsEvent.of(
                            infoObject(),
                            StatsAction.RATE_LIMIT_REACHED.wire(),
                            currentBundle().version(),
                            "",
                            clock.nowMillis()),
                    true);
        }
    }

    private Map<String, String> jsonHeaders(String contentType) {
        Map<String, String> h = new LinkedHashMap<>();
        if (contentType != null) {
            h.put("Content-Type", contentType);
        }
        h.put("User-Agent", userAgent(config));
        return h;
    }

    /** {@code CapacitorUpdater/<plugin_version> (<app_id>) <platform>/<version_os>}, printable Latin-1 only (§1.3). */
    static String userAgent(DeviceConfig c) {
        return c.plugin().userAgent(c.appId(), c.platform(), c.versionOs());
    }

    private static Map<String, String> meta(Object... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], String.valueOf(kv[i + 1])); // metadata is string -> string (§3.2)
        }
        return m;
    }

    // =====================================================================================================
    // 10. Registry helpers
    // =====================================================================================================

    private BundleInfo builtin() {
        return BundleInfo.builtin(config.versionBuild());
    }

    /**
     * {@code defaultChannel} (§1.4): the channel kept by setChannel/getChannel, else the config's. A plugin that relies
     * on the server's store (gate "channel storage") keeps none and sends the config's.
     */
    private String effectiveDefaultChannel() {
        String persisted = plugin.keepsChannelOnDevice() ? state.get(DeviceState.KEY_DEFAULT_CHANNEL) : null;
        return persisted != null ? persisted : config.defaultChannel();
    }

    /** A-CU getBundleInfoByName: prefer an entry whose folder exists, then a resumable download, then any. */
    private BundleInfo findByVersion(String version) {
        BundleInfo best = null;
        int bestRank = -1;
        for (BundleInfo b : state.bundles()) {
            if (!b.version().equals(version)) {
                continue;
            }
            int rank = state.folderExists(b.id()) ? 2 : b.status() == BundleStatus.DOWNLOADING ? 1 : 0;
            if (rank > bestRank) {
                best = b;
                bestRank = rank;
            }
        }
        return best;
    }

    private BundleInfo setStatus(BundleInfo b, BundleStatus to, String reason) {
        BundleInfo fresh = state.bundle(b.id());
        BundleStatus from = fresh == null ? null : fresh.status();
        BundleInfo updated = (fresh == null ? b : fresh).withStatus(to);
        state.saveBundle(updated);
        if (from != to) {
            history.add(new StatusChange(clock.nowMillis(), b.id(), b.version(), from, to, reason));
        }
        return updated;
    }

    /** Android's check of a URL: {@code new java.net.URL(url)} (§2.3). */
    static boolean validUrl(String url) {
        if (url == null || url.isEmpty()) {
            return false;
        }
        try {
            new URL(url);
            return true;
        } catch (MalformedURLException e) {
            return false;
        }
    }

    private CheckResult result(
            Trigger trigger, long at, long latency, UpdateAnswer answer, Outcome outcome, String detail) {
        return new CheckResult(at, latency, trigger, answer, outcome, detail);
    }

    private void log(String line) {
        log.add(String.format("%tT.%<tL %s", clock.nowMillis(), line));
    }

    // =====================================================================================================
    // 11. Observation (for tests, reports and porters comparing notes)
    // =====================================================================================================

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
        String cur = state.get(DeviceState.KEY_CURRENT);
        if (cur == null || cur.equals(DeviceState.BUILTIN_PATH)) {
            return builtin();
        }
        BundleInfo b = state.bundle(cur);
        return b == null ? builtin() : b;
    }

    /** The bundle queued for the next background, or null; the built-in bundle if built-in is queued. */
    public synchronized BundleInfo nextBundle() {
        String next = state.get(DeviceState.KEY_NEXT);
        if (next == null) {
            return null;
        }
        return next.equals(BundleInfo.BUILTIN_ID) ? builtin() : state.bundle(next);
    }

    /** The last confirmed bundle ({@code pastVersion}), or null (a rollback then goes to built-in). */
    public synchronized BundleInfo fallbackBundle() {
        String id = state.get(DeviceState.KEY_FALLBACK);
        return id == null ? null : state.bundle(id);
    }

    /** The registry, oldest first (the built-in bundle is not listed). */
    public synchronized List<BundleInfo> bundles() {
        return state.bundles();
    }

    /** The registry entry of a version (the one the plugin would pick), or null. */
    public synchronized BundleInfo bundle(String version) {
        return findByVersion(version);
    }

    /** Whether a bundle's folder exists on disk. */
    public synchronized boolean hasFolder(String bundleId) {
        return state.folderExists(bundleId);
    }

    /** Every status change seen by this object. */
    public synchronized List<StatusChange> statusHistory() {
        return List.copyOf(history);
    }

    /** Stats events that reached the server (2xx), in order. */
    public synchronized List<StatsEvent> sentStats() {
        return List.copyOf(stats.delivered());
    }

    /** The actions of {@link #sentStats()}, in order. */
    public synchronized List<String> sentActions() {
        List<String> a = new ArrayList<>();
        for (StatsEvent e : stats.delivered()) {
            a.add(e.action());
        }
        return a;
    }

    /** Events queued and not yet delivered (persisted). */
    public synchronized List<StatsEvent> pendingStats() {
        return stats.pending();
    }

    /** Events given up: dropped on a non-retryable answer, or pushed out of the full queue. */
    public synchronized List<StatsEvent> droppedStats() {
        return List.copyOf(stats.dropped());
    }

    /** Every stats POST and its outcome. */
    public synchronized List<StatsDelivery> statsDeliveries() {
        return List.copyOf(stats.deliveries());
    }

    /** Every update check of this object. */
    public synchronized List<CheckResult> checks() {
        return List.copyOf(checks);
    }

    /** The last update check, or null. */
    public synchronized CheckResult lastCheck() {
        return checks.isEmpty() ? null : checks.get(checks.size() - 1);
    }

    /** Every download of this object. */
    public synchronized List<DownloadRecord> downloads() {
        return List.copyOf(downloads);
    }

    /** Bytes received from the network for bundle downloads (a resumed download counts only the new bytes). */
    public synchronized long bytesDownloaded() {
        return bytesDownloaded;
    }

    /** A human-readable log of what the device did. */
    public synchronized List<String> log() {
        return Collections.unmodifiableList(new ArrayList<>(log));
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
