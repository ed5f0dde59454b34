package dev.updraft.sim;

import static dev.updraft.sim.DeviceStats.meta;

import dev.updraft.protocol.StatsAction;

/**
 * What the plugin does at a cold start before the web view loads (§3.3, §8.5, §8.6): the OS and native version
 * events, {@code resetWhenUpdate}, deletes a kill interrupted, and the reset when the current bundle is missing.
 */
final class LaunchHousekeeping {
    private final DeviceConfig config;
    private final DeviceState state;
    private final BundleRegistry registry;
    private final DeviceStats stats;
    private final DeviceLog log;

    LaunchHousekeeping(DeviceConfig config, BundleRegistry registry, DeviceStats stats, DeviceLog log) {
        this.config = config;
        this.state = registry.state();
        this.registry = registry;
        this.stats = stats;
        this.log = log;
    }

    /**
     * Runs the launch-time steps in the plugin's order.
     *
     * @return whether this is the first launch of this native build ({@code atInstall} applies at once then, §8.4)
     */
    boolean run() {
        boolean firstLaunchAfterInstall = checkNativeAndOsVersion(); // §3.3 version events; §8.6 resetWhenUpdate
        finishInterruptedDeletes(); // §8.5 "deleting" survives a kill
        autoReset(); // §8.6 current bundle missing: back to built-in
        return firstLaunchAfterInstall;
    }

    private boolean checkNativeAndOsVersion() {
        String running = registry.current().version();
        String prevOs = state.get(DeviceState.KEY_LAST_VERSION_OS);
        if (prevOs != null && !prevOs.equals(config.versionOs())) {
            stats.queue(
                    StatsAction.OS_VERSION_CHANGED,
                    running,
                    "",
                    meta("previous_version_os", prevOs, "current_version_os", config.versionOs()));
        }
        String prevBuild = state.get(DeviceState.KEY_LAST_VERSION_BUILD);
        String prevCode = state.get(DeviceState.KEY_LAST_VERSION_CODE);
        if (prevBuild != null
                && (!prevBuild.equals(config.versionBuild())
                        || !String.valueOf(prevCode).equals(config.versionCode()))) {
            stats.queue(
                    StatsAction.NATIVE_APP_VERSION_CHANGED,
                    running,
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
        boolean first = latestNative == null || !latestNative.equals(config.versionCode());
        if (latestNative != null && !latestNative.equals(config.versionCode()) && config.resetWhenUpdate()) {
            log.add("native build changed " + latestNative + " -> " + config.versionCode()
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
        return first;
    }

    private void finishInterruptedDeletes() {
        for (BundleInfo b : state.bundles()) {
            if (b.status() == BundleStatus.DELETING) {
                DeviceState.deleteTree(state.bundleDir(b.id()));
                registry.setStatus(b, BundleStatus.DELETED, "delete finished after a kill");
            }
        }
    }

    private void autoReset() {
        String cur = state.get(DeviceState.KEY_CURRENT);
        if (cur != null && !cur.equals(DeviceState.BUILTIN_PATH) && (state.bundle(cur) == null || !state.usable(cur))) {
            log.add("current bundle " + cur + " is missing: reset to built-in");
            state.put(DeviceState.KEY_CURRENT, DeviceState.BUILTIN_PATH);
        }
    }
}
