package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.updraft.server.security.AdminRole;
import dev.updraft.server.security.AuditLog;
import dev.updraft.server.web.ApiException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/audit}: admin writes, newest first, paged by {@code limit} and {@code cursor} (docs/admin-api.md). */
@Path("/api/v1/audit")
@Tag(name = "Admin: audit log")
@SecurityRequirement(name = "adminApiKey")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminRole.ADMIN)
public class AuditResource {
    static final int MAX_LIMIT = 500;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Entry(long id, String at, String keyName, String clientAddress, String method, String route,
                        Map<String, String> pathParams, int status) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Page(List<Entry> entries, String nextCursor) {
    }

    @Inject
    AuditLog log;

    @GET
    public Page list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        int n = (int) number(limit, "limit", 1, MAX_LIMIT, 100);
        Long before = cursor == null || cursor.isEmpty() ? null : number(cursor, "cursor", 1, Long.MAX_VALUE, 0);
        AuditLog.Page page = log.read(n, before);
        return new Page(page.entries().stream().map(e -> new Entry(e.id(), Times.iso(e.at()), e.keyName(), e.clientAddress(), e.method(),
                e.route(), e.pathParams(), e.status())).toList(), page.nextCursor() == null ? null : page.nextCursor().toString());
    }

    private static long number(String text, String field, long min, long max, long fallback) {
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.validation(List.of(new ApiException.Detail(field, "must be a whole number from " + min + " to " + max)));
    }
}
