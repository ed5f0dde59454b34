package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.updraft.server.security.AdminRole;
import dev.updraft.server.security.AuditLog;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/v1/audit}: admin writes, newest first, paged by {@code limit} and {@code cursor} (docs/admin-api.md). */
@Path("/api/v1/audit")
@Tag(name = "Admin: audit log")
@SecurityRequirement(name = "adminApiKey")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminRole.ADMIN)
public class AuditResource {
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Entry(
            long id,
            String at,
            String keyName,
            String clientAddress,
            String method,
            String route,
            Map<String, String> pathParams,
            int status) {}

    @Inject
    AuditLog log;

    @Inject
    Paging paging;

    @GET
    public Page<Entry> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Paging.Request page = paging.request("audit", limit, cursor, Paging.Key.NUMBER);
        AuditLog.Page entries = log.read(page.limit(), page.first() ? null : page.number(0));
        return new Page<>(
                entries.entries().stream()
                        .map(e -> new Entry(
                                e.id(),
                                Times.iso(e.at()),
                                e.keyName(),
                                e.clientAddress(),
                                e.method(),
                                e.route(),
                                e.pathParams(),
                                e.status()))
                        .toList(),
                entries.nextCursor() == null
                        ? null
                        : page.cursor(List.of(entries.nextCursor().toString())));
    }
}
