package dev.updraft.server.snapshot;

import dev.updraft.server.persistence.Revisions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import org.hibernate.Session;

/**
 * The one observer of {@link AppChanged} (docs/architecture.md, "Snapshots"). In the change's transaction it bumps the
 * app's counter and queues a PostgreSQL {@code NOTIFY} ({@link SnapshotNotice}), so that the change and both signals to
 * the other instances commit together or not at all: PostgreSQL delivers a notification only when its transaction
 * commits, and the listeners ({@link SnapshotListener}) then reread what was committed. After the commit it refreshes
 * this instance's snapshot, so the next update check here sees the change. After a rollback nothing happens: the
 * counter's bump and the notification are rolled back with the change, and no refresh is run.
 */
@ApplicationScoped
public class SnapshotRefresh {
    @Inject
    SnapshotStore store;

    @Inject
    Session session;

    void bump(@Observes AppChanged change) {
        switch (change.kind()) {
            case APP -> Revisions.bump(change.appPk());
            case DEVICE_CHOICE -> Revisions.bumpDeviceChoices(change.appPk());
        }
        String payload = new SnapshotNotice(SnapshotListener.INSTANCE, change.kind(), change.appId()).payload();
        // pg_notify, not NOTIFY: its payload is a bound parameter. Sent at commit; identical ones in one transaction
        // are delivered once.
        session.doWork(connection -> {
            try (PreparedStatement notify = connection.prepareStatement("select pg_notify(?, ?)")) {
                notify.setString(1, SnapshotNotice.CHANNEL);
                notify.setString(2, payload);
                notify.execute();
            }
        });
    }

    void refresh(@Observes(during = TransactionPhase.AFTER_SUCCESS) AppChanged change) {
        switch (change.kind()) {
            case APP -> store.reload(change.appId());
            case DEVICE_CHOICE -> store.reloadDeviceChoices(change.appId());
        }
    }
}
