package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every admin write is in the audit log (who, what, when, from where, result); reads are not; secrets never are. */
@QuarkusTest
class AuditLogTest {
    final String address = AdminCredentialsTest.newAddress().replace("203.0.", "198.18.");

    io.restassured.specification.RequestSpecification writer() {
        return admin().header("X-Forwarded-For", address);
    }

    /** The audit entries that mention {@code marker}, newest first, read page by page. */
    static List<Map<String, Object>> entriesAbout(String marker, int pages) {
        List<Map<String, Object>> out = new ArrayList<>();
        String cursor = null;
        for (int p = 0; p < pages; p++) {
            var req = admin().queryParam("limit", "50");
            if (cursor != null) {
                req = req.queryParam("cursor", cursor);
            }
            JsonPath page =
                    req.get("/api/v1/audit").then().statusCode(200).extract().jsonPath();
            for (Map<String, Object> e : page.<Map<String, Object>>getList("entries")) {
                if (e.get("client_address").equals(marker) || e.toString().contains(marker)) {
                    out.add(e);
                }
            }
            cursor = page.getString("next_cursor");
            if (cursor == null) {
                break;
            }
        }
        return out;
    }

    @Test
    void everyAdminWrite_isRecorded_withRouteParamsStatusKeyAndAddress() {
        String app =
                "com.audit.a" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String device = UUID.randomUUID().toString();
        writer().body(Map.of("app_id", app)).post("/api/v1/apps").then().statusCode(201);
        writer().body(Map.of("app_id", app)).post("/api/v1/apps").then().statusCode(409);
        writer().body(Map.of("version", "1.0.0", "external_url", "https://cdn.example.com/a.zip", "checksum", Api.SHA))
                .post("/api/v1/apps/{a}/bundles", app)
                .then()
                .statusCode(201);
        writer().body(Map.of("name", "beta"))
                .post("/api/v1/apps/{a}/channels", app)
                .then()
                .statusCode(201);
        writer().body(Map.of("bundle", "1.0.0"))
                .patch("/api/v1/apps/{a}/channels/beta", app)
                .then()
                .statusCode(200);
        writer().body(Map.of("channel", "beta"))
                .put("/api/v1/apps/{a}/devices/{d}/override", app, device)
                .then()
                .statusCode(200);
        writer().delete("/api/v1/apps/{a}/devices/{d}/override", app, device)
                .then()
                .statusCode(204);
        writer().delete("/api/v1/apps/{a}/bundles/not-semver", app).then().statusCode(400);
        writer().delete("/api/v1/apps/{a}/channels/beta", app).then().statusCode(204);
        writer().delete("/api/v1/apps/{a}/bundles/1.0.0", app).then().statusCode(204);
        writer().delete("/api/v1/apps/{a}", app).then().statusCode(204);

        List<Map<String, Object>> entries = entriesAbout(address, 4);
        List<String> what = entries.stream()
                .map(e -> e.get("method") + " " + e.get("route") + " " + e.get("status"))
                .toList();
        assertThat(what)
                .containsExactly(
                        "DELETE /api/v1/apps/{app_id} 204",
                        "DELETE /api/v1/apps/{app_id}/bundles/{version} 204",
                        "DELETE /api/v1/apps/{app_id}/channels/{channel} 204",
                        "DELETE /api/v1/apps/{app_id}/bundles/{version} 400",
                        "DELETE /api/v1/apps/{app_id}/devices/{device_id}/override 204",
                        "PUT /api/v1/apps/{app_id}/devices/{device_id}/override 200",
                        "PATCH /api/v1/apps/{app_id}/channels/{channel} 200",
                        "POST /api/v1/apps/{app_id}/channels 201",
                        "POST /api/v1/apps/{app_id}/bundles 201",
                        "POST /api/v1/apps 409",
                        "POST /api/v1/apps 201");
        Map<String, Object> put = entries.get(5);
        assertThat(put.get("path_params")).isEqualTo(Map.of("app_id", app, "device_id", device));
        assertThat(put.get("key_name")).isEqualTo("configured");
        assertThat(put.get("client_address")).isEqualTo(address);
        assertThat((String) put.get("at")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(entries.get(3).get("path_params")).isEqualTo(Map.of("app_id", app, "version", "not-semver"));
    }

    @Test
    void reads_andRefusedKeys_areNotRecorded() {
        // The log may be empty here (a fresh database): the newest id is then "null".
        String newest = String.valueOf((Object) admin().queryParam("limit", "1")
                .get("/api/v1/audit")
                .then()
                .extract()
                .path("entries[0].id"));
        String app = Api.newApp("audit");
        String afterCreate = String.valueOf((Object) admin().queryParam("limit", "1")
                .get("/api/v1/audit")
                .then()
                .extract()
                .path("entries[0].id"));
        assertThat(afterCreate).isNotEqualTo(newest);
        admin().get("/api/v1/apps").then().statusCode(200);
        admin().get("/api/v1/apps/{a}", app).then().statusCode(200);
        admin().get("/api/v1/apps/{a}/bundles", app).then().statusCode(200);
        admin().get("/api/v1/apps/{a}/stats", app).then().statusCode(200);
        admin().get("/api/v1/admin-keys").then().statusCode(200);
        RestAssured.given()
                .contentType("application/json")
                .body(Map.of("app_id", "com.nokey.x"))
                .post("/api/v1/apps")
                .then()
                .statusCode(401);
        RestAssured.given()
                .header("Authorization", "Bearer wrong")
                .header("X-Forwarded-For", "198.18.7.10")
                .delete("/api/v1/apps/{a}", app)
                .then()
                .statusCode(401);
        admin().queryParam("limit", "1")
                .get("/api/v1/audit")
                .then()
                .body("entries[0].id", equalTo(Integer.valueOf(afterCreate)));
    }

    @Test
    void keyWrites_areRecorded_withoutTheSecret() {
        String name = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = writer().body(Map.of("name", name))
                .post("/api/v1/admin-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        writer().delete("/api/v1/admin-keys/{n}", name).then().statusCode(200);
        List<Map<String, Object>> entries = entriesAbout(address, 2);
        assertThat(entries)
                .extracting(e -> e.get("method") + " " + e.get("route"))
                .containsExactly("DELETE /api/v1/admin-keys/{key_name}", "POST /api/v1/admin-keys");
        String all = admin().queryParam("limit", "500")
                .get("/api/v1/audit")
                .then()
                .extract()
                .asString();
        assertThat(all).doesNotContain(secret);
    }

    @Test
    void paging_newestFirst_withACursor() {
        for (int i = 0; i < 4; i++) { // two full pages, even on a fresh database
            Api.newApp("page");
        }
        JsonPath first = admin().queryParam("limit", "2")
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Integer> ids = first.getList("entries.id");
        assertThat(ids).hasSize(2);
        assertThat(ids.get(0)).isGreaterThan(ids.get(1));
        String cursor = first.getString("next_cursor");
        List<Integer> next = admin().queryParam("limit", "2")
                .queryParam("cursor", cursor)
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entries.id");
        assertThat(next).hasSize(2);
        assertThat(next.get(0)).isLessThan(ids.get(1));
        admin().queryParam("limit", "0")
                .get("/api/v1/audit")
                .then()
                .statusCode(400)
                .body("details[0].field", equalTo("limit"));
        admin().queryParam("limit", "1001").get("/api/v1/audit").then().statusCode(400);
        admin().queryParam("cursor", "abc")
                .get("/api/v1/audit")
                .then()
                .statusCode(400)
                .body("details[0].field", equalTo("cursor"));
        RestAssured.given().get("/api/v1/audit").then().statusCode(401);
    }
}
