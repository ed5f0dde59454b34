package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.bundle;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static dev.updraft.server.api.Api.newApp;
import static dev.updraft.server.api.Api.newDevice;
import static dev.updraft.server.api.ReleaseHealthApiTest.check;
import static dev.updraft.server.api.ReleaseHealthApiTest.stats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.updraft.server.device.OfferRecorder;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

/** A release's funnel per UTC hour (docs/admin-api.md, "Hourly funnel"), per release and per channel. */
@QuarkusTest
class HourlyFunnelApiTest {
    @Inject
    Session session;

    @Inject
    OfferRecorder offers;

    @Test
    void eventsInTwoHours_countInTheirOwnHour_andPerChannel() {
        String app = newApp("hourly");
        bundle(app, "1.0.2");
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.2"));
        channel(app, ch("name", "beta", "bundle", "1.0.2"));
        String early = newDevice();
        String late = newDevice();
        String onBeta = newDevice();
        admin().body(Map.of("channel", "beta"))
                .put("/api/v1/apps/{a}/devices/{d}/override", app, onBeta)
                .then()
                .statusCode(200);
        for (String d : List.of(early, late, onBeta)) {
            check(app, d, "1.0.2");
            stats(app, d, "download_zip_start", "1.0.2");
            stats(app, d, "download_10", "1.0.2"); // the same stage: the device counts once
            stats(app, d, "set", "1.0.2");
        }
        stats(app, late, "app_launch_ready", "1.0.2");
        stats(app, onBeta, "update_fail", "1.0.2");
        offers.flush();
        // The early device did all of it an hour before the others.
        Instant hourAgo = Instant.now().minus(1, ChronoUnit.HOURS);
        QuarkusTransaction.requiringNew().run(() -> {
            session.createNativeMutationQuery(
                            "update stats_events set received_at = received_at - interval '1 hour' where device_id = :d")
                    .setParameter("d", early)
                    .executeUpdate();
            session.createNativeMutationQuery(
                            "update device_offers set first_offered_at = first_offered_at - interval '1 hour' where device_id = :d")
                    .setParameter("d", early)
                    .executeUpdate();
        });
        String earlier = hourAgo.truncatedTo(ChronoUnit.HOURS).toString();
        String now = Instant.now().truncatedTo(ChronoUnit.HOURS).toString();

        List<Map<String, Object>> hours = admin().queryParam("version", "1.0.2")
                .get("/api/v1/apps/{a}/stats/hourly", app)
                .then()
                .statusCode(200)
                .body("version", equalTo("1.0.2"))
                .extract()
                .jsonPath()
                .getList("hours");
        if (!hours.get(hours.size() - 1).get("hour").equals(now)) {
            now = Instant.now().truncatedTo(ChronoUnit.HOURS).toString(); // the hour turned during the test
        }
        assertThat(hours).hasSize(2);
        assertThat(hours.get(0))
                .containsEntry("hour", earlier)
                .containsEntry("offered", 1)
                .containsEntry("download_started", 1)
                .containsEntry("installed", 1)
                .containsEntry("confirmed", 0)
                .containsEntry("failed", 0);
        assertThat(hours.get(1))
                .containsEntry("hour", now)
                .containsEntry("offered", 2)
                .containsEntry("download_started", 2)
                .containsEntry("installed", 2)
                .containsEntry("confirmed", 1)
                .containsEntry("rolled_back", 1)
                .containsEntry("failed", 1);

        List<Map<String, Object>> beta = admin().queryParam("version", "1.0.2")
                .queryParam("channel", "beta")
                .get("/api/v1/apps/{a}/stats/hourly", app)
                .then()
                .statusCode(200)
                .body("channel", equalTo("beta"))
                .extract()
                .jsonPath()
                .getList("hours");
        assertThat(beta)
                .singleElement()
                .satisfies(h -> assertThat(h)
                        .containsEntry("offered", 1)
                        .containsEntry("installed", 1)
                        .containsEntry("confirmed", 0)
                        .containsEntry("rolled_back", 1));
        List<Map<String, Object>> lastHourOnly = admin().queryParam("version", "1.0.2")
                .queryParam("hours", 1)
                .get("/api/v1/apps/{a}/stats/hourly", app)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("hours");
        assertThat(lastHourOnly).hasSize(1);
    }

    @Test
    void badQueries_areRefused() {
        String app = newApp("hourlybad");
        admin().get("/api/v1/apps/{a}/stats/hourly", app)
                .then()
                .statusCode(400)
                .body("details.field", hasItem("version"));
        admin().queryParam("version", "1.0.0")
                .queryParam("hours", "0")
                .get("/api/v1/apps/{a}/stats/hourly", app)
                .then()
                .statusCode(400)
                .body("details.field", hasItem("hours"));
        admin().queryParam("version", "1.0.0")
                .queryParam("hours", "x")
                .get("/api/v1/apps/{a}/stats/hourly", app)
                .then()
                .statusCode(400);
        admin().queryParam("version", "1.0.0")
                .queryParam("hours", "745")
                .get("/api/v1/apps/{a}/stats/hourly", app)
                .then()
                .statusCode(400);
        admin().queryParam("version", "1.0.0")
                .queryParam("channel", "../x")
                .get("/api/v1/apps/{a}/stats/hourly", app)
                .then()
                .statusCode(400)
                .body("details.field", hasItem("channel"));
        admin().queryParam("version", "1.0.0")
                .queryParam("channel", "nope")
                .get("/api/v1/apps/{a}/stats/hourly", app)
                .then()
                .statusCode(404);
        admin().queryParam("version", "1.0.0")
                .get("/api/v1/apps/{a}/stats/hourly", app)
                .then()
                .statusCode(200)
                .body("hours.size()", equalTo(0));
    }
}
