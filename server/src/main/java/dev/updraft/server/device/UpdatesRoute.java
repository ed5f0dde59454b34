package dev.updraft.server.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.server.web.ApiException;
import dev.updraft.server.web.ErrorMappers;
import dev.updraft.server.web.HttpLayer;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /updates} as a Vert.x route ahead of JAX-RS (docs/architecture.md, "The update check's route"): the
 * device API's hottest call, answered by {@link UpdateCheck} without the JAX-RS machinery around it (request
 * context, resource matching, per-request route-template lookup for the metrics, entity writers), which cost more
 * CPU than the check itself (docs/performance.md). Public, like the resource: the route matches one method and one
 * spelling of the path, and everything else, including {@code /updates/manifest_size}, keeps its own rules.
 *
 * <p>It answers only what JAX-RS would answer without negotiating: the path exactly {@code /updates}, no or a JSON
 * {@code Content-Type}, no {@code Accept} or one that takes {@code application/json} as it is. Anything else goes on to
 * {@link UpdatesResource} (same decision, same bytes). Errors are the same {@code {error, message}} bodies, written
 * by the same JSON mapper as {@link ErrorMappers}; bodies over {@code quarkus.http.limits.max-body-size} fail as the
 * HTTP layer's body limit does (413, made JSON by {@link HttpLayer}).
 */
@ApplicationScoped
public class UpdatesRoute {
    static final String PATH = "/updates";

    @Inject
    UpdateCheck check;

    @Inject
    ObjectMapper mapper;

    @Inject
    UpdatesRouteTimer timer;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;

    /**
     * Where the route sits: after the HTTP layer's filters (HttpLayer, priority 20,000, order -20,000) and Quarkus's
     * CORS filter (300), just before Quarkus's authentication filter (priority 200, order -200). The route is public
     * and there are no HTTP permission policies to apply; what it skips is the filter of priority 199 that quarkus-rest
     * adds when Micrometer is present, which builds a new RESTEasy request mapper on every request to find a route
     * template for the metrics: 18 % of the server's allocation and about 10 % of its CPU under wrk
     * (docs/performance.md). The metrics still get their template, from the context local set below.
     */
    static final int ORDER = -201;

    void register(@Observes Router router) {
        long maxBody = maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        router.post(PATH).order(ORDER).handler(ctx -> handle(ctx, maxBody));
    }

    private void handle(RoutingContext ctx, long maxBody) {
        HttpServerRequest request = ctx.request();
        if (!PATH.equals(request.path())
                || !jsonOrAbsent(request.headers().getAll("Content-Type"))
                || !takesJson(request.headers().getAll("Accept"))) {
            ctx.next();
            return;
        }
        long start = System.nanoTime();
        Context context = Vertx.currentContext();
        if (context != null) {
            // The answers written here are timed here; Quarkus's HTTP metrics skip this template.
            context.putLocal(HttpLayer.METRICS_URI_TEMPLATE, UpdatesRouteTimer.TEMPLATE);
        }
        if (request.isEnded()) { // read already (by a body handler)
            answer(
                    ctx,
                    start,
                    ctx.body() == null || ctx.body().buffer() == null
                            ? new byte[0]
                            : ctx.body().buffer().getBytes());
            return;
        }
        RequestBody body = new RequestBody(maxBody);
        request.handler(chunk -> {
            if (!body.add(chunk)) {
                handOn(ctx);
                ctx.fail(413); // as Quarkus's body handler refuses a body over the limit
            }
        });
        request.endHandler(v -> {
            if (!body.overLimit()) {
                answer(ctx, start, body.bytes());
            }
        });
        request.resume();
    }

    /**
     * What arrives of a request body. Only the first MAX_BODY + 1 bytes are kept: enough for the check to refuse a
     * larger body with its own 413. An info object nearly always arrives in one chunk, which is kept as it is (Vert.x
     * hands over a copy of its own); a buffer to gather into is made only for a second chunk.
     */
    private static final class RequestBody {
        private final long maxBody;
        private long total;
        private Buffer kept; // the first chunk as it came, or the buffer gathering them
        private boolean gathering;

        RequestBody(long maxBody) {
            this.maxBody = maxBody;
        }

        /** Takes a chunk; false the first time the body goes over {@code maxBody} (later chunks are ignored). */
        boolean add(Buffer chunk) {
            if (overLimit()) {
                return true; // refused already
            }
            total += chunk.length();
            if (overLimit()) {
                return false;
            }
            if (kept == null) {
                kept = chunk;
            } else if (kept.length() <= UpdatesResource.MAX_BODY) {
                if (!gathering) {
                    kept = Buffer.buffer(2 * (kept.length() + chunk.length())).appendBuffer(kept);
                    gathering = true;
                }
                kept.appendBuffer(chunk);
            }
            return true;
        }

        boolean overLimit() {
            return total > maxBody;
        }

        byte[] bytes() {
            return kept == null ? new byte[0] : kept.getBytes();
        }
    }

    /** What leaves the route unanswered by it (a failure for the HTTP layer) is timed by Quarkus's HTTP metrics. */
    private static void handOn(RoutingContext ctx) {
        Context context = Vertx.currentContext();
        if (context != null) {
            context.putLocal(HttpLayer.METRICS_URI_TEMPLATE, PATH);
        }
    }

    private void answer(RoutingContext ctx, long start, byte[] body) {
        UpdateCheck.Answer answer;
        try {
            answer = check.answer(body, ctx.request().getHeader("Accept-Encoding"));
        } catch (RuntimeException e) {
            fail(ctx, start, e);
            return;
        }
        if (answer.later() == null) {
            write(ctx.response(), answer);
            timer.record(200, start);
            return;
        }
        Context context = Vertx.currentContext();
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                UpdateCheck.Answer later = answer.later().get();
                context.runOnContext(v -> {
                    write(ctx.response(), later);
                    timer.record(200, start);
                });
            } catch (RuntimeException e) {
                context.runOnContext(v -> fail(ctx, start, e));
            }
        });
    }

    private static void write(HttpServerResponse response, UpdateCheck.Answer answer) {
        response.putHeader("Content-Type", "application/json");
        if (answer.gzipped()) {
            response.putHeader("Content-Encoding", "gzip");
        }
        if (answer.varies()) {
            response.putHeader("Vary", "Accept-Encoding");
        }
        response.end(Buffer.buffer(answer.body()));
    }

    /**
     * What {@link ErrorMappers} answers for a refusal; anything else fails the route, and the HTTP layer's failure
     * handler logs it and answers its JSON 500 (web.HttpLayer), as for every other route.
     */
    private void fail(RoutingContext ctx, long start, RuntimeException e) {
        if (!(e instanceof ApiException api)) {
            handOn(ctx);
            ctx.fail(e);
            return;
        }
        HttpServerResponse response = ctx.response().setStatusCode(api.status());
        if (api.retryAfterSeconds() > 0) {
            response.putHeader("Retry-After", Long.toString(api.retryAfterSeconds()));
        }
        try {
            response.putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(mapper.writeValueAsBytes(ErrorMappers.body(api))));
            timer.record(api.status(), start);
        } catch (JsonProcessingException impossible) { // a map of strings and numbers
            handOn(ctx);
            ctx.fail(impossible);
        }
    }

    /** No Content-Type, or one of JSON: what the resource accepts without negotiation. */
    static boolean jsonOrAbsent(List<String> contentTypes) {
        if (contentTypes.isEmpty()) {
            return true;
        }
        if (contentTypes.size() > 1) {
            return false;
        }
        String type = contentTypes.get(0);
        int semi = type.indexOf(';');
        return (semi < 0 ? type : type.substring(0, semi)).strip().equalsIgnoreCase("application/json");
    }

    /** No Accept, or one naming JSON (or a wildcard covering it) without parameters such as a quality. */
    static boolean takesJson(List<String> accepts) {
        if (accepts.isEmpty()) {
            return true;
        }
        if (accepts.size() > 1 || accepts.get(0).indexOf(';') >= 0) {
            return false;
        }
        for (String range : accepts.get(0).split(",")) {
            String r = range.strip();
            if (r.equalsIgnoreCase("application/json") || r.equals("*/*") || r.equalsIgnoreCase("application/*")) {
                return true;
            }
        }
        return false;
    }
}
