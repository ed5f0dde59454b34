package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;

import dev.updraft.server.release.FunnelCounts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

/**
 * How long the console's pages take with 100 releases and 100,000 devices (docs/console.md, "Speed"). Not a unit
 * test (its name keeps it out of surefire's default run, and it asserts nothing about time): run it by hand with
 * {@code ./mvnw -B -q -pl server -am verify -Dtest=ConsoleBenchmark -Dsurefire.failIfNoSpecifiedTests=false}. It seeds
 * one app (releases through the admin API; devices, three events each and an offer each straight into PostgreSQL,
 * then counted into the release funnels by the backfill of migration V19),
 * then times each page over loopback HTTP, 30 requests after 5 for warm-up, and prints the median, the 90th percentile
 * and the slowest, also into {@code target/console-benchmark.txt}.
 */
@QuarkusTest
class ConsoleBenchmark {
    static final int RELEASES = 100;
    static final int DEVICES = 100_000;

    @Inject
    EntityManager em;

    @Test
    void pages() throws IOException {
        String app = Api.newApp("bench");
        for (int i = 1; i <= RELEASES; i++) {
            Api.bundle(app, "1.0." + i);
        }
        channel(app, ch("name", "production", "bundle", "1.0." + (RELEASES - 1), "public", true));
        admin().body(Map.of("rollout_version", "1.0." + RELEASES, "rollout_percentage_bps", 2_000))
                .patch("/api/v1/apps/{a}/channels/production", app)
                .then()
                .statusCode(200);
        long seeding = System.nanoTime();
        QuarkusTransaction.requiringNew().timeout(600).run(() -> {
            long pk = ((Number) em.createNativeQuery("select id from apps where app_id = ?1")
                            .setParameter(1, app)
                            .getSingleResult())
                    .longValue();
            em.createNativeQuery("insert into devices (app_pk, device_id, platform, version_name, version_build,"
                            + " plugin_version, is_prod, is_emulator, custom_id, last_seen)"
                            + " select ?1, '00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'), 'android', '1.0.' || (g % ?2 + 1), '1.0.0', '8.51.23',"
                            + " true, false, 'user-' || g, now() - (g || ' seconds')::interval"
                            + " from generate_series(1, ?3) g")
                    .setParameter(1, pk)
                    .setParameter(2, RELEASES)
                    .setParameter(3, DEVICES)
                    .executeUpdate();
            em.createNativeQuery("insert into device_offers (app_pk, device_id, version, channel, first_offered_at,"
                            + " last_offered_at) select ?1, '00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'), '1.0.' || (g % ?2 + 1), 'production',"
                            + " now() - ((g % 72) || ' hours')::interval, now() from generate_series(1, ?3) g")
                    .setParameter(1, pk)
                    .setParameter(2, RELEASES)
                    .setParameter(3, DEVICES)
                    .executeUpdate();
            em.createNativeQuery("insert into stats_events (id, app_pk, device_id, action, version_name, version,"
                            + " platform, client_timestamp, received_at) select nextval('stats_events_seq'), ?1,"
                            + " '00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'), a.action, '1.0.' || (g % ?2 + 1), '1.0.' || (g % ?2 + 1), 'android',"
                            + " 0, now() - ((g % 72) || ' hours')::interval from generate_series(1, ?3) g,"
                            + " (values ('download_complete'), ('set'), ('app_launch_ready')) a(action)")
                    .setParameter(1, pk)
                    .setParameter(2, RELEASES)
                    .setParameter(3, DEVICES)
                    .executeUpdate();
            // Rows written straight into the tables are counted in the funnels as migration V19 counts old ones.
            em.unwrap(Session.class).doWork(FunnelCounts::backfill);
            em.createNativeQuery("analyze").executeUpdate();
        });
        System.out.printf(
                Locale.ROOT,
                "seeded %d devices and %d events in %d s%n",
                DEVICES,
                3 * DEVICES,
                (System.nanoTime() - seeding) / 1_000_000_000);

        ConsoleSecurityTest.Session s = ConsoleSecurityTest.logIn(Api.KEY);
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("apps", "/console");
        pages.put("app (channels, 100 release funnels)", "/console/apps/" + app);
        pages.put("release (funnel, 48 h charts)", "/console/apps/" + app + "/releases/1.0." + RELEASES);
        pages.put(
                "release (funnel, 720 h charts)", "/console/apps/" + app + "/releases/1.0." + RELEASES + "?hours=720");
        pages.put("devices (50 most recently seen)", "/console/apps/" + app + "/devices");
        pages.put(
                "devices (search by device id)",
                "/console/apps/" + app + "/devices?q=00000000-0000-4000-8000-" + String.format("%012x", 54321));
        pages.put("devices (search by custom id)", "/console/apps/" + app + "/devices?q=user-54321");
        pages.put(
                "device (last events)",
                "/console/apps/" + app + "/devices/00000000-0000-4000-8000-" + String.format("%012x", 54321));
        pages.put("audit log", "/console/audit");
        StringBuilder report = new StringBuilder(String.format(
                Locale.ROOT,
                "Console pages, %d releases, %d devices, %d events (ms over loopback HTTP; %d cores)%n%-40s %8s %8s %8s%n",
                RELEASES,
                DEVICES,
                3 * DEVICES,
                Runtime.getRuntime().availableProcessors(),
                "page",
                "median",
                "p90",
                "max"));
        for (Map.Entry<String, String> page : pages.entrySet()) {
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < 35; i++) {
                long start = System.nanoTime();
                RestAssured.given()
                        .cookie("updraft_console", s.cookie())
                        .get(page.getValue())
                        .then()
                        .statusCode(200);
                if (i >= 5) {
                    times.add((System.nanoTime() - start) / 1e6);
                }
            }
            Collections.sort(times);
            String line = String.format(
                    Locale.ROOT,
                    "%-40s %8.1f %8.1f %8.1f%n",
                    page.getKey(),
                    times.get(times.size() / 2),
                    times.get((int) (times.size() * 0.9)),
                    times.get(times.size() - 1));
            System.out.print(line);
            report.append(line);
        }
        // The plan of the release page's hourly chart query (one release, a time window: events stay its source).
        report.append("\nPlan of the hourly chart's events query (release 1.0.")
                .append(RELEASES)
                .append(", 720 h):\n");
        QuarkusTransaction.requiringNew().run(() -> {
            for (Object line : em.createNativeQuery("explain analyze select cast(floor(extract(epoch from"
                            + " e.received_at) / 3600) as bigint), count(distinct e.device_id) from stats_events e"
                            + " where e.app_pk = (select id from apps where app_id = ?1) and e.version = ?2"
                            + " and e.received_at >= now() - interval '720 hours' and e.action in ('set') group by 1")
                    .setParameter(1, app)
                    .setParameter(2, "1.0." + RELEASES)
                    .getResultList()) {
                report.append("  ").append(line).append('\n');
            }
        });
        System.out.print(report);
        Files.writeString(Path.of("target", "console-benchmark.txt"), report);
    }
}
