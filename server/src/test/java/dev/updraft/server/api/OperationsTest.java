package dev.updraft.server.api;

import dev.updraft.server.persistence.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.updraft.server.api.Api.bundle;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static dev.updraft.server.api.Api.device;
import static dev.updraft.server.api.Api.info;
import static dev.updraft.server.api.Api.newApp;
import static dev.updraft.server.api.Api.newDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Health, metrics, OpenAPI, and snapshot convergence with a change made by "another instance". */
@QuarkusTest
class OperationsTest {
    @Inject
    Db db;

    @Test
    void healthMetricsAndOpenApi() {
        RestAssured.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        String app = newApp("ops");
        bundle(app, "1.0.1");
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.1"));
        device().body(info(app, newDevice())).post("/updates").then().statusCode(200);
        device().body(java.util.List.of(Api.with(info(app, newDevice()), "action", "set"))).post("/stats").then().statusCode(200);
        String metrics = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("updraft_update_decisions_total\\{error=\"none\",kind=\"update\"} [1-9]");
        assertThat(metrics).containsPattern("updraft_stats_events_total [1-9]");
        assertThat(metrics).contains("http_server_requests_seconds_count{").contains("uri=\"/updates\"");
        RestAssured.given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/apps/{app_id}/bundles"))
                .body(containsString("/updates"))
                .body(containsString("adminApiKey")).body(containsString("bearer"));
    }

    /** Another instance on the same database changes the app; this one sees it through the revision poll. */
    @Test
    void snapshotConverges_onAChangeMadeElsewhere() throws InterruptedException {
        String app = newApp("ops");
        bundle(app, "1.0.1");
        bundle(app, "1.0.2");
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.1"));
        Map<String, Object> body = info(app, newDevice());
        device().body(body).post("/updates").then().statusCode(200).body("version", equalTo("1.0.1"));
        // What the other instance's admin API would commit: the channel's bundle, and the app's revision.
        QuarkusTransaction.requiringNew().run(() -> db.session().createNativeMutationQuery(
                        "update channels set bundle_pk = (select b.id from bundles b join apps a on a.id = b.app_pk where a.app_id = ?1 and b.version = '1.0.2')"
                                + " where app_pk = (select id from apps where app_id = ?1)")
                .setParameter(1, app).executeUpdate());
        QuarkusTransaction.requiringNew().run(() -> db.session().createNativeMutationQuery(
                "update apps set revision = revision + 1 where app_id = ?1").setParameter(1, app).executeUpdate());
        String seen = null;
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline && !"1.0.2".equals(seen)) {
            seen = device().body(body).post("/updates").then().statusCode(200).extract().path("version");
            Thread.sleep(100);
        }
        assertThat(seen).isEqualTo("1.0.2");
    }
}
