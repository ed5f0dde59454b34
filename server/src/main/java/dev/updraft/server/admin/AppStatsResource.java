package dev.updraft.server.admin;

import dev.updraft.server.web.ApiException;
import dev.updraft.server.security.AdminRole;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** {@code /api/v1/apps/{app_id}/stats} and {@code /events} (docs/admin-api.md, "Stats"). */
@Path("/api/v1/apps/{app_id}")
@Tag(name = "Admin: stats")
@SecurityRequirement(name = "adminApiKey")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminRole.ADMIN)
public class AppStatsResource {
    @Inject
    StatsAdmin stats;
    @Inject
    Paging paging;

    @GET
    @Path("/stats")
    public Dtos.Stats stats(@PathParam("app_id") String appId) {
        return stats.stats(appId);
    }

    @GET
    @Path("/events")
    public Page<Dtos.Event> events(@PathParam("app_id") String appId, @QueryParam("device_id") String deviceId,
                                   @QueryParam("action") String action, @QueryParam("version") String version,
                                   @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Paging.Request page = paging.request("events", limit, cursor, Paging.Key.TIME, Paging.Key.NUMBER);
        for (String q : new String[] {deviceId, action, version}) {
            if (q != null && (q.indexOf('\0') >= 0 || q.length() > 1024)) {
                throw ApiException.validation(List.of(new ApiException.Detail("query", "device_id, action and version must be printable and at most 1024 characters")));
            }
        }
        return stats.events(appId, blankToNull(deviceId), blankToNull(action), blankToNull(version), page);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
