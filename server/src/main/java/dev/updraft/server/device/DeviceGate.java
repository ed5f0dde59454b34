package dev.updraft.server.device;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.server.decision.AppSnapshot;
import dev.updraft.server.snapshot.SnapshotStore;
import dev.updraft.server.web.ApiException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** What every device endpoint does first: size limit, JSON parse, abuse guard, app lookup in the snapshot. */
@ApplicationScoped
public class DeviceGate {
    @Inject
    SnapshotStore store;
    @Inject
    UnknownAppGuard guard;

    private final JsonFactory json;

    @Inject
    public DeviceGate(ObjectMapper mapper) {
        this.json = mapper.getFactory();
    }

    JsonFactory json() {
        return json;
    }

    InfoObject parse(byte[] body, int limit) {
        checkSize(body, limit);
        return InfoObject.parse(json, body);
    }

    static void checkSize(byte[] body, int limit) {
        if (body != null && body.length > limit) {
            throw ApiException.payloadTooLarge(limit);
        }
    }

    /** Refuses blocked callers first, then answers 404 for an unknown app (and counts the miss). */
    AppSnapshot app(String appId, HttpServerRequest http) {
        String ip = clientIp(http);
        guard.checkAllowed(ip);
        AppSnapshot app = store.get(appId);
        if (app == null) {
            throw guard.miss(ip, appId);
        }
        return app;
    }

    SnapshotStore store() {
        return store;
    }

    /** The caller's address; behind a proxy, enable quarkus.http.proxy.* so this is the forwarded client. */
    static String clientIp(HttpServerRequest http) {
        SocketAddress a = http == null ? null : http.remoteAddress();
        return a == null || a.host() == null ? "unknown" : a.host();
    }
}
