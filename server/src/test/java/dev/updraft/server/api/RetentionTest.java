package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.newApp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.DeviceEntity;
import dev.updraft.server.persistence.StatsEventEntity;
import dev.updraft.server.retention.RetentionJob;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

/**
 * The retention job (docs/operations.md, "Retention"): stats events and devices older than their period (90 days)
 * go, in batches (50 in tests), and recent ones stay. The pass is triggered directly with the instant it runs at;
 * nothing waits for the schedule.
 */
@QuarkusTest
class RetentionTest {
    static final Duration KEPT = Duration.ofDays(90);
    /** More than two batches of the test profile's updraft.retention.batch-size (50). */
    static final int OLD_EVENTS = 120;

    @Inject
    RetentionJob retention;

    @Inject
    Session session;

    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    long appPk(String appId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> session.createSelectionQuery("from AppEntity where appId = :id", AppEntity.class)
                        .setParameter("id", appId)
                        .getSingleResult()
                        .id);
    }

    void event(long appPk, String device, String action, Instant receivedAt) {
        QuarkusTransaction.requiringNew().run(() -> {
            StatsEventEntity e = new StatsEventEntity();
            e.appPk = appPk;
            e.deviceId = device;
            e.action = action;
            e.versionName = "1.0.0";
            e.version = "1.0.0";
            e.receivedAt = receivedAt;
            session.persist(e);
        });
    }

    void device(long appPk, String device, Instant lastSeen) {
        QuarkusTransaction.requiringNew().run(() -> {
            DeviceEntity d = new DeviceEntity();
            d.appPk = appPk;
            d.deviceId = device;
            d.platform = "android";
            d.lastSeen = lastSeen;
            session.persist(d);
        });
    }

    long count(String hql, long appPk) {
        return QuarkusTransaction.requiringNew()
                .call(() -> session.createSelectionQuery(hql, Long.class)
                        .setParameter("pk", appPk)
                        .getSingleResult());
    }

    @Test
    void oldEventsAndDevicesGo_recentOnesStay_overridesStay() {
        String app = newApp("retention");
        long pk = appPk(app);
        Instant cutoff = now.minus(KEPT);
        for (int i = 0; i < OLD_EVENTS; i++) {
            event(pk, Api.newDevice(), "old", cutoff.minusSeconds(1 + i));
        }
        event(pk, Api.newDevice(), "recent", now.minus(Duration.ofDays(1)));
        event(pk, Api.newDevice(), "at-the-limit", cutoff.plusSeconds(1));
        String oldDevice = Api.newDevice();
        String recentDevice = Api.newDevice();
        device(pk, oldDevice, cutoff.minus(Duration.ofDays(30)));
        device(pk, recentDevice, cutoff.plusSeconds(1));
        Api.channel(app, Api.ch("name", "beta"));
        admin().body(Map.of("channel", "beta"))
                .put("/api/v1/apps/{a}/devices/{d}/override", app, oldDevice)
                .then()
                .statusCode(200);

        RetentionJob.Result result = retention.run(now);

        assertThat(result.statsEvents()).isGreaterThanOrEqualTo(OLD_EVENTS);
        assertThat(result.devices()).isGreaterThanOrEqualTo(1);
        List<Map<String, Object>> events = Api.all("/api/v1/apps/{a}/events", app);
        assertThat(events).extracting(e -> e.get("action")).containsExactlyInAnyOrder("recent", "at-the-limit");
        assertThat(Api.all("/api/v1/apps/{a}/devices", app))
                .extracting(d -> d.get("device_id"))
                .containsExactly(recentDevice);
        // An operator's pin is configuration: it outlives the device row.
        assertThat(count("select count(o) from DeviceOverrideEntity o where o.appPk = :pk", pk))
                .isEqualTo(1);

        // Nothing left to do: a second pass deletes nothing of this app.
        retention.run(now);
        assertThat(count("select count(e) from StatsEventEntity e where e.appPk = :pk", pk))
                .isEqualTo(2);
    }

    /** Two instances (here: two passes at once) deleting the same rows neither fail nor leave any behind. */
    @Test
    void twoPassesAtOnce_deleteEverythingOnce_withoutFailing() throws Exception {
        String app = newApp("retention");
        long pk = appPk(app);
        Instant old = now.minus(KEPT).minus(Duration.ofDays(1));
        for (int i = 0; i < OLD_EVENTS; i++) {
            event(pk, Api.newDevice(), "old", old.minusSeconds(i));
        }
        for (int i = 0; i < 60; i++) {
            device(pk, Api.newDevice(), old.minusSeconds(i));
        }
        ExecutorService instances = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        Callable<RetentionJob.Result> pass = () -> {
            start.await();
            return retention.run(now);
        };
        Future<RetentionJob.Result> first = instances.submit(pass);
        Future<RetentionJob.Result> second = instances.submit(pass);
        start.countDown();
        RetentionJob.Result a = first.get(60, TimeUnit.SECONDS);
        RetentionJob.Result b = second.get(60, TimeUnit.SECONDS);
        instances.shutdown();
        assertThat(a.statsEvents() + b.statsEvents()).isGreaterThanOrEqualTo(OLD_EVENTS);
        assertThat(a.devices() + b.devices()).isGreaterThanOrEqualTo(60);
        assertThat(count("select count(e) from StatsEventEntity e where e.appPk = :pk", pk))
                .isZero();
        assertThat(count("select count(d) from DeviceEntity d where d.appPk = :pk", pk))
                .isZero();
    }
}
