package dev.updraft.server.device;

import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.ProtocolException;
import dev.updraft.protocol.StatsEvent;
import dev.updraft.server.decision.AppSnapshot;
import dev.updraft.server.snapshot.SnapshotStore;
import dev.updraft.server.web.ApiException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;

/**
 * What every device endpoint does first: size limit, parse (with the protocol's parsers; their refusals become HTTP
 * 400 with the protocol's code), abuse guard, app lookup in the snapshot.
 */
@ApplicationScoped
public class DeviceGate {
    @Inject
    SnapshotStore store;
    @Inject
    UnknownAppGuard guard;

    InfoObject parse(byte[] body, int limit) {
        checkSize(body, limit);
        try {
            return InfoObject.parse(body);
        } catch (ProtocolException e) {
            throw badRequest(e);
        }
    }

    /** listChannels: the info object as query parameters. */
    static InfoObject fromQuery(Map<String, String> query) {
        try {
            return InfoObject.fromQuery(query);
        } catch (ProtocolException e) {
            throw badRequest(e);
        }
    }

    static List<StatsEvent> parseStats(byte[] body, int limit) {
        checkSize(body, limit);
        try {
            return StatsEvent.parseBody(body);
        } catch (ProtocolException e) {
            throw badRequest(e);
        }
    }

    private static ApiException badRequest(ProtocolException e) {
        return ApiException.badRequest(e.code(), e.getMessage());
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
