package dev.updraft.sim.store;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The store's control endpoints: {@code /_faults} ({@code GET} lists, {@code POST} adds
 * {@code {"path","kind","arg","times"}} or an array of them, all or none, {@code DELETE} clears all or
 * {@code ?path=}) and {@code /_requests} ({@code GET} lists, {@code DELETE} clears). When the store has an upload
 * token, they require it too.
 */
final class ControlApi {
    static final String FAULTS = "/_faults";
    static final String REQUESTS = "/_requests";

    private final FaultRegistry faults;
    private final StoreReplies replies;

    ControlApi(FaultRegistry faults, StoreReplies replies) {
        this.faults = faults;
        this.replies = replies;
    }

    /** Whether the path is a control endpoint's. */
    static boolean handles(String path) {
        return path.equals(FAULTS) || path.equals(REQUESTS);
    }

    void handle(HttpServerRequest req) {
        if (replies.hasToken() && !replies.authorized(req)) {
            req.response().putHeader("WWW-Authenticate", "Bearer");
            replies.error(
                    req, 401, "unauthorized", "the control endpoints need Authorization: Bearer <upload token>", null);
            return;
        }
        req.body()
                .onSuccess(body -> {
                    if (req.path().equals(FAULTS)) {
                        faultsEndpoint(req, body);
                    } else {
                        requestsEndpoint(req);
                    }
                })
                .onFailure(e -> req.connection().close());
    }

    private void faultsEndpoint(HttpServerRequest req, Buffer body) {
        if (req.method() == HttpMethod.GET) {
            replies.json(req, 200, faultsJson());
        } else if (req.method() == HttpMethod.DELETE) {
            String p = req.getParam("path");
            if (p == null) {
                faults.clear();
            } else {
                faults.clear(p);
            }
            replies.json(req, 200, faultsJson());
        } else if (req.method() == HttpMethod.POST) {
            try {
                parse(body).forEach(e -> faults.add(e.getKey(), e.getValue()));
                replies.json(req, 200, faultsJson());
            } catch (RuntimeException e) {
                replies.error(req, 400, "bad_fault", String.valueOf(e.getMessage()), null);
            }
        } else {
            replies.error(req, 405, "method_not_allowed", "GET, POST or DELETE /_faults", null);
        }
    }

    /** A fault object or an array of them, every one parsed before any is added. */
    private static List<Map.Entry<String, Fault>> parse(Buffer body) {
        Object json = io.vertx.core.json.Json.decodeValue(body);
        List<JsonObject> items = new ArrayList<>();
        if (json instanceof JsonObject o) {
            items.add(o);
        } else if (json instanceof JsonArray a) {
            for (Object x : a) {
                if (!(x instanceof JsonObject o)) {
                    throw new IllegalArgumentException("each fault is a JSON object");
                }
                items.add(o);
            }
        } else {
            throw new IllegalArgumentException("send a fault object or an array of them");
        }
        List<Map.Entry<String, Fault>> parsed = new ArrayList<>();
        for (JsonObject o : items) {
            String p = o.getValue("path") instanceof String s ? s : MockStore.ALL_PATHS;
            parsed.add(Map.entry(p, Fault.fromJson(o)));
        }
        return parsed;
    }

    private void requestsEndpoint(HttpServerRequest req) {
        if (req.method() == HttpMethod.DELETE) {
            replies.log().clear();
            replies.json(req, 200, new JsonArray());
        } else if (req.method() == HttpMethod.GET) {
            JsonArray a = new JsonArray();
            replies.log().all().forEach(r -> a.add(r.toJson()));
            replies.json(req, 200, a);
        } else {
            replies.error(req, 405, "method_not_allowed", "GET or DELETE /_requests", null);
        }
    }

    JsonObject faultsJson() {
        JsonObject o = new JsonObject();
        faults.live().forEach((k, v) -> {
            JsonArray a = new JsonArray();
            v.forEach(f -> a.add(f.toJson()));
            o.put(k, a);
        });
        return o;
    }
}
