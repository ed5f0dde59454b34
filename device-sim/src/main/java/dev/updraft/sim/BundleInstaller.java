package dev.updraft.sim;

import dev.updraft.protocol.StatsAction;
import dev.updraft.sim.CheckResult.Outcome;
import dev.updraft.sim.UpdatePolicy.Timing;

/**
 * Applying a bundle the device has (§8.4): now (direct update: switch, reload, watchdog), as the next bundle
 * ({@code set_next}, installed at the next background), or only kept; the same for the built-in bundle (§2.2.B).
 */
final class BundleInstaller {
    private final BundleRegistry registry;
    private final ReadyWatchdog watchdog;
    private final DeviceStats stats;
    private final DeviceLog log;

    BundleInstaller(BundleRegistry registry, ReadyWatchdog watchdog, DeviceStats stats, DeviceLog log) {
        this.registry = registry;
        this.watchdog = watchdog;
        this.stats = stats;
        this.log = log;
    }

    /** §2.3 step 7 / §8.4: apply now, schedule as next, or only keep. */
    Outcome apply(BundleInfo bundle, Timing timing) {
        switch (timing) {
            case KEEP:
                log.add(bundle.version() + " downloaded; onlyDownload: updateAvailable");
                return Outcome.DOWNLOADED;
            case NOW:
                if (!registry.switchTo(bundle)) {
                    return Outcome.REFUSED;
                }
                watchdog.load("direct update");
                watchdog.checkAppReady();
                return Outcome.APPLIED;
            default:
                if (bundle.id().equals(registry.nextId())) {
                    return Outcome.NO_UPDATE;
                }
                registry.setNext(bundle.id());
                stats.queue(
                        StatsAction.SET_NEXT,
                        bundle.version(),
                        registry.current().version(),
                        null);
                return Outcome.SCHEDULED;
        }
    }

    /** §2.2.B: {@code {"version":"builtin"}}: reset now in direct-update modes, else schedule built-in as next. */
    Outcome revertToBuiltin(Timing timing) {
        BundleInfo current = registry.current();
        switch (timing) {
            case KEEP:
                return Outcome.DOWNLOADED; // onlyDownload: only updateAvailable with the built-in bundle
            case NOW:
                registry.resetToBuiltin(true);
                watchdog.load("reset to built-in");
                watchdog.checkAppReady();
                return Outcome.APPLIED;
            default:
                registry.setNext(BundleInfo.BUILTIN_ID);
                stats.queue(StatsAction.SET_NEXT, registry.builtin().version(), current.version(), null);
                return Outcome.SCHEDULED;
        }
    }

    /** §8.4 atBackground: the next bundle is installed when the app goes to the background. */
    void installNext() {
        String nextId = registry.nextId();
        if (nextId == null) {
            return;
        }
        registry.setNext(null);
        if (nextId.equals(BundleInfo.BUILTIN_ID)) {
            if (!registry.current().isBuiltin()) {
                registry.resetToBuiltin(true);
                watchdog.load("reset to built-in at background");
            }
            return;
        }
        BundleInfo next = registry.state().bundle(nextId);
        if (next == null
                || next.status() == BundleStatus.ERROR
                || next.status() == BundleStatus.DELETED
                || next.status() == BundleStatus.DELETING) {
            log.add("next bundle " + nextId + " is gone or failed: not installed");
            return;
        }
        if (registry.switchTo(next)) {
            watchdog.load("next bundle installed at background");
            // The watchdog for it starts at the next foreground transition (§8.6).
        }
    }
}
