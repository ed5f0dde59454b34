package dev.updraft.protocol;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every {@code action} the plugin sends to {@code /stats} (docs/protocol.md §3.3; plugin 8.51.23), with
 * what the server needs to know about it: whether it reports a failure and at which stage, and which bundle its
 * {@code version_name} names. This is the one list: release health (server) and {@code updraft stats} (CLI) count
 * failures by it, and the simulator sends by it.
 *
 * <p>New plugin versions add actions; an action string not listed here is still a valid event
 * ({@link #of(String)} is then empty) and is never a failure.
 */
public enum StatsAction {
    // ---- Update lifecycle ----------------------------------------------------------------------------------------
    DOWNLOAD_10("download_10", Ver.TARGET),
    DOWNLOAD_20("download_20", Ver.TARGET),
    DOWNLOAD_30("download_30", Ver.TARGET),
    DOWNLOAD_40("download_40", Ver.TARGET),
    DOWNLOAD_50("download_50", Ver.TARGET),
    DOWNLOAD_60("download_60", Ver.TARGET),
    DOWNLOAD_70("download_70", Ver.TARGET),
    DOWNLOAD_80("download_80", Ver.TARGET),
    DOWNLOAD_90("download_90", Ver.TARGET),
    /** Downloaded, unzipped and registered (100 %). */
    DOWNLOAD_COMPLETE("download_complete", Ver.TARGET),
    DOWNLOAD_ZIP_START("download_zip_start", Ver.TARGET),
    DOWNLOAD_ZIP_COMPLETE("download_zip_complete", Ver.TARGET),
    DOWNLOAD_MANIFEST_START("download_manifest_start", Ver.TARGET),
    DOWNLOAD_MANIFEST_COMPLETE("download_manifest_complete", Ver.TARGET),
    /** One delta file could not be downloaded. */
    DOWNLOAD_MANIFEST_FILE_FAIL("download_manifest_file_fail", Ver.TARGET_FILE, FailureStage.MANIFEST_FILE),
    /** A delta file's SHA-256 does not match. */
    DOWNLOAD_MANIFEST_CHECKSUM_FAIL("download_manifest_checksum_fail", Ver.TARGET_FILE, FailureStage.MANIFEST_FILE),
    /** A {@code .br} delta file does not decode. */
    DOWNLOAD_MANIFEST_BROTLI_FAIL("download_manifest_brotli_fail", Ver.TARGET_FILE, FailureStage.MANIFEST_FILE),
    /** A manifest {@code file_name} is invalid or duplicated (fails the whole manifest). */
    MANIFEST_PATH_FAIL("manifest_path_fail", Ver.TARGET_FILE, FailureStage.MANIFEST_FILE),
    /**
     * Any failed download or post-processing, and every update check answered with {@code kind:"failed"}: the running
     * bundle for check and finishDownload failures, the target for a failure of the download worker.
     */
    DOWNLOAD_FAIL("download_fail", Ver.EITHER, FailureStage.DOWNLOAD),
    /** The Android worker finished, but verify, unzip or register failed. */
    FINISH_DOWNLOAD_FAIL("finish_download_fail", Ver.TARGET, FailureStage.DOWNLOAD, Platform.ANDROID),
    /** The device has a public key and the answer no valid {@code session_key}: refused, fail-closed. */
    SESSION_KEY_REQUIRED("session_key_required", Ver.EITHER, FailureStage.VERIFY),
    /** A zip update without {@code checksum}: refused. */
    CHECKSUM_REQUIRED("checksum_required", Ver.EITHER, FailureStage.VERIFY),
    /** The zip's checksum does not match: the running bundle on Android, the target on iOS. */
    CHECKSUM_FAIL("checksum_fail", Ver.CURRENT, Ver.TARGET, FailureStage.VERIFY),
    /** AES or RSA decryption failed (iOS; Android reports only {@code download_fail}). */
    DECRYPT_FAIL("decrypt_fail", Ver.TARGET, FailureStage.VERIFY, Platform.IOS),
    UNZIP_FAIL("unzip_fail", Ver.CURRENT, FailureStage.UNZIP),
    CANONICAL_PATH_FAIL("canonical_path_fail", Ver.CURRENT, FailureStage.UNZIP),
    WINDOWS_PATH_FAIL("windows_path_fail", Ver.CURRENT, FailureStage.UNZIP),
    DIRECTORY_PATH_FAIL("directory_path_fail", Ver.CURRENT, FailureStage.UNZIP, Platform.ANDROID),
    /** The download worker ran out of memory; followed by {@code download_fail}. */
    LOW_MEM_FAIL("low_mem_fail", Ver.TARGET, FailureStage.DOWNLOAD, Platform.ANDROID),
    /** Less than twice the bundle's size (at least 2 x 50 MB) free; followed by {@code download_fail}. */
    INSUFFICIENT_DISK_SPACE("insufficient_disk_space", Ver.TARGET, FailureStage.DOWNLOAD),
    /** A bundle became the running one; {@code old_version_name} is the previous. An install. */
    SET("set", Ver.TARGET),
    /** The bundle is missing or has no {@code index.html}. */
    SET_FAIL("set_fail", Ver.TARGET, FailureStage.SET),
    /** A bundle was queued as the next one; {@code old_version_name} is the current. */
    SET_NEXT("set_next", Ver.TARGET),
    /** Back to the built-in bundle (its name); {@code old_version_name} is the previous. */
    RESET("reset", Ver.TARGET),
    /**
     * Rollback: {@code notifyAppReady()} did not come in time. Names the bundle that failed, which is the release the
     * server offered (it was running when it was rolled back).
     */
    UPDATE_FAIL("update_fail", Ver.TARGET, FailureStage.ROLLBACK),
    /** A bundle was deleted from the device. */
    DELETE("delete", Ver.OTHER),

    // ---- App and session -----------------------------------------------------------------------------------------
    APP_MOVED_TO_FOREGROUND("app_moved_to_foreground", Ver.CURRENT),
    APP_MOVED_TO_BACKGROUND("app_moved_to_background", Ver.CURRENT),
    BLOCKED_BY_SERVER_URL("blocked_by_server_url", Ver.CURRENT),
    /** The first 429 of a process; sent as a single object. */
    RATE_LIMIT_REACHED("rate_limit_reached", Ver.CURRENT),
    APP_LAUNCH_START("app_launch_start", Ver.CURRENT),
    APP_LAUNCH_READY("app_launch_ready", Ver.CURRENT),
    /** {@code appReady} timed out; a not yet confirmed bundle is then rolled back ({@link #UPDATE_FAIL}). */
    APP_LAUNCH_TIMEOUT("app_launch_timeout", Ver.CURRENT),
    OS_VERSION_CHANGED("os_version_changed", Ver.CURRENT),
    NATIVE_APP_VERSION_CHANGED("native_app_version_changed", Ver.CURRENT),

    // ---- Health (reported about the running bundle; not update failures) ------------------------------------------
    APP_CRASH("app_crash", Ver.CURRENT),
    APP_CRASH_NATIVE("app_crash_native", Ver.CURRENT, Platform.ANDROID),
    APP_ANR("app_anr", Ver.CURRENT, Platform.ANDROID),
    APP_KILLED_LOW_MEMORY("app_killed_low_memory", Ver.CURRENT, Platform.ANDROID),
    APP_KILLED_EXCESSIVE_RESOURCE_USAGE("app_killed_excessive_resource_usage", Ver.CURRENT, Platform.ANDROID),
    APP_INITIALIZATION_FAILURE("app_initialization_failure", Ver.CURRENT, Platform.ANDROID),
    APP_MEMORY_WARNING("app_memory_warning", Ver.CURRENT, Platform.IOS),
    WEBVIEW_JAVASCRIPT_ERROR("webview_javascript_error", Ver.CURRENT),
    WEBVIEW_UNHANDLED_REJECTION("webview_unhandled_rejection", Ver.CURRENT),
    WEBVIEW_RESOURCE_ERROR("webview_resource_error", Ver.CURRENT),
    WEBVIEW_SECURITY_POLICY_VIOLATION("webview_security_policy_violation", Ver.CURRENT),
    WEBVIEW_UNCLEAN_RESTART("webview_unclean_restart", Ver.CURRENT),
    WEBVIEW_RENDER_PROCESS_GONE("webview_render_process_gone", Ver.CURRENT),
    WEBVIEW_CONTENT_PROCESS_TERMINATED("webview_content_process_terminated", Ver.CURRENT),
    WEBVIEW_DOM_CONTENT_LOADED("webview_dom_content_loaded", Ver.CURRENT),
    WEBVIEW_PAGE_LOADED("webview_page_loaded", Ver.CURRENT);

    /** Where in getting a release onto the device a failure happened. */
    public enum FailureStage {
        /** Transfer, or the worker's post-processing (disk space, memory, register). */
        DOWNLOAD,
        /** Session key, checksum or decryption: the bundle is not the one signed for this device. */
        VERIFY,
        /** Extraction of the zip (the plugin's entry-name rules). */
        UNZIP,
        /** Switching to the bundle ({@code set}). */
        SET,
        /** The bundle ran but never called {@code notifyAppReady()}: rolled back. */
        ROLLBACK,
        /** One file of a delta (manifest) download. */
        MANIFEST_FILE
    }

    /** Which bundle an event's {@code version_name} names (the "Ver" column of the plugin's action table). */
    public enum Ver {
        /** The bundle running when the event was sent. */
        CURRENT,
        /** The bundle being downloaded or installed: the release the server offered. */
        TARGET,
        /** {@code "<target>:<file_name>"}: one file of the target's delta download. */
        TARGET_FILE,
        /** The running bundle or the target, depending on where the plugin failed. */
        EITHER,
        /** Another bundle ({@code delete}: the deleted one). */
        OTHER
    }

    private static final Map<String, StatsAction> BY_WIRE = new HashMap<>();

    static {
        for (StatsAction a : values()) {
            BY_WIRE.put(a.wire, a);
        }
    }

    private final String wire;
    private final Ver androidVer;
    private final Ver iosVer;
    private final FailureStage stage;
    private final Set<Platform> platforms;

    StatsAction(String wire, Ver ver) {
        this(wire, ver, ver, null, null);
    }

    StatsAction(String wire, Ver ver, Platform only) {
        this(wire, ver, ver, null, only);
    }

    StatsAction(String wire, Ver ver, FailureStage stage) {
        this(wire, ver, ver, stage, null);
    }

    StatsAction(String wire, Ver ver, FailureStage stage, Platform only) {
        this(wire, ver, ver, stage, only);
    }

    StatsAction(String wire, Ver android, Ver ios, FailureStage stage) {
        this(wire, android, ios, stage, null);
    }

    StatsAction(String wire, Ver android, Ver ios, FailureStage stage, Platform only) {
        this.wire = wire;
        this.androidVer = android;
        this.iosVer = ios;
        this.stage = stage;
        this.platforms = only == null ? EnumSet.of(Platform.ANDROID, Platform.IOS) : EnumSet.of(only);
    }

    /** The action for a wire string, or empty for one the catalogue does not know (still a valid event). */
    public static Optional<StatsAction> of(String wire) {
        return Optional.ofNullable(wire == null ? null : BY_WIRE.get(wire));
    }

    /** Whether an action string reports a failure; an unknown action never does. */
    public static boolean isFailure(String wire) {
        return of(wire).map(StatsAction::isFailure).orElse(false);
    }

    /** The {@code action} string. */
    public String wire() {
        return wire;
    }

    /** Whether the event reports that a device failed to get or run a release. */
    public boolean isFailure() {
        return stage != null;
    }

    /** The stage of a failure; empty when this is not a failure. */
    public Optional<FailureStage> failureStage() {
        return Optional.ofNullable(stage);
    }

    /**
     * Whether an event from a device of this plugin version counts as a failure: plugins that send
     * {@code download_fail} where nothing failed ({@link PluginCapabilities#sendsSpuriousDownloadFail()}) do not
     * count with it.
     */
    public boolean countsAsFailureFrom(PluginCapabilities plugin) {
        return isFailure() && !(this == DOWNLOAD_FAIL && plugin.sendsSpuriousDownloadFail());
    }

    /** What {@code version_name} names, on every platform ({@link Ver#EITHER} where the platforms differ). */
    public Ver versionName() {
        return androidVer == iosVer ? androidVer : Ver.EITHER;
    }

    /** What {@code version_name} names on one platform (the Android column for Electron, which the table does not cover). */
    public Ver versionNameOn(Platform platform) {
        return platform == Platform.IOS ? iosVer : androidVer;
    }

    /**
     * Whether an event with this action names, in {@code version_name}, the bundle the device runs once it is sent:
     * {@code set} and {@code reset} (the bundle that has just become the running one), and every action whose
     * {@code version_name} is the running bundle on this platform.
     */
    public boolean reportsRunningBundle(Platform platform) {
        return this == SET || this == RESET || versionNameOn(platform) == Ver.CURRENT;
    }

    /** The platforms whose plugin sends this action. */
    public Set<Platform> sentBy() {
        return EnumSet.copyOf(platforms);
    }

    @Override
    public String toString() {
        return wire;
    }
}
