package dev.updraft.server.api;

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
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.Map;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Health, metrics and OpenAPI on the management interface and nowhere on the public port, and snapshot convergence
 * with a change made by "another instance".
 */
@QuarkusTest
class OperationsTest {
    @Inject
    Session session;

    /** The management interface's root, {@code http://localhost:<random port>/q} (quarkus.management.test-port=0). */
    @TestHTTPResource(value = "/q", management = true)
    URL management;

    RequestSpecification managementPort() {
        return RestAssured.given().baseUri("http://" + management.getHost()).port(management.getPort());
    }

    @Test
    void healthMetricsAndOpenApi_onTheManagementPort() {
        assertThat(management.getPort()).isNotEqualTo(RestAssured.port);
        managementPort().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        managementPort().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        String app = newApp("ops");
        bundle(app, "1.0.1");
        channel(app, ch("name", "production", "public", true, "bundle", "1.0.1"));
        device().body(info(app, newDevice())).post("/updates").then().statusCode(200);
        device().body(java.util.List.of(Api.with(info(app, newDevice()), "action", "set")))
                .post("/stats")
                .then()
                .statusCode(200);
        String metrics = managementPort()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(metrics).containsPattern("updraft_update_decisions_total\\{error=\"none\",kind=\"update\"} [1-9]");
        assertThat(metrics).containsPattern("updraft_stats_events_total [1-9]");
        assertThat(metrics).contains("http_server_requests_seconds_count{").contains("uri=\"/updates\"");
        managementPort()
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body(containsString("/api/v1/apps/{app_id}/bundles"))
                .body(containsString("/updates"))
                .body(containsString("adminApiKey"))
                .body(containsString("bearer"));
    }

    /** The public port (devices, admin API) serves no /q path at all: 404 with the usual error shape. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "/q/health",
                "/q/health/ready",
                "/q/health/live",
                "/q/metrics",
                "/q/openapi",
                "/q/openapi?format=json",
                "/q/swagger-ui",
                "/q/dev-ui",
                "/q"
            })
    void thePublicPortServesNoOperatorEndpoint(String path) {
        RestAssured.given()
                .get(path)
                .then()
                .statusCode(404)
                .contentType("application/json")
                .body("error", equalTo("not_found"))
                .body("message", notNullValue());
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
        QuarkusTransaction.requiringNew()
                .run(() -> session.createNativeMutationQuery(
                                "update channels set bundle_pk = (select b.id from bundles b join apps a on a.id = b.app_pk where a.app_id = ?1 and b.version = '1.0.2')"
                                        + " where app_pk = (select id from apps where app_id = ?1)")
                        .setParameter(1, app)
                        .executeUpdate());
        QuarkusTransaction.requiringNew()
                .run(() -> session.createNativeMutationQuery(
                                "update apps set revision = revision + 1 where app_id = ?1")
                        .setParameter(1, app)
                        .executeUpdate());
        String seen = null;
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline && !"1.0.2".equals(seen)) {
            seen = device().body(body)
                    .post("/updates")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("version");
            Thread.sleep(100);
        }
        assertThat(seen).isEqualTo("1.0.2");
    }
}
