package dev.updraft.server.security;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The caller's address, for throttling and the audit log. Behind a reverse proxy, enable
 * {@code quarkus.http.proxy.proxy-address-forwarding} (and trust only the proxy) so this is the forwarded client.
 */
public final class ClientAddress {
    private ClientAddress() {}

    public static String of(HttpServerRequest request) {
        SocketAddress a = request == null ? null : request.remoteAddress();
        String host = a == null ? null : a.host();
        if (host == null || host.isEmpty()) {
            return "unknown";
        }
        return host.length() > 64 ? host.substring(0, 64) : host;
    }
}
