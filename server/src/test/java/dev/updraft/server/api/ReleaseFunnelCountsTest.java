package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static dev.updraft.server.api.Api.device;
import static dev.updraft.server.api.Api.info;
import static dev.updraft.server.api.DeviceEndpointsApiTest.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.StatsAction;
import dev.updraft.server.device.OfferRecorder;
import dev.updraft.server.release.Funnel;
import dev.updraft.server.release.FunnelCounts;
import dev.updraft.server.release.ReleaseHealth;
import dev.updraft.server.retention.RetentionJob;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

/**
 * Release funnels counted as events and offers arrive (docs/operations.md, "Release health"; migration V19) give what
 * counting distinct devices over all stored events and offers gave: {@link #scanned} is that query, kept here as the
 * oracle. Also: the backfill of rows stored before the migration, identical concurrent posts, retention and deletion.
 */
@QuarkusTest
class ReleaseFunnelCountsTest {
    static final List<String> VERSIONS = List.of("1.0.1", "1.0.2", "1.0.3");

    @Inject
    Session session;

    @Inject
    OfferRecorder offers;

    @Inject
    RetentionJob retention;

    /**
     * Every action of the catalogue and one it does not know, for several devices and releases, failures that name
     * the running bundle (counted for the offered release), and every request posted twice.
     */
    @Test
    void countedFunnels_equalTheEventScanningQueries_andDuplicatesCountOnce() {
        String app = Api.newApp("funnel");
        VERSIONS.forEach(v -> Api.bundle(app, v));
        channel(app, ch("name", "production", "bundle", "1.0.2", "public", true));
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            devices.add(Api.newDevice());
        }
        for (String d : devices.subList(0, 4)) {
            device().body(info(app, d)).post("/updates").then().statusCode(200);
        }
        offers.flush();
        List<String> actions = new ArrayList<>(
                Arrays.stream(StatsAction.values()).map(StatsAction::wire).toList());
        actions.add("an_action_of_a_newer_plugin");
        for (int i = 0; i < devices.size(); i++) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int j = 0; j < actions.size(); j++) {
                if ((i * 7 + j) % 3 != 0) {
                    String version = VERSIONS.get((i + 2 * j) % VERSIONS.size());
                    if (actions.get(j).startsWith("download_manifest_")
                            && actions.get(j).endsWith("_fail")) {
                        version = version + ":assets/app.js"; // a delta file's failure names "<release>:<file>"
                    }
                    batch.add(event(app, devices.get(i), actions.get(j), version));
                }
            }
            for (int repeat = 0; repeat < 2; repeat++) {
                device().body(batch).post("/stats").then().statusCode(200);
            }
        }
        long pk = pk(app);

        Map<String, Funnel> counted = read(() -> ReleaseHealth.funnels(session, pk));
        assertThat(counted).isEqualTo(read(() -> scanned(session, pk))).containsOnlyKeys(VERSIONS);
        assertThat(counted.get("1.0.2").offered()).isEqualTo(4);
        assertThat(counted.get("1.0.2").failed()).isPositive();
        assertThat(read(() -> ReleaseHealth.funnel(session, pk, "1.0.3"))).isEqualTo(counted.get("1.0.3"));
        assertThat(read(() -> ReleaseHealth.funnel(session, pk, "9.9.9"))).isEqualTo(Funnel.EMPTY);

        // Offered again (the flush rewrites an offer only after a minute): still one device each.
        for (String d : devices.subList(0, 4)) {
            device().body(info(app, d)).post("/updates").then().statusCode(200);
        }
        offers.flush();
        assertThat(read(() -> ReleaseHealth.funnels(session, pk))).isEqualTo(counted);
    }

    /**
     * Two clients posting the same events at once, one in the reverse order of the other (the order rows would be
     * locked in, were they not sorted): every request succeeds and every device counts once.
     */
    @Test
    void identicalConcurrentPosts_allSucceed_andCountEachDeviceOnce() throws Exception {
        String app = Api.newApp("funnelrace");
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            devices.add(Api.newDevice());
        }
        List<List<Map<String, Object>>> requests = new ArrayList<>();
        for (String d : devices) {
            requests.add(List.of(
                    event(app, d, "download_complete", "1.0.1"),
                    event(app, d, "set", "1.0.1"),
                    event(app, d, "update_fail", "1.0.1"),
                    event(app, d, "app_launch_ready", "1.0.2")));
        }
        List<Map<String, Object>> all = requests.stream().flatMap(List::stream).toList();
        List<Map<String, Object>> reversed = new ArrayList<>(all);
        Collections.reverse(reversed);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 3; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> posts = new ArrayList<>();
                for (List<Map<String, Object>> body : List.of(all, reversed, all, reversed)) {
                    posts.add(pool.submit(() -> {
                        start.await();
                        return device().body(body).post("/stats").statusCode();
                    }));
                }
                start.countDown();
                for (Future<Integer> f : posts) {
                    assertThat(f.get()).isEqualTo(200);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        long pk = pk(app);
        Map<String, Funnel> counted = read(() -> ReleaseHealth.funnels(session, pk));
        assertThat(counted).isEqualTo(read(() -> scanned(session, pk)));
        Funnel f = counted.get("1.0.1");
        assertThat(List.of(f.downloaded(), f.installed(), f.rolledBack(), f.failed()))
                .containsOnly(12L);
        assertThat(f.failedByStage().get(StatsAction.FailureStage.ROLLBACK)).isEqualTo(12);
        assertThat(counted.get("1.0.2").confirmed()).isEqualTo(12);
    }

    /**
     * Rows stored before migration V19 (here: written straight into the tables, as the old server did, so nothing
     * counts them) are counted by its backfill as the old queries counted them, one device per action.
     */
    @Test
    void theBackfill_countsEventsAndOffersStoredBeforeTheMigration() {
        String app = Api.newApp("backfill");
        long pk = pk(app);
        QuarkusTransaction.requiringNew().run(() -> {
            List<String> actions = new ArrayList<>(
                    Arrays.stream(StatsAction.values()).map(StatsAction::wire).toList());
            actions.add("an_action_of_a_newer_plugin");
            for (int i = 0; i < actions.size(); i++) {
                for (String version : List.of("2.0.0", "2.0.1")) {
                    String d = "old-device-" + (i % 20);
                    session.createNativeQuery("insert into stats_events (id, app_pk, device_id, action, version_name,"
                                    + " version, platform, received_at) values (nextval('stats_events_seq'), :pk, :d,"
                                    + " :a, :v, :v, 'android', now())")
                            .setParameter("pk", pk)
                            .setParameter("d", version.equals("2.0.0") ? "dev-" + i : d)
                            .setParameter("a", actions.get(i))
                            .setParameter("v", version)
                            .executeUpdate();
                }
            }
            session.createNativeQuery("insert into stats_events (id, app_pk, device_id, action, version_name,"
                            + " version, platform, received_at) values (nextval('stats_events_seq'), :pk, 'no-version',"
                            + " 'set', null, null, 'android', now())")
                    .setParameter("pk", pk)
                    .executeUpdate();
            session.createNativeQuery("insert into device_offers (app_pk, device_id, version, channel,"
                            + " first_offered_at, last_offered_at) select :pk, 'offered-' || g, '2.0.1', 'production',"
                            + " now(), now() from generate_series(1, 5) g")
                    .setParameter("pk", pk)
                    .executeUpdate();
        });
        assertThat(read(() -> ReleaseHealth.funnels(session, pk))).isEmpty();

        QuarkusTransaction.requiringNew().run(() -> session.doWork(FunnelCounts::backfill));

        Map<String, Funnel> counted = read(() -> ReleaseHealth.funnels(session, pk));
        assertThat(counted).isEqualTo(read(() -> scanned(session, pk))).containsOnlyKeys("2.0.0", "2.0.1");
        Funnel first = counted.get("2.0.0");
        assertThat(first.downloadStarted()).isEqualTo(Funnel.DOWNLOAD_STARTED.size());
        assertThat(first.failedByStage().get(StatsAction.FailureStage.UNZIP)).isEqualTo(4);
        assertThat(counted.get("2.0.1").offered()).isEqualTo(5);

        // Run again (H2Import does, after copying an older database): the same counts, not twice them.
        QuarkusTransaction.requiringNew().run(() -> session.doWork(FunnelCounts::backfill));
        assertThat(read(() -> ReleaseHealth.funnels(session, pk))).isEqualTo(counted);
    }

    /**
     * A release's health is not changed by retention deleting the events it was counted from; deleting the app
     * removes its funnel rows with it.
     */
    @Test
    void retentionKeepsTheCounts_andDeletingTheAppRemovesThem() {
        String app = Api.newApp("funnelkeep");
        String d = Api.newDevice();
        device().body(List.of(event(app, d, "set", "3.0.0"), event(app, d, "app_launch_ready", "3.0.0")))
                .post("/stats")
                .then()
                .statusCode(200);
        long pk = pk(app);
        Funnel before = read(() -> ReleaseHealth.funnel(session, pk, "3.0.0"));
        assertThat(before.installed()).isEqualTo(1);
        QuarkusTransaction.requiringNew()
                .run(() -> session.createNativeQuery(
                                "update stats_events set received_at = now() - interval '400 days' where app_pk = :pk")
                        .setParameter("pk", pk)
                        .executeUpdate());

        retention.run(Instant.now().plus(Duration.ofSeconds(1)));

        assertThat(read(() -> scanned(session, pk))).as("the events are gone").isEmpty();
        assertThat(read(() -> ReleaseHealth.funnel(session, pk, "3.0.0"))).isEqualTo(before);

        admin().delete("/api/v1/apps/{a}", app).then().statusCode(204);
        assertThat(read(() -> ((Number) session.createNativeQuery(
                                        "select (select count(*) from release_funnel_devices where app_pk = :pk)"
                                                + " + (select count(*) from release_funnel_counts where app_pk = :pk)",
                                        Long.class)
                                .setParameter("pk", pk)
                                .getSingleResult())
                        .longValue()))
                .isZero();
    }

    private long pk(String app) {
        return read(() -> session.createSelectionQuery("select a.id from AppEntity a where a.appId = :a", Long.class)
                .setParameter("a", app)
                .getSingleResult());
    }

    private static <T> T read(java.util.concurrent.Callable<T> query) {
        return QuarkusTransaction.requiringNew().call(query);
    }

    // ---- The oracle: the funnel as the server counted it before V19, over all stored events and offers ------------

    static Map<String, Funnel> scanned(Session s, long appPk) {
        List<String> failures = Arrays.stream(StatsAction.values())
                .filter(StatsAction::isFailure)
                .map(StatsAction::wire)
                .toList();
        Map<String, Long> offered = grouped(
                s,
                "select o.version, count(o) from DeviceOfferEntity o where o.appPk = :pk group by o.version",
                appPk,
                null);
        Map<String, Long> started = devices(
                s,
                appPk,
                Funnel.DOWNLOAD_STARTED.stream().map(StatsAction::wire).toList());
        Map<String, Long> downloaded = devices(s, appPk, List.of("download_complete"));
        Map<String, Long> installed = devices(s, appPk, List.of("set"));
        Map<String, Long> confirmed = devices(s, appPk, List.of("app_launch_ready"));
        Map<String, Long> rolledBack = devices(s, appPk, List.of("update_fail"));
        Map<String, Long> failed = devices(s, appPk, failures);
        Map<StatsAction.FailureStage, Map<String, Long>> byStage = new EnumMap<>(StatsAction.FailureStage.class);
        for (StatsAction.FailureStage stage : StatsAction.FailureStage.values()) {
            byStage.put(
                    stage,
                    devices(
                            s,
                            appPk,
                            Arrays.stream(StatsAction.values())
                                    .filter(a -> a.failureStage().orElse(null) == stage)
                                    .map(StatsAction::wire)
                                    .toList()));
        }
        Set<String> versions = new HashSet<>(offered.keySet());
        List.of(started, downloaded, installed, confirmed, rolledBack, failed)
                .forEach(m -> versions.addAll(m.keySet()));
        Map<String, Funnel> out = new HashMap<>();
        for (String v : versions) {
            Map<StatsAction.FailureStage, Long> stages = new EnumMap<>(StatsAction.FailureStage.class);
            byStage.forEach((stage, counts) -> stages.put(stage, counts.getOrDefault(v, 0L)));
            out.put(
                    v,
                    new Funnel(
                            offered.getOrDefault(v, 0L),
                            started.getOrDefault(v, 0L),
                            downloaded.getOrDefault(v, 0L),
                            installed.getOrDefault(v, 0L),
                            confirmed.getOrDefault(v, 0L),
                            rolledBack.getOrDefault(v, 0L),
                            failed.getOrDefault(v, 0L),
                            stages));
        }
        return out;
    }

    private static Map<String, Long> devices(Session s, long appPk, List<String> actions) {
        return grouped(
                s,
                "select e.version, count(distinct e.deviceId) from StatsEventEntity e where e.appPk = :pk"
                        + " and e.version is not null and e.action in :a group by e.version",
                appPk,
                actions);
    }

    private static Map<String, Long> grouped(Session s, String query, long appPk, List<String> actions) {
        var q = s.createSelectionQuery(query, Object[].class).setParameter("pk", appPk);
        if (actions != null) {
            q.setParameter("a", actions);
        }
        Map<String, Long> out = new HashMap<>();
        for (Object[] row : q.getResultList()) {
            out.put((String) row[0], (Long) row[1]);
        }
        return out;
    }
}
