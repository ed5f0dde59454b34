package dev.updraft.sim.store;

import io.vertx.core.json.JsonObject;

/**
 * One request the {@link MockStore} answered.
 *
 * @param at     epoch ms
 * @param method GET, HEAD, PUT, ...
 * @param path   the raw request path
 * @param range  the {@code Range} header, or null
 * @param status the status answered
 * @param fault  the fault applied, or null
 */
public record RequestRecord(long at, String method, String path, String range, int status, String fault) {
    public JsonObject toJson() {
        return new JsonObject()
                .put("at", at)
                .put("method", method)
                .put("path", path)
                .put("range", range)
                .put("status", status)
                .put("fault", fault);
    }
}
