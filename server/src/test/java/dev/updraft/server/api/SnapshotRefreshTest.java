package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.bundle;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static dev.updraft.server.api.Api.device;
import static dev.updraft.server.api.Api.info;
import static dev.updraft.server.api.Api.newApp;
import static dev.updraft.server.api.Api.newDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.server.snapshot.AppChanged;
import dev.updraft.server.snapshot.SnapshotStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.Map;
import org.hibernate.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changes refresh the snapshot through one observer after their commit (docs/architecture.md, "Snapshots"). The
 * revision poll is paused here, so that what a test sees comes from the refresh after the commit alone; the poll
 * is resumed only where another instance's change is simulated.
 */
@QuarkusTest
class SnapshotRefreshTest {
    @Inject
    Scheduler scheduler;

    @Inject
    SnapshotStore snapshots;

    @Inject
    Session session;

    @Inject
    MeterRegistry registry;

    @Inject
    Event<AppChanged> changes;

    @BeforeEach
    void pausePoll() {
        scheduler.pause(SnapshotStore.POLL);
    }

    @AfterEach
    void resumePoll() {
        scheduler.resume(SnapshotStore.POLL);
    }

    String offered(Map<String, Object> device) {
        return device().body(device)
                .post("/updates")
                .then()
                .statusCode(200)
                .extract()
                .path("version");
    }

    long[] revisions(String appId) {
        Object[] row = QuarkusTransaction.requiringNew()
                .call(() -> session.createSelectionQuery(
                                "select a.revision, a.choicesRevision from AppEntity a where a.appId = :id",
                                Object[].class)
                        .setParameter("id", appId)
                        .getSingleResult());
        return new long[] {(Long) row[0], (Long) row[1]};
    }

    double reloads(String part) {
        return registry.get("updraft.snapshot.reloads")
                .tag("part", part)
                .counter()
                .count();
    }

    /**
     * A device of a plugin that relies on the server to keep its channel choice (5.30.0), on a new app whose public
     * channel production serves 1.0.1 and whose channel beta (1.0.2) devices may choose.
     */
    Map<String, Object> deviceOfAnOldPluginOnProduction() {
        String app = newApp("refresh");
        bundle(app, "1.0.1");
        bundle(app, "1.0.2");
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.1"));
        channel(app, ch("name", "beta", "bundle", "1.0.2", "allow_device_self_set", true));
        Map<String, Object> dev = info(app, newDevice());
        dev.put("plugin_version", "5.30.0");
        assertThat(offered(dev)).isEqualTo("1.0.1");
        return dev;
    }

    @Test
    void everyAdminChangeIsServedAsSoonAsItsAnswerArrives() {
        String app = newApp("refresh");
        bundle(app, "1.0.1");
        bundle(app, "1.0.2");
        bundle(app, "1.0.3");
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.1"));
        channel(app, ch("name", "beta", "bundle", "1.0.2"));
        Map<String, Object> dev = info(app, newDevice());
        assertThat(offered(dev)).isEqualTo("1.0.1");

        admin().body(Map.of("bundle", "1.0.3"))
                .patch("/api/v1/apps/{a}/channels/production", app)
                .then()
                .statusCode(200);
        assertThat(offered(dev)).as("channel patched").isEqualTo("1.0.3");

        admin().body(Map.of("channel", "beta"))
                .put("/api/v1/apps/{a}/devices/{d}/override", app, dev.get("device_id"))
                .then()
                .statusCode(200);
        assertThat(offered(dev)).as("operator override").isEqualTo("1.0.2");
        admin().delete("/api/v1/apps/{a}/devices/{d}/override", app, dev.get("device_id"))
                .then()
                .statusCode(204);
        assertThat(offered(dev)).as("override removed").isEqualTo("1.0.3");

        admin().body(Map.of(
                        "version",
                        "1.0.4",
                        "external_url",
                        "https://cdn.example.com/1.0.4.zip",
                        "checksum",
                        Api.SHA,
                        "channel",
                        "production"))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(201);
        assertThat(offered(dev)).as("published onto the channel").isEqualTo("1.0.4");

        admin().delete("/api/v1/apps/{a}/channels/production", app).then().statusCode(204);
        device().body(dev)
                .post("/updates")
                .then()
                .statusCode(200)
                .body("error", org.hamcrest.Matchers.equalTo("no_channel"));

        assertThat(snapshots.get(app).revision())
                .as("the snapshot is at the database's revision")
                .isEqualTo(revisions(app)[0]);
        admin().delete("/api/v1/apps/{a}", app).then().statusCode(204);
        assertThat(snapshots.get(app))
                .as("a deleted app leaves the snapshots at once")
                .isNull();
    }

    @Test
    void aCommittedChangeBumpsTheRevisionInItsTransactionAndRefreshesAfter() {
        String app = newApp("refresh");
        long pk = snapshots.get(app).appPk();
        long before = revisions(app)[0];
        double reloads = reloads("app");

        QuarkusTransaction.requiringNew().run(() -> {
            changes.fire(AppChanged.app(app, pk));
            // Inside the transaction: bumped already, not refreshed yet (that waits for the commit).
            assertThat(session.createSelectionQuery("select a.revision from AppEntity a where a.id = :pk", Long.class)
                            .setParameter("pk", pk)
                            .getSingleResult())
                    .isEqualTo(before + 1);
            assertThat(reloads("app")).isEqualTo(reloads);
        });

        assertThat(revisions(app)[0]).isEqualTo(before + 1);
        assertThat(reloads("app")).isEqualTo(reloads + 1);
        assertThat(snapshots.get(app).revision()).isEqualTo(before + 1);
    }

    @Test
    void aRolledBackChangeNeitherBumpsNorRefreshes() {
        String app = newApp("refresh");
        long pk = snapshots.get(app).appPk();
        long[] before = revisions(app);
        double reloads = reloads("app");
        double choiceReloads = reloads("device-choices");

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    changes.fire(AppChanged.app(app, pk));
                    changes.fire(AppChanged.deviceChoice(app, pk));
                    throw new IllegalStateException("the change failed after its event");
                }))
                .hasMessageContaining("the change failed");

        assertThat(revisions(app)).containsExactly(before);
        assertThat(reloads("app")).isEqualTo(reloads);
        assertThat(reloads("device-choices")).isEqualTo(choiceReloads);
        assertThat(snapshots.get(app).revision()).isEqualTo(before[0]);
    }

    /** A device's own choice (plugins before 5.34 store it on the server) rereads the app's choices only, here and elsewhere. */
    @Test
    void aDeviceChoiceRefreshesOnlyTheDeviceChoices_notTheWholeApp() {
        Map<String, Object> dev = deviceOfAnOldPluginOnProduction();
        String app = (String) dev.get("app_id");
        long[] before = revisions(app);
        double reloads = reloads("app");
        double choiceReloads = reloads("device-choices");

        Map<String, Object> set = new java.util.HashMap<>(dev);
        set.put("channel", "beta");
        device().body(set).post("/channel_self").then().statusCode(200);
        assertThat(offered(dev)).as("the choice is served at once").isEqualTo("1.0.2");
        assertThat(revisions(app)).as("app revision, choices revision").containsExactly(before[0], before[1] + 1);
        assertThat(reloads("app")).as("whole-app reloads").isEqualTo(reloads);
        assertThat(reloads("device-choices")).isEqualTo(choiceReloads + 1);

        device().body(dev).delete("/channel_self").then().statusCode(200);
        assertThat(offered(dev)).as("the choice is forgotten at once").isEqualTo("1.0.1");
        assertThat(revisions(app)).containsExactly(before[0], before[1] + 2);
        assertThat(reloads("app")).isEqualTo(reloads);
    }

    /** What another instance commits for a device's choice reaches this one through the poll, again without a whole reload. */
    @Test
    void anotherInstancesDeviceChoiceArrivesThroughThePoll() throws InterruptedException {
        Map<String, Object> dev = deviceOfAnOldPluginOnProduction();
        String app = (String) dev.get("app_id");
        double reloads = reloads("app");

        QuarkusTransaction.requiringNew().run(() -> {
            session.createNativeMutationQuery(
                            "insert into device_overrides (app_pk, device_id, channel_pk, source, created_at)"
                                    + " select a.id, ?2, c.id, 'self', now() from apps a join channels c on c.app_pk = a.id where a.app_id = ?1 and c.name = 'beta'")
                    .setParameter(1, app)
                    .setParameter(2, dev.get("device_id"))
                    .executeUpdate();
            session.createNativeMutationQuery(
                            "update apps set choices_revision = choices_revision + 1 where app_id = ?1")
                    .setParameter(1, app)
                    .executeUpdate();
        });
        assertThat(offered(dev)).as("not told: the poll is paused").isEqualTo("1.0.1");

        scheduler.resume(SnapshotStore.POLL);
        String seen = null;
        for (int i = 0; i < 100 && !"1.0.2".equals(seen); i++) {
            seen = offered(dev);
            Thread.sleep(100);
        }
        assertThat(seen).isEqualTo("1.0.2");
        assertThat(reloads("app")).as("whole-app reloads").isEqualTo(reloads);
    }
}
