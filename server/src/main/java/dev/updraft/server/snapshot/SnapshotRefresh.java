package dev.updraft.server.snapshot;

import dev.updraft.server.persistence.Revisions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

/**
 * The one observer of {@link AppChanged} (docs/architecture.md, "Snapshots"). In the change's transaction it bumps the
 * app's counter, so that the change and the signal to the other instances commit together or not at all; after the
 * commit it refreshes this instance's snapshot, so the next update check here sees the change. After a rollback
 * nothing happens: the counter's bump is rolled back with the change, and no refresh is run.
 */
@ApplicationScoped
public class SnapshotRefresh {
    @Inject
    SnapshotStore store;

    void bump(@Observes AppChanged change) {
        switch (change.kind()) {
            case APP -> Revisions.bump(change.appPk());
            case DEVICE_CHOICE -> Revisions.bumpDeviceChoices(change.appPk());
        }
    }

    void refresh(@Observes(during = TransactionPhase.AFTER_SUCCESS) AppChanged change) {
        switch (change.kind()) {
            case APP -> store.reload(change.appId());
            case DEVICE_CHOICE -> store.reloadDeviceChoices(change.appId());
        }
    }
}
