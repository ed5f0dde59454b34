package dev.updraft.server.device;

import dev.updraft.protocol.DeviceApiRules;
import dev.updraft.protocol.DeviceErrors;
import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.ProtocolException;
import dev.updraft.protocol.StatsBatch;
import dev.updraft.server.decision.AppSnapshot;
import dev.updraft.server.snapshot.SnapshotStore;
import dev.updraft.server.web.ApiException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * What every device endpoint does first: size limit, parse and check against the call's schema (the protocol's
 * parsers and rules; their refusals become HTTP 400 with the protocol's code), then the app lookup in the snapshot.
 */
@ApplicationScoped
public class DeviceGate {
    @Inject
    SnapshotStore store;

    /** A JSON info object, checked for the call. */
    InfoObject parse(byte[] body, int limit, DeviceApiRules call) {
        checkSize(body, limit);
        try {
            return DeviceRequests.checked(InfoObject.parse(body), call);
        } catch (ProtocolException e) {
            throw DeviceRequests.badRequest(e);
        }
    }

    /** listChannels: the info object as query parameters, checked for the call. */
    static InfoObject fromQuery(Map<String, String> query, DeviceApiRules call) {
        try {
            return DeviceRequests.checked(InfoObject.fromQuery(query), call);
        } catch (ProtocolException e) {
            throw DeviceRequests.badRequest(e);
        }
    }

    /** A {@code /stats} body, each event checked on its own (a body that cannot be read at all is a 400). */
    static StatsBatch parseStats(byte[] body, int limit) {
        checkSize(body, limit);
        try {
            return StatsBatch.parse(body);
        } catch (ProtocolException e) {
            throw DeviceRequests.badRequest(e);
        }
    }

    static void checkSize(byte[] body, int limit) {
        if (body != null && body.length > limit) {
            throw ApiException.payloadTooLarge(limit);
        }
    }

    /**
     * The app's snapshot. An app this server does not know is answered at once {@code 429 on_premise_app} without a
     * retry hint, as the Capgo cloud answers apps it does not host (docs/protocol.md §1.6): the plugin does not block
     * itself, so an app registered later is served at its next call. Probes of unknown apps lock no one out.
     */
    AppSnapshot app(String appId) {
        AppSnapshot app = store.get(appId);
        if (app == null) {
            throw new ApiException(429, DeviceErrors.ON_PREMISE_APP, "This app is not registered on this server");
        }
        return app;
    }

    /** The caller's address; behind a proxy, enable quarkus.http.proxy.* so this is the forwarded client. */
    static String clientIp(HttpServerRequest http) {
        SocketAddress a = http == null ? null : http.remoteAddress();
        return a == null || a.host() == null ? "unknown" : a.host();
    }
}
