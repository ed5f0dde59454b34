package dev.updraft.sim.store;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The store's answers that are not file bytes: JSON errors {@code {error, message}} and JSON bodies, each recorded. */
final class StoreReplies {
    private final RequestLog log;
    private final String uploadToken;

    /** @param uploadToken the bearer token of uploads and control calls, or null when the store has none */
    StoreReplies(RequestLog log, String uploadToken) {
        this.log = log;
        this.uploadToken = uploadToken;
    }

    RequestLog log() {
        return log;
    }

    boolean hasToken() {
        return uploadToken != null;
    }

    /** Whether the request carries {@code Authorization: Bearer <upload token>} (compared in constant time). */
    boolean authorized(HttpServerRequest req) {
        String auth = req.getHeader("Authorization");
        byte[] given = (auth == null ? "" : auth).getBytes(StandardCharsets.UTF_8);
        byte[] expected = ("Bearer " + uploadToken).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }

    void error(HttpServerRequest req, int status, String error, String message, Fault fault) {
        log.record(req, status, fault);
        Buffer body =
                new JsonObject().put("error", error).put("message", message).toBuffer();
        HttpServerResponse r = req.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        if (req.method() == HttpMethod.HEAD) {
            r.putHeader("Content-Length", String.valueOf(body.length())).end();
        } else {
            r.end(body);
        }
    }

    void json(HttpServerRequest req, int status, Object json) {
        log.record(req, status, null);
        req.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(json instanceof JsonObject o ? o.toBuffer() : ((JsonArray) json).toBuffer());
    }
}
