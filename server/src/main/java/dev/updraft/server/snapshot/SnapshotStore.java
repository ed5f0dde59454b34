package dev.updraft.server.snapshot;

import dev.updraft.server.decision.AppSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The in-memory, immutable snapshot of every app, which the update check reads instead of the database.
 *
 * <p>After each committed change, {@link SnapshotRefresh} refreshes this instance's snapshot of the app: all of it, or
 * only its devices' own channel choices. Several instances over one PostgreSQL learn of each other's changes at once
 * through {@link SnapshotListener} (LISTEN/NOTIFY); so that they converge whatever a notification misses, every
 * instance also polls the apps' two counters (one cheap query) every {@code updraft.snapshot.poll-interval}, reloads
 * the apps whose revision moved, rereads only the device choices of those whose choices revision moved, and drops
 * deleted apps.
 */
@ApplicationScoped
public class SnapshotStore {
    private static final Logger LOG = Logger.getLogger(SnapshotStore.class);

    private final ConcurrentHashMap<String, AppSnapshot> snapshots = new ConcurrentHashMap<>();

    @Inject
    SnapshotLoader loader;

    @Inject
    MeterRegistry registry;

    private Counter reloads;
    private Counter choiceReloads;

    void onStart(@Observes @Priority(10) StartupEvent ev) {
        reloads = Counter.builder("updraft.snapshot.reloads")
                .description("App snapshots rebuilt from the database")
                .tag("part", "app")
                .register(registry);
        choiceReloads = Counter.builder("updraft.snapshot.reloads")
                .description("App snapshots rebuilt from the database")
                .tag("part", "device-choices")
                .register(registry);
        poll();
        LOG.infof("loaded %d app snapshot(s)", snapshots.size());
    }

    /** The app's snapshot, or {@code null} for an app this server does not know. Never touches the database. */
    public AppSnapshot get(String appId) {
        return snapshots.get(appId);
    }

    /** Rebuilds one app's snapshot now (after a change to it was committed). */
    public void reload(String appId) {
        AppSnapshot fresh = loader.load(appId);
        if (reloads != null) {
            reloads.increment();
        }
        if (fresh == null) {
            snapshots.remove(appId);
        } else {
            // A slower concurrent reload must not replace a newer snapshot with an older one.
            snapshots.merge(appId, fresh, (old, nu) -> newer(nu, old) ? nu : old);
        }
    }

    /** Whether {@code nu} was read after {@code old}: a later revision, or the same one with later device choices. */
    private static boolean newer(AppSnapshot nu, AppSnapshot old) {
        if (nu.revision() != old.revision()) {
            return nu.revision() > old.revision();
        }
        return nu.deviceChoicesRevision() >= old.deviceChoicesRevision();
    }

    /** Rereads only the app's device choices (after one changed), keeping the rest of its snapshot. */
    public void reloadDeviceChoices(String appId) {
        SnapshotLoader.DeviceChoices choices = loader.deviceChoices(appId);
        if (choiceReloads != null) {
            choiceReloads.increment();
        }
        if (choices == null || snapshots.get(appId) == null) {
            reload(appId); // gone, or not known here yet
            return;
        }
        snapshots.computeIfPresent(
                appId,
                (id, old) -> old.deviceChoicesRevision() > choices.revision()
                        ? old
                        : old.withDeviceChoices(choices.revision(), choices.channelByDevice()));
    }

    /** The poll's job, which tests pause to see what a change refreshes by itself. */
    public static final String POLL = "snapshot-poll";

    /** Reloads what moved in each app, and forgets deleted apps. */
    @Scheduled(
            identity = POLL,
            every = "${updraft.snapshot.poll-interval}",
            delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        try {
            Map<String, SnapshotLoader.Revision> revisions = loader.revisions();
            for (String id : snapshots.keySet()) {
                if (!revisions.containsKey(id)) {
                    reload(id); // confirms the deletion (an app created after the query above is kept)
                }
            }
            revisions.forEach((id, rev) -> {
                AppSnapshot current = snapshots.get(id);
                if (current == null || current.revision() != rev.app()) {
                    reload(id);
                } else if (current.deviceChoicesRevision() != rev.deviceChoices()) {
                    reloadDeviceChoices(id);
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("snapshot poll failed, keeping the current snapshots: %s", e.toString());
        }
    }
}
