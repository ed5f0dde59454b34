package dev.updraft.server.security;

import io.quarkus.runtime.BlockingOperationControl;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The one place that records admin writes: every answer of a writing method (POST, PUT, PATCH, DELETE) of an admin
 * resource ({@code @RolesAllowed} class), keyed on the resource method the router matched, whatever the outcome
 * (2xx, 4xx, 5xx), as long as a key was accepted. Recorded: the key's name, the method, the matched route template
 * and its path parameters, the status, the time and the client address; never a body or a header, so never a secret.
 * Written after the change committed, before the answer leaves (so an operator sees it at once).
 */
public class AuditTrail {
    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    @Inject
    AuditLog log;

    @Inject
    CurrentIdentityAssociation identities;

    private final Map<Method, String> routes = new ConcurrentHashMap<>();

    @ServerResponseFilter
    public Uni<Void> record(
            ContainerRequestContext request,
            ContainerResponseContext response,
            ResourceInfo resource,
            HttpServerRequest http) {
        Method method = resource == null ? null : resource.getResourceMethod();
        int status = response.getStatus();
        // 401 and 429 are refused keys: no identity to record (the throttle keeps count of those).
        if (method == null
                || !WRITES.contains(request.getMethod())
                || status == 401
                || status == 429
                || !resource.getResourceClass().isAnnotationPresent(RolesAllowed.class)
                || resource.getResourceClass().isAnnotationPresent(AuditsItself.class)) {
            return Uni.createFrom().voidItem();
        }
        String route = routes.computeIfAbsent(method, m -> template(resource.getResourceClass(), m));
        Map<String, String> params = new LinkedHashMap<>();
        request.getUriInfo().getPathParameters().forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
        String address = ClientAddress.of(http);
        String verb = request.getMethod();
        return identities
                .getDeferredIdentity()
                .onItem()
                .transformToUni(identity -> identity == null || identity.isAnonymous()
                        ? Uni.createFrom().voidItem()
                        : write(new AuditLog.Entry(
                                null,
                                Instant.now(),
                                identity.getPrincipal().getName(),
                                address,
                                verb,
                                route,
                                AuditLog.bounded(params),
                                status)))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> write(AuditLog.Entry entry) {
        Uni<Void> write = Uni.createFrom()
                .item(() -> {
                    try {
                        log.write(entry);
                    } catch (RuntimeException e) {
                        // The change itself is committed: answering 500 now would invite a retry of a write that
                        // happened.
                        LOG.errorf(
                                e,
                                "could not record the audit entry for %s %s by '%s'",
                                entry.method(),
                                entry.route(),
                                entry.keyName());
                    }
                    return null;
                })
                .replaceWithVoid();
        return BlockingOperationControl.isBlockingAllowed()
                ? write
                : write.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** The route template the method answers: class {@code @Path} + method {@code @Path}, e.g. {@code /api/v1/apps/{app_id}}. */
    static String template(Class<?> type, Method method) {
        Path classPath = type.getAnnotation(Path.class);
        Path methodPath = method.getAnnotation(Path.class);
        String base = classPath == null ? "" : classPath.value();
        String sub = methodPath == null ? "" : methodPath.value();
        String joined = ("/" + base + "/" + sub).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
