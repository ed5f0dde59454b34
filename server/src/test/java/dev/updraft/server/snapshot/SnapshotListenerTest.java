package dev.updraft.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The notices between instances (docs/operations.md, "Several instances behind a load balancer"): sent by the change's
 * own transaction, so only after its commit; and another instance's notice reloads the app here at once. The revision
 * poll is paused, so that nothing else can bring a change.
 */
@QuarkusTest
class SnapshotListenerTest {
    @Inject
    Scheduler scheduler;

    @Inject
    SnapshotStore snapshots;

    @Inject
    SnapshotListener listener;

    @Inject
    Session session;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Event<AppChanged> changes;

    Connection listening;

    @BeforeEach
    void listen() throws Exception {
        scheduler.pause(SnapshotStore.POLL);
        listening = dataSource.getConnection();
        listening.setAutoCommit(true);
        try (Statement s = listening.createStatement()) {
            s.execute("LISTEN " + SnapshotNotice.CHANNEL);
        }
    }

    @AfterEach
    void close() throws Exception {
        try (Statement s = listening.createStatement()) {
            s.execute("UNLISTEN *");
        }
        listening.close();
        scheduler.resume(SnapshotStore.POLL);
    }

    /**
     * The notices about {@code apps} received on the test's connection within {@code ms}, until one names
     * {@code untilApp} (a pooled connection may still hold other tests' notices: they are left out).
     */
    List<SnapshotNotice> received(List<String> apps, String untilApp, long ms) throws Exception {
        List<SnapshotNotice> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < deadline) {
            PGNotification[] batch = listening.unwrap(PGConnection.class).getNotifications(100);
            for (PGNotification n : batch == null ? new PGNotification[0] : batch) {
                SnapshotNotice.parse(n.getParameter())
                        .filter(notice -> apps.contains(notice.appId()))
                        .ifPresent(out::add);
            }
            if (out.stream().anyMatch(n -> n.appId().equals(untilApp))) {
                return out;
            }
        }
        return out;
    }

    String newApp(String name) {
        String app = "com.example.listener." + name + System.nanoTime();
        QuarkusTransaction.requiringNew()
                .run(() -> session.createNativeMutationQuery(
                                "insert into apps (app_id, name, revision, created_at) values (?1, ?1, 0, now())")
                        .setParameter(1, app)
                        .executeUpdate());
        snapshots.reload(app);
        return app;
    }

    @Test
    void aCommittedChangeIsNotifiedAfterItsCommit_aRolledBackOneNever() throws Exception {
        String rolledBack = newApp("rolledback");
        String committed = newApp("committed");
        long rolledBackPk = snapshots.get(rolledBack).appPk();
        long committedPk = snapshots.get(committed).appPk();

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    changes.fire(AppChanged.app(rolledBack, rolledBackPk));
                    throw new IllegalStateException("the change failed after its event");
                }))
                .hasMessageContaining("the change failed");
        QuarkusTransaction.requiringNew().run(() -> {
            changes.fire(AppChanged.deviceChoice(committed, committedPk));
            try {
                assertThat(received(List.of(rolledBack, committed), committed, 300))
                        .as("nothing before the commit")
                        .isEmpty();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        // Notifications arrive in commit order: once the committed one is here, the rolled-back one never comes.
        List<SnapshotNotice> notices = received(List.of(rolledBack, committed), committed, 10_000);
        assertThat(notices)
                .containsExactly(
                        new SnapshotNotice(SnapshotListener.INSTANCE, AppChanged.Kind.DEVICE_CHOICE, committed));
    }

    @Test
    void anotherInstancesNoticeReloadsTheAppAtOnce() throws Exception {
        String app = newApp("other");
        long revision = snapshots.get(app).revision();
        assertThat(listener.listening()).isTrue();
        // Another instance's change: committed in the database, then notified (with its own sender).
        QuarkusTransaction.requiringNew()
                .run(() -> session.createNativeMutationQuery(
                                "update apps set revision = revision + 1 where app_id = ?1")
                        .setParameter(1, app)
                        .executeUpdate());
        assertThat(snapshots.get(app).revision())
                .as("not told yet, and the poll is paused")
                .isEqualTo(revision);
        try (Statement s = listening.createStatement()) {
            s.execute("SELECT pg_notify('" + SnapshotNotice.CHANNEL + "', '0a0b APP " + app + "')");
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (snapshots.get(app).revision() == revision && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(snapshots.get(app).revision()).isEqualTo(revision + 1);
    }

    @Test
    void thisInstancesOwnNoticeIsSkipped() throws Exception {
        String app = newApp("own");
        long revision = snapshots.get(app).revision();
        QuarkusTransaction.requiringNew()
                .run(() -> session.createNativeMutationQuery(
                                "update apps set revision = revision + 1 where app_id = ?1")
                        .setParameter(1, app)
                        .executeUpdate());
        String other = newApp("marker");
        long otherRevision = snapshots.get(other).revision();
        QuarkusTransaction.requiringNew()
                .run(() -> session.createNativeMutationQuery(
                                "update apps set revision = revision + 1 where app_id = ?1")
                        .setParameter(1, other)
                        .executeUpdate());
        try (Statement s = listening.createStatement()) {
            // this instance's own notice for app (skipped), then another's for the marker (applied)
            s.execute("SELECT pg_notify('" + SnapshotNotice.CHANNEL + "', '" + SnapshotListener.INSTANCE + " APP " + app
                    + "')");
            s.execute("SELECT pg_notify('" + SnapshotNotice.CHANNEL + "', '0a0b APP " + other + "')");
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (snapshots.get(other).revision() == otherRevision && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(snapshots.get(other).revision()).as("the marker arrived").isEqualTo(otherRevision + 1);
        assertThat(snapshots.get(app).revision())
                .as("its own notice was skipped")
                .isEqualTo(revision);
    }
}
