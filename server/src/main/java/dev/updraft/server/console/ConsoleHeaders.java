package dev.updraft.server.console;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The console's pages are never cached, framed (a confirmation page inside another site's frame would be a click
 * away from an action) or given scripts and styles from anywhere but this server. Chosen on the resource the router
 * matched.
 */
public class ConsoleHeaders {
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @ServerResponseFilter
    public void headers(ContainerResponseContext response, ResourceInfo resource) {
        Class<?> type = resource == null ? null : resource.getResourceClass();
        if (type != ConsoleResource.class && type != ConsoleLoginResource.class) {
            return;
        }
        response.getHeaders().putSingle("Content-Security-Policy", POLICY);
        response.getHeaders().putSingle("X-Frame-Options", "DENY");
        response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
        response.getHeaders().putSingle("Referrer-Policy", "no-referrer");
        response.getHeaders().putSingle("Cache-Control", "no-store");
    }
}
