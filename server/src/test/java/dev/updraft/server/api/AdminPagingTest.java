package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.bundle;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static dev.updraft.server.api.Api.newApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.DeviceEntity;
import dev.updraft.server.persistence.StatsEventEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

/**
 * Every list of the admin API pages one way (docs/admin-api.md, "Lists and paging"): {@code limit} and {@code cursor}
 * in, {@code {"entries", "next_cursor"}} out; the order is stable, and an entry that exists throughout is shown
 * exactly once however the list changes between pages; bad limits and cursors are 400.
 */
@QuarkusTest
class AdminPagingTest {
    @Inject
    Session session;

    /** The pages of a list, {@code limit} entries each; {@code between} runs before fetching page n (n >= 1). */
    static List<Map<String, Object>> walk(String path, int limit, IntConsumer between) {
        List<Map<String, Object>> seen = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10_000; page++) {
            if (page > 0) {
                between.accept(page);
            }
            RequestSpecification r = admin().queryParam("limit", limit);
            if (cursor != null) {
                r.queryParam("cursor", cursor);
            }
            JsonPath body = r.get(path).then().statusCode(200).extract().jsonPath();
            assertThat(body.getMap("$").keySet()).containsExactlyInAnyOrder("entries", "next_cursor");
            List<Map<String, Object>> entries = body.getList("entries");
            assertThat(entries.size()).isLessThanOrEqualTo(limit);
            seen.addAll(entries);
            cursor = body.getString("next_cursor");
            if (cursor == null) {
                return seen;
            }
            assertThat(entries).as("a page before the last one is full").hasSize(limit);
        }
        throw new AssertionError("no last page");
    }

    long appPk(String appId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> session.createSelectionQuery("from AppEntity where appId = :id", AppEntity.class)
                        .setParameter("id", appId)
                        .getSingleResult()
                        .id);
    }

    void devices(long appPk, List<String> ids, Instant lastSeen) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (String id : ids) {
                DeviceEntity d = new DeviceEntity();
                d.appPk = appPk;
                d.deviceId = id;
                d.lastSeen = lastSeen;
                session.persist(d);
            }
        });
    }

    void seenAgain(long appPk, String deviceId) {
        QuarkusTransaction.requiringNew()
                .run(() -> session.createMutationQuery(
                                "update DeviceEntity set lastSeen = :t where appPk = :pk and deviceId = :d")
                        .setParameter("t", Instant.now())
                        .setParameter("pk", appPk)
                        .setParameter("d", deviceId)
                        .executeUpdate());
    }

    void events(long appPk, String action, Instant receivedAt, List<String> deviceIds) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (String id : deviceIds) {
                StatsEventEntity e = new StatsEventEntity();
                e.appPk = appPk;
                e.deviceId = id;
                e.action = action;
                e.receivedAt = receivedAt;
                session.persist(e);
            }
        });
    }

    static List<String> newDevices(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(Api.newDevice());
        }
        return ids;
    }

    static List<Object> field(List<Map<String, Object>> entries, String name) {
        return entries.stream().map(e -> e.get(name)).toList();
    }

    @Test
    void devices_byDeviceId_eachOnce_whileDevicesAreSeenAddedAndDeleted() {
        String app = newApp("page");
        long pk = appPk(app);
        List<String> original = newDevices(25);
        devices(pk, original, Instant.now().minus(1, ChronoUnit.HOURS));
        String deleted = original.get(20);
        List<Map<String, Object>> seen = walk("/api/v1/apps/" + app + "/devices", 4, page -> {
            // Devices seen again (the old order by last_seen would move them), new devices, one deleted.
            seenAgain(pk, original.get(page));
            seenAgain(pk, original.get(24 - page));
            devices(pk, newDevices(2), Instant.now());
            if (page == 2) {
                QuarkusTransaction.requiringNew()
                        .run(() -> session.createMutationQuery("delete from DeviceEntity where deviceId = :d")
                                .setParameter("d", deleted)
                                .executeUpdate());
            }
        });
        List<Object> ids = field(seen, "device_id");
        assertThat(new HashSet<>(ids)).as("no device twice").hasSameSizeAs(ids);
        assertThat(ids)
                .containsAll(original.stream().filter(d -> !d.equals(deleted)).toList());
        assertThat(ids).isSortedAccordingTo(Comparator.comparing(Object::toString));
    }

    @Test
    void events_newestFirst_eachOnce_evenWithEqualTimes_whileEventsArrive() {
        String app = newApp("page");
        long pk = appPk(app);
        Instant t = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Set<String> original = new HashSet<>();
        for (int i = 0; i < 8; i++) { // 8 instants, 3 events each: ties a time-only cursor would break
            List<String> ids = newDevices(3);
            original.addAll(ids);
            events(pk, "set", t.minusSeconds(i), ids);
        }
        List<Map<String, Object>> seen =
                walk("/api/v1/apps/" + app + "/events", 5, page -> events(pk, "set", Instant.now(), newDevices(2)));
        List<Object> ids = field(seen, "device_id");
        assertThat(new HashSet<>(ids)).as("no event twice").hasSameSizeAs(ids);
        assertThat(ids).containsAll(original);
        assertThat(field(seen, "received_at"))
                .isSortedAccordingTo(Comparator.comparing((Object at) -> Instant.parse(at.toString()))
                        .reversed());
    }

    @Test
    void bundlesChannelsAndKeys_pageToTheEnd_inTheirOrder() {
        String app = newApp("page");
        for (int i = 1; i <= 7; i++) {
            bundle(app, "1.0." + i);
        }
        List<Map<String, Object>> bundles = walk("/api/v1/apps/" + app + "/bundles", 3, page -> {});
        assertThat(field(bundles, "version"))
                .containsExactly("1.0.7", "1.0.6", "1.0.5", "1.0.4", "1.0.3", "1.0.2", "1.0.1");

        for (String name : List.of("delta", "alpha", "echo", "charlie", "bravo")) {
            channel(app, ch("name", name));
        }
        assertThat(field(walk("/api/v1/apps/" + app + "/channels", 2, page -> {}), "name"))
                .containsExactly("alpha", "bravo", "charlie", "delta", "echo");

        List<Object> keys = field(walk("/api/v1/admin-keys", 2, page -> {}), "name");
        assertThat(keys).contains("configured").doesNotHaveDuplicates();
        assertThat(field(walk("/api/v1/apps/" + app + "/events", 2, page -> {}), "action"))
                .isEmpty();
    }

    @Test
    void apps_byAppId_eachOnce_whileAppsAreCreated() {
        Set<Object> before = new HashSet<>(field(Api.all("/api/v1/apps"), "app_id"));
        List<Map<String, Object>> seen = walk("/api/v1/apps", 50, page -> {
            newApp("page"); // sorts anywhere: before or after the cursor
            Api.admin()
                    .body(Map.of("app_id", "aaa.first" + page + "x" + System.nanoTime()))
                    .post("/api/v1/apps")
                    .then()
                    .statusCode(201);
        });
        List<Object> ids = field(seen, "app_id");
        assertThat(new HashSet<>(ids)).as("no app twice").hasSameSizeAs(ids);
        assertThat(ids).containsAll(before);
        assertThat(ids).isSortedAccordingTo(Comparator.comparing(Object::toString));
    }

    @Test
    void withoutLimit_aPageHoldsTheDefault100() {
        String app = newApp("page");
        devices(appPk(app), newDevices(105), Instant.now());
        JsonPath first = admin().get("/api/v1/apps/{a}/devices", app)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(first.getList("entries")).hasSize(100);
        JsonPath second = admin().queryParam("cursor", first.getString("next_cursor"))
                .get("/api/v1/apps/{a}/devices", app)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(second.getList("entries")).hasSize(5);
        assertThat(second.getString("next_cursor")).isNull();
    }

    static String encoded(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void hostileLimitsAndCursors_are400_onEveryList() {
        String app = newApp("page");
        bundle(app, "1.0.0");
        bundle(app, "1.0.1");
        String a = "/api/v1/apps/" + app;
        String bundlesCursor = admin().queryParam("limit", 1)
                .get(a + "/bundles")
                .then()
                .statusCode(200)
                .extract()
                .path("next_cursor");
        assertThat(bundlesCursor).isNotNull();
        List<String> lists = List.of(
                "/api/v1/apps",
                a + "/bundles",
                a + "/channels",
                a + "/devices",
                a + "/events",
                "/api/v1/admin-keys",
                "/api/v1/audit");
        List<String> limits =
                List.of("0", "-1", "1001", "abc", "1.5", "1e3", "+5", " 5", "99999999999999999999", "0x10");
        byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, 'x'};
        List<String> cursors = List.of(
                "abc",
                "!!!",
                "A".repeat(2000),
                Base64.getUrlEncoder().encodeToString(notUtf8),
                encoded("u1|apps"),
                encoded("u2|apps|com.x.y"),
                encoded("u1|apps|a\u0000b"),
                encoded("u1|bundles|12a"),
                encoded("u1|bundles|-5"),
                encoded("u1|events|yesterday|5"),
                encoded("u1|events|2026-01-01T00:00:00Z|x"),
                encoded("u1|audit|99999999999999999999"));
        for (String list : lists) {
            for (String limit : limits) {
                admin().queryParam("limit", limit)
                        .get(list)
                        .then()
                        .statusCode(400)
                        .body("error", equalTo("validation_failed"))
                        .body("details[0].field", equalTo("limit"));
            }
            for (String cursor : cursors) {
                admin().queryParam("cursor", cursor)
                        .get(list)
                        .then()
                        .statusCode(400)
                        .body("details[0].field", equalTo("cursor"));
            }
            if (!list.endsWith("/bundles")) { // one list's cursor is not another's
                admin().queryParam("cursor", bundlesCursor)
                        .get(list)
                        .then()
                        .statusCode(400)
                        .body("details[0].field", equalTo("cursor"));
            }
            admin().queryParam("limit", "1000").get(list).then().statusCode(200);
        }
        // The cursor of one app's bundles is a position, not a key to another app's.
        String other = newApp("page");
        admin().queryParam("cursor", bundlesCursor)
                .get("/api/v1/apps/{a}/bundles", other)
                .then()
                .statusCode(200)
                .body("entries.size()", equalTo(0));
        admin().queryParam("cursor", bundlesCursor)
                .get(a + "/bundles")
                .then()
                .statusCode(200)
                .body("entries.version", equalTo(List.of("1.0.0")));
    }
}
