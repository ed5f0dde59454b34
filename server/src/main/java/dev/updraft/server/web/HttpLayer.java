package dev.updraft.server.web;

import dev.updraft.server.security.RequestTarget;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What the HTTP layer answers before and outside JAX-RS, as {@code {"error", "message"}} like everything else:
 * <ul>
 *   <li>a filter ahead of every route refuses badly spelled request targets ({@link RequestTarget}) with 400/414,
 *       before the router normalises them, and a declared body over {@code quarkus.http.limits.max-body-size}
 *       with 413 (and closes the connection, as Quarkus would);</li>
 *   <li>a failure handler ahead of Quarkus's own turns any routing failure (a body over the limit, a malformed
 *       request the router refuses, an unexpected exception) into JSON; 5xx are logged, never echoed;</li>
 *   <li>the router's own error pages (no route: 404, 405, ...) become JSON too.</li>
 * </ul>
 * Not reachable from here, answered with an empty body (docs/admin-api.md, "Errors"): requests the HTTP decoder
 * rejects before there is a request to route (a request line over {@code quarkus.http.limits.max-initial-line-length},
 * headers over {@code max-header-size}, an illegal byte in a header: 400, 414 or 431, then the connection is
 * closed; Quarkus does not expose Vert.x's HttpServer#invalidRequestHandler), and request targets that are not a
 * valid {@code java.net.URI} (a malformed {@code %} escape, a raw {@code \}, {@code "}, {@code {} ...), which
 * Quarkus's root handler refuses with a bare 400 before any route, filter included, runs.
 */
@ApplicationScoped
public class HttpLayer {
    private static final Logger LOG = Logger.getLogger(HttpLayer.class);
    /** Above Quarkus's own filters (CORS, ...): nothing sees a refused target. */
    static final int TARGET_FILTER_PRIORITY = 20_000;
    /** Where Quarkus's HTTP metrics read a request's route template (the {@code uri} tag). */
    public static final String METRICS_URI_TEMPLATE = "UrlPathTemplate";

    private static final int[] ROUTER_ERRORS = {400, 401, 403, 404, 405, 406, 413, 414, 415, 431, 500, 501, 503};

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;

    void targetFilter(@Observes Filters filters) {
        long maxBody = maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        filters.register(
                ctx -> {
                    Optional<RequestTarget.Problem> problem = RequestTarget.check(
                            ctx.request().path(), ctx.request().query());
                    if (problem.isPresent()) {
                        RequestTarget.Problem p = problem.get();
                        // One metrics tag for all refused targets, not one per attacker-chosen path.
                        Context context = Vertx.currentContext();
                        if (context != null) {
                            context.putLocal(METRICS_URI_TEMPLATE, "REFUSED");
                        }
                        send(ctx.response(), p.status(), p.code(), p.message());
                        return;
                    }
                    // A 405 carries no route template, so the metrics would tag it with the raw (caller-chosen) path.
                    ctx.addHeadersEndHandler(v -> {
                        Context context = Vertx.currentContext();
                        if (ctx.response().getStatusCode() == 405
                                && context != null
                                && context.getLocal(METRICS_URI_TEMPLATE) == null) {
                            context.putLocal(METRICS_URI_TEMPLATE, "METHOD_NOT_ALLOWED");
                        }
                    });
                    if (declaredLength(ctx.request().getHeader("Content-Length")) > maxBody) {
                        // What Quarkus would answer (413, then close: the body is not read), as JSON.
                        ctx.response()
                                .putHeader("Connection", "close")
                                .endHandler(v -> ctx.request().connection().close());
                        send(
                                ctx.response(),
                                413,
                                "payload_too_large",
                                "The request body is larger than " + maxBody + " bytes");
                        return;
                    }
                    ctx.next();
                },
                TARGET_FILTER_PRIORITY);
    }

    private static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1; // the HTTP decoder refuses such requests before they get here
        }
    }

    void errorPages(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
        for (int status : ROUTER_ERRORS) {
            router.errorHandler(status, this::failure);
        }
    }

    private void failure(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.headWritten()) {
            return; // part of an answer is out: nothing can be rewritten
        }
        int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
        if (status >= 500) {
            LOG.errorf(
                    ctx.failure(),
                    "HTTP %d for %s %s",
                    status,
                    ctx.request().method(),
                    printable(ctx.request().path()));
            send(response, 500, "internal_error", "Internal server error");
            return;
        }
        send(response, status, ErrorMappers.codeFor(status), ErrorMappers.messageFor(status));
    }

    static void send(HttpServerResponse response, int status, String code, String message) {
        String body =
                new JsonObject().put("error", code).put("message", message).encode();
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body);
    }

    /** A path fit for a log line: bounded, control characters replaced. */
    private static String printable(String path) {
        if (path == null) {
            return "";
        }
        String p = path.length() > 200 ? path.substring(0, 200) + "..." : path;
        return p.replaceAll("\\p{Cntrl}", "?");
    }
}
