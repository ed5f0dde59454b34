package dev.updraft.server.api;

import static dev.updraft.server.api.Api.admin;
import static dev.updraft.server.api.Api.bundle;
import static dev.updraft.server.api.Api.ch;
import static dev.updraft.server.api.Api.channel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console's defences over plain HTTP (docs/console.md): a post without the session's CSRF token, or with another
 * one, is refused and changes nothing; the login form needs its own token; a console page without a live session
 * (none, logged out, expired, its key revoked) sends the browser to log in while the admin API keeps its JSON 401;
 * the session id is random and stored hashed; an action is validated and audited exactly like its admin API call.
 */
@QuarkusTest
class ConsoleSecurityTest {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @Inject
    EntityManager em;

    /** A logged-in console session over HTTP: its cookie and its CSRF token. */
    record Session(String cookie, String csrf) {
        RequestSpecification post() {
            return RestAssured.given()
                    .redirects()
                    .follow(false)
                    .cookie("updraft_console", cookie)
                    .contentType("application/x-www-form-urlencoded");
        }
    }

    static String csrfOf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a CSRF field in %s", html).isTrue();
        return m.group(1);
    }

    static Session logIn(String key) {
        Response form = RestAssured.get("/console/login");
        form.then().statusCode(200);
        Response login = RestAssured.given()
                .redirects()
                .follow(false)
                .cookie("updraft_console_login", form.getCookie("updraft_console_login"))
                .formParam("key", key)
                .formParam("csrf", csrfOf(form.asString()))
                .post("/console/login");
        login.then().statusCode(303).header("Location", endsWith("/console"));
        String cookie = login.getCookie("updraft_console");
        String page = RestAssured.given()
                .cookie("updraft_console", cookie)
                .get("/console")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return new Session(cookie, csrfOf(page));
    }

    static String appWithRollout() {
        String app = Api.newApp("consec");
        bundle(app, "1.0.1");
        bundle(app, "1.0.2");
        channel(app, ch("name", "production", "bundle", "1.0.1", "public", true));
        channel(app, ch("name", "beta", "bundle", "1.0.1"));
        for (String c : List.of("production", "beta")) {
            admin().body(Map.of("rollout_version", "1.0.2", "rollout_percentage_bps", 2_500))
                    .patch("/api/v1/apps/{a}/channels/{c}", app, c)
                    .then()
                    .statusCode(200);
        }
        return app;
    }

    static void notPaused(String app) {
        admin().get("/api/v1/apps/{a}/channels/production", app)
                .then()
                .statusCode(200)
                .body("rollout_paused_at", nullValue());
    }

    @Test
    void aPostWithoutTheSessionsCsrfToken_isRefused_andChangesNothing() {
        String app = appWithRollout();
        Session s = logIn(Api.KEY);
        Session other = logIn(Api.KEY);
        String pause = "/console/apps/" + app + "/channels/production/rollout/pause";

        s.post()
                .formParam("confirmed", "yes")
                .post(pause)
                .then()
                .statusCode(403)
                .contentType(containsString("text/html"))
                .body(containsString("CSRF token is missing or wrong"));
        notPaused(app);
        s.post()
                .formParam("confirmed", "yes")
                .formParam("csrf", "x" + s.csrf())
                .post(pause)
                .then()
                .statusCode(403);
        notPaused(app);
        // Another session's token is not this session's.
        s.post()
                .formParam("confirmed", "yes")
                .formParam("csrf", other.csrf())
                .post(pause)
                .then()
                .statusCode(403);
        notPaused(app);

        // With its own token, the first post is only the confirmation step; the confirmed one pauses.
        s.post().formParam("csrf", s.csrf()).post(pause).then().statusCode(200).body(containsString("confirmed"));
        notPaused(app);
        s.post()
                .formParam("csrf", s.csrf())
                .formParam("confirmed", "yes")
                .post(pause)
                .then()
                .statusCode(303);
        admin().get("/api/v1/apps/{a}/channels/production", app).then().body("rollout_paused_by", equalTo("operator"));
    }

    @Test
    void theLoginForm_withoutItsOwnToken_isRefused_andOpensNoSession() {
        Response r = RestAssured.given()
                .redirects()
                .follow(false)
                .formParam("key", Api.KEY)
                .post("/console/login");
        r.then().statusCode(403).body(containsString("This login form was not sent from this"));
        assertThat(r.getCookie("updraft_console")).isNull();
        Response form = RestAssured.get("/console/login");
        RestAssured.given()
                .redirects()
                .follow(false)
                .cookie("updraft_console_login", form.getCookie("updraft_console_login"))
                .formParam("key", Api.KEY)
                .formParam("csrf", "another-token")
                .post("/console/login")
                .then()
                .statusCode(403);
    }

    @Test
    void withoutALiveSession_theConsoleSendsToLogin_andTheApiKeepsItsJson401() {
        for (String path : List.of("/console", "/console/audit", "/console/apps/com.example.none")) {
            RestAssured.given()
                    .redirects()
                    .follow(false)
                    .get(path)
                    .then()
                    .statusCode(303)
                    .header("Location", endsWith("/console/login"));
            RestAssured.given()
                    .redirects()
                    .follow(false)
                    .cookie("updraft_console", "made-up")
                    .get(path)
                    .then()
                    .statusCode(303);
        }
        // A console cookie is not an admin key: the admin API answers as it always does.
        RestAssured.given().get("/api/v1/apps").then().statusCode(401).body("error", equalTo("missing_api_key"));
        // An admin key in a header opens no console page (its forms need a session's token).
        RestAssured.given()
                .redirects()
                .follow(false)
                .header("Authorization", "Bearer " + Api.KEY)
                .get("/console")
                .then()
                .statusCode(303);
    }

    @Test
    void aSessionEnds_atLogout_atItsExpiry_andWithItsKey() {
        Session loggedOut = logIn(Api.KEY);
        loggedOut
                .post()
                .formParam("csrf", loggedOut.csrf())
                .post("/console/logout")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/console/login"));
        assertThat(pageStatus(loggedOut)).isEqualTo(303);

        Session expired = logIn(Api.KEY);
        assertThat(pageStatus(expired)).isEqualTo(200);
        QuarkusTransaction.requiringNew()
                .run(() -> em.createNativeQuery(
                                "update console_sessions set expires_at = now() - interval '1 second' where id_hash = ?1")
                        .setParameter(1, sha256(expired.cookie()))
                        .executeUpdate());
        assertThat(pageStatus(expired)).isEqualTo(303);

        String name = "console-" + UUID.randomUUID().toString().substring(0, 8);
        String key = admin().body(Map.of("name", name))
                .post("/api/v1/admin-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        Session ofKey = logIn(key);
        assertThat(RestAssured.given()
                        .cookie("updraft_console", ofKey.cookie())
                        .get("/console")
                        .asString())
                .contains("key <strong>" + name + "</strong>");
        admin().delete("/api/v1/admin-keys/{n}", name).then().statusCode(200);
        assertThat(pageStatus(ofKey)).isEqualTo(303);
    }

    @Test
    void theSessionId_isRandom_andOnlyItsHashIsStored() {
        Session s = logIn(Api.KEY);
        // 256 bits in base64url.
        assertThat(s.cookie()).matches("[A-Za-z0-9_-]{43}");
        List<String> byId = QuarkusTransaction.requiringNew()
                .call(() -> em
                        .createNativeQuery("select id_hash from console_sessions where id_hash = ?1 or id_hash = ?2")
                        .setParameter(1, s.cookie())
                        .setParameter(2, sha256(s.cookie()))
                        .getResultList()
                        .stream()
                        .map(Object::toString)
                        .toList());
        assertThat(byId).containsExactly(sha256(s.cookie()));
        assertThat(logIn(Api.KEY).cookie()).isNotEqualTo(s.cookie());
    }

    @Test
    void anAction_isValidatedAndAudited_exactlyLikeItsAdminApiCall() {
        String app = appWithRollout();
        Session s = logIn(Api.KEY);
        // The admin API's own refusal: a rollout of the stable bundle.
        String apiMessage = admin().body(Map.of("rollout_version", "1.0.1"))
                .patch("/api/v1/apps/{a}/channels/beta", app)
                .then()
                .statusCode(400)
                .body("error", equalTo("rollout_is_stable"))
                .extract()
                .path("message");
        s.post()
                .formParam("csrf", s.csrf())
                .formParam("confirmed", "yes")
                .formParam("version", "1.0.1")
                .formParam("share", "50")
                .post("/console/apps/" + app + "/channels/production/rollout/start")
                .then()
                .statusCode(400)
                .body(containsString(apiMessage.replace("'", "&#39;")));

        // The share of production through the console, that of beta through the API: the same audit entry.
        s.post()
                .formParam("csrf", s.csrf())
                .formParam("confirmed", "yes")
                .formParam("share", "12.5")
                .post("/console/apps/" + app + "/channels/production/rollout/share")
                .then()
                .statusCode(303);
        admin().body(Map.of("rollout_percentage_bps", 1250))
                .patch("/api/v1/apps/{a}/channels/beta", app)
                .then()
                .statusCode(200);
        for (String c : List.of("production", "beta")) {
            admin().get("/api/v1/apps/{a}/channels/{c}", app, c).then().body("rollout_percentage_bps", equalTo(1250));
        }
        List<Map<String, Object>> entries = admin().queryParam("limit", "3")
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entries");
        Map<String, Object> api = entries.get(0);
        Map<String, Object> console = entries.get(1);
        Map<String, Object> refused = entries.get(2);
        assertThat(console.get("path_params")).isEqualTo(Map.of("app_id", app, "channel", "production"));
        assertThat(api.get("path_params")).isEqualTo(Map.of("app_id", app, "channel", "beta"));
        for (String field : List.of("key_name", "method", "route", "status")) {
            assertThat(console.get(field)).as(field).isEqualTo(api.get(field));
        }
        assertThat(refused)
                .containsEntry("method", "PATCH")
                .containsEntry("route", "/api/v1/apps/{app_id}/channels/{channel}")
                .containsEntry("status", 400);
        // A share that is not a percentage never reaches the service.
        s.post()
                .formParam("csrf", s.csrf())
                .formParam("confirmed", "yes")
                .formParam("share", "150")
                .post("/console/apps/" + app + "/channels/production/rollout/share")
                .then()
                .statusCode(400);
        admin().get("/api/v1/apps/{a}/channels/production", app).then().body("rollout_percentage_bps", equalTo(1250));
    }

    private static int pageStatus(Session s) {
        return RestAssured.given()
                .redirects()
                .follow(false)
                .cookie("updraft_console", s.cookie())
                .get("/console")
                .statusCode();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
