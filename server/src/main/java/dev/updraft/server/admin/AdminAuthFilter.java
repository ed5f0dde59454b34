package dev.updraft.server.admin;

import dev.updraft.server.web.ErrorMappers;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Every {@code /api/v1} request needs {@code Authorization: Bearer <admin API key>}, even for unknown paths. */
public class AdminAuthFilter {
    static final String PREFIX = "/api/v1";

    @Inject
    ApiKeys keys;

    @ServerRequestFilter(preMatching = true)
    public Response authenticate(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getRequestUri().getRawPath();
        if (path == null || !(path.equals(PREFIX) || path.startsWith(PREFIX + "/"))) {
            return null;
        }
        String header = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
        String key = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : "";
        if (key.isEmpty()) {
            return challenge(ErrorMappers.error(401, "missing_api_key", "Send the admin API key as 'Authorization: Bearer <key>'"));
        }
        if (!keys.isValid(key)) {
            return challenge(ErrorMappers.error(401, "invalid_api_key", "The admin API key is not valid"));
        }
        return null; // authenticated: carry on
    }

    private static Response challenge(Response r) {
        return Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
