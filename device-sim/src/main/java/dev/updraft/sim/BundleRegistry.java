package dev.updraft.sim;

import dev.updraft.protocol.StatsAction;
import java.util.ArrayList;
import java.util.List;

/**
 * The bundle registry on top of the state folder (§8.5, §8.7): which bundle is current, next and the fallback, the
 * entries by version, status changes (kept in a history for tests and reports), and the moves between bundles that
 * every part uses: {@code set}, reset to built-in, delete.
 */
final class BundleRegistry {
    private final DeviceState state;
    private final DeviceConfig config;
    private final SimClock clock;
    private final DeviceLog log;
    private final List<StatusChange> history = new ArrayList<>();
    private DeviceStats stats;

    BundleRegistry(DeviceState state, DeviceConfig config, SimClock clock, DeviceLog log) {
        this.state = state;
        this.config = config;
        this.clock = clock;
        this.log = log;
    }

    /** The stats the moves send ({@code set}, {@code set_fail}, {@code reset}, {@code delete}); set once, at start. */
    void sendStatsTo(DeviceStats s) {
        this.stats = s;
    }

    DeviceState state() {
        return state;
    }

    BundleInfo builtin() {
        return BundleInfo.builtin(config.versionBuild());
    }

    /** The bundle running now (the built-in one if none). */
    BundleInfo current() {
        String cur = state.get(DeviceState.KEY_CURRENT);
        if (cur == null || cur.equals(DeviceState.BUILTIN_PATH)) {
            return builtin();
        }
        BundleInfo b = state.bundle(cur);
        return b == null ? builtin() : b;
    }

    /** The bundle queued for the next background, or null; the built-in bundle if built-in is queued. */
    BundleInfo next() {
        String next = nextId();
        if (next == null) {
            return null;
        }
        return next.equals(BundleInfo.BUILTIN_ID) ? builtin() : state.bundle(next);
    }

    String nextId() {
        return state.get(DeviceState.KEY_NEXT);
    }

    void setNext(String id) {
        state.put(DeviceState.KEY_NEXT, id);
    }

    /** The last confirmed bundle ({@code pastVersion}), or null (a rollback then goes to built-in). */
    BundleInfo fallback() {
        String id = state.get(DeviceState.KEY_FALLBACK);
        return id == null ? null : state.bundle(id);
    }

    /** A-CU getBundleInfoByName: prefer an entry whose folder exists, then a resumable download, then any. */
    BundleInfo findByVersion(String version) {
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

    /** What {@link UpdatePolicy} sees of a version: its entry, whether its folder exists and is usable; or null. */
    UpdatePolicy.LocalBundle local(String version) {
        BundleInfo b = findByVersion(version);
        return b == null ? null : new UpdatePolicy.LocalBundle(b, state.folderExists(b.id()), state.usable(b.id()));
    }

    /** A new entry in {@code downloading}. */
    BundleInfo newDownload(String version) {
        String id = state.newBundleId();
        BundleInfo info =
                new BundleInfo(id, version, BundleInfo.formatDate(clock.nowMillis()), "", BundleStatus.DOWNLOADING);
        state.saveBundle(info);
        history.add(
                new StatusChange(clock.nowMillis(), id, version, null, BundleStatus.DOWNLOADING, "download started"));
        return info;
    }

    BundleInfo setStatus(BundleInfo b, BundleStatus to, String reason) {
        BundleInfo fresh = state.bundle(b.id());
        BundleStatus from = fresh == null ? null : fresh.status();
        BundleInfo updated = (fresh == null ? b : fresh).withStatus(to);
        state.saveBundle(updated);
        if (from != to) {
            history.add(new StatusChange(clock.nowMillis(), b.id(), b.version(), from, to, reason));
        }
        return updated;
    }

    List<StatusChange> history() {
        return List.copyOf(history);
    }

    /** A-CU {@code set}: the bundle becomes current; {@code set}, or {@code set_fail} without index.html (§3.3, §8.3). */
    boolean switchTo(BundleInfo bundle) {
        if (!state.usable(bundle.id())) {
            stats.queue(StatsAction.SET_FAIL, bundle.version(), "", null);
            setStatus(bundle, BundleStatus.ERROR, "set failed: no index.html at the bundle root");
            return false;
        }
        BundleInfo old = current();
        state.put(DeviceState.KEY_CURRENT, bundle.id());
        if (bundle.status() != BundleStatus.SUCCESS) {
            setStatus(bundle, BundleStatus.PENDING, "set as current, waiting for notifyAppReady");
        }
        stats.queue(StatsAction.SET, bundle.version(), old.version(), null);
        return true;
    }

    /** Back to built-in: a user-visible reset sends {@code reset} (§3.3); the rollback's internal reset does not. */
    void resetToBuiltin(boolean sendStat) {
        BundleInfo old = current();
        state.put(DeviceState.KEY_CURRENT, DeviceState.BUILTIN_PATH);
        state.put(DeviceState.KEY_FALLBACK, null);
        state.put(DeviceState.KEY_NEXT, null);
        if (sendStat) {
            stats.queue(StatsAction.RESET, builtin().version(), old.version(), null);
        }
    }

    /** Deletes a bundle's files, keeping a {@code deleted} tombstone; {@code delete} stat (§3.3, §8.5). */
    void delete(BundleInfo bundle, String why) {
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
        stats.queue(StatsAction.DELETE, bundle.version(), "", null);
    }

    /** Drops an entry (and, when asked, its folder) before it is downloaded again (§2.3 step 5). */
    void forget(BundleInfo bundle, boolean folderToo) {
        if (folderToo) {
            DeviceState.deleteTree(state.bundleDir(bundle.id()));
        }
        state.removeBundle(bundle.id());
    }

    void log(String line) {
        log.add(line);
    }
}
