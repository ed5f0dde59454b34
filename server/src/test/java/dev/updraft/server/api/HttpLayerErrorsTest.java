package dev.updraft.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Every layer answers errors as {@code {error, message}}; where a layer cannot be reached from the application, the
 * exact answer is pinned here (and in docs/admin-api.md, "Errors").
 */
@QuarkusTest
class HttpLayerErrorsTest {
    static JsonNode error(RawHttp.Answer a, int status, String code) {
        assertThat(a.status()).as(a.toString()).isEqualTo(status);
        assertThat(a.header("content-type")).as(a.toString()).startsWith("application/json");
        JsonNode body = AuthBypassTest.json(a);
        assertThat(body.path("error").asText()).as(a.toString()).isEqualTo(code);
        assertThat(body.path("message").asText()).isNotBlank();
        return body;
    }

    static RawHttp.Answer raw(String request) {
        return RawHttp.exchange(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void routerAndJaxRsErrors_areJson() {
        error(RawHttp.send("GET", "/no/such/thing", null, null), 404, "not_found");
        error(RawHttp.send("GET", "/q/no-such-endpoint", null, null), 404, "not_found");
        error(RawHttp.send("GET", "*", null, null), 404, "not_found");
        error(raw("OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 404, "not_found");
        error(RawHttp.send("PROPFIND", "/api/v1/apps", Api.KEY, null), 405, "method_not_allowed");
        error(RawHttp.send("DELETE", "/api/v1/apps", Api.KEY, null), 405, "method_not_allowed");
        // No Host: the router refuses it (400), unless proxy forwarding (on in tests) supplies one; JSON either way.
        RawHttp.Answer noHost = raw("GET /api/v1/apps HTTP/1.1\r\nConnection: close\r\n\r\n");
        assertThat(noHost.status()).isIn(400, 401);
        assertThat(AuthBypassTest.json(noHost).path("error").asText()).isIn("bad_request", "missing_api_key");
        error(
                raw("POST /api/v1/apps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Api.KEY
                        + "\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"),
                415,
                "unsupported_media_type");
        error(
                raw("GET /api/v1/apps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Api.KEY
                        + "\r\nAccept: application/xml\r\nConnection: close\r\n\r\n"),
                406,
                "not_acceptable");
        error(RawHttp.send("GET", "/api/v1/apps/" + "a".repeat(3000), null, null), 414, "uri_too_long");
        error(RawHttp.send("GET", "/api/v1//apps", null, null), 400, "invalid_path");
        error(RawHttp.send("GET", "/api/v1/apps?x=%C3%28", null, null), 400, "invalid_percent_encoding");
    }

    @Test
    void securityChallenges_areJson() {
        RawHttp.Answer missing = RawHttp.send("GET", "/api/v1/apps", null, null);
        error(missing, 401, "missing_api_key");
        assertThat(missing.header("www-authenticate")).isEqualTo("Bearer");
        error(RawHttp.send("GET", "/api/v1/apps", "not-the-key", null), 401, "invalid_api_key");
        // Deny by default: a resource without @RolesAllowed/@PermitAll is refused to everyone.
        error(RawHttp.send("GET", "/test-only/unannotated", null, null), 401, "missing_api_key");
        error(RawHttp.send("GET", "/test-only/unannotated", Api.KEY, null), 403, "forbidden");
    }

    @Test
    void aDeclaredBodyOverTheLimit_is413Json_andTheConnectionCloses() {
        RawHttp.Answer a = raw("POST /api/v1/apps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Api.KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: 20000000\r\n\r\n{\"app_id\":");
        error(a, 413, "payload_too_large");
        assertThat(a.header("connection")).isEqualTo("close");
        error(
                raw(
                        "POST /updates HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20000000\r\n\r\n{"),
                413,
                "payload_too_large");
    }

    /**
     * Refused before any application code runs, with an empty body: the HTTP decoder (request line over 4096 bytes,
     * headers over the limit, an illegal byte in a header, a request line that is not HTTP), and Quarkus's check that
     * the target is a java.net.URI (malformed escapes, raw backslashes). Vert.x then closes the connection.
     */
    @Test
    void whatTheDecoderAndQuarkusRefuseFirst_hasAnEmptyBody() {
        assertEmpty(raw("GET /api/v1/apps HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n"), 400);
        assertEmpty(raw("GET /api/v1/apps HTTP/1.1\r\nHost: x\r\nX\u0001A: b\r\n\r\n"), 400);
        assertEmpty(raw("GET /api/v1/apps/" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414);
        assertEmpty(raw("GET /api/v1/apps HTTP/1.1\r\nHost: x\r\nX-A: " + "a".repeat(30_000) + "\r\n\r\n"), 431);
        assertEmpty(raw("GARBAGE\r\n\r\n"), 400);
        assertEmpty(raw("GET /api/v1/a pps HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
        assertEmpty(raw("GET /api/v1/apps/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400);
        assertEmpty(raw("GET /api/v1/apps\\x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400);
    }

    static void assertEmpty(RawHttp.Answer a, int status) {
        assertThat(a.status()).as(a.toString()).isEqualTo(status);
        assertThat(a.header("content-length")).as(a.toString()).isEqualTo("0");
        assertThat(a.body()).isEmpty();
    }
}
