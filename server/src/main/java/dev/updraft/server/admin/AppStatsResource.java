package dev.updraft.server.admin;

import dev.updraft.protocol.Identifier;
import dev.updraft.server.security.AdminRole;
import dev.updraft.server.web.ApiException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

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

    /** A release's funnel per UTC hour (docs/admin-api.md, "Hourly funnel"). */
    @GET
    @Path("/stats/hourly")
    public Dtos.HourlyFunnel hourly(
            @PathParam("app_id") String appId,
            @QueryParam("version") String version,
            @QueryParam("channel") String channel,
            @QueryParam("hours") String hours) {
        List<ApiException.Detail> problems = new java.util.ArrayList<>();
        if (version == null || version.isEmpty()) {
            problems.add(new ApiException.Detail("version", "is required"));
        } else {
            Identifier.BUNDLE_VERSION
                    .problem(version)
                    .ifPresent(p -> problems.add(new ApiException.Detail("version", p)));
        }
        String onChannel = blankToNull(channel);
        if (onChannel != null) {
            Identifier.CHANNEL_NAME
                    .problem(onChannel)
                    .ifPresent(p -> problems.add(new ApiException.Detail("channel", p)));
        }
        int n = DEFAULT_HOURS;
        if (hours != null && !hours.isEmpty()) {
            try {
                n = Integer.parseInt(hours);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_HOURS) {
                problems.add(new ApiException.Detail("hours", "must be a whole number from 1 to " + MAX_HOURS));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        return stats.hourly(appId, version, onChannel, n, java.time.Instant.now());
    }

    static final int DEFAULT_HOURS = 48;
    static final int MAX_HOURS = 24 * 31;

    @GET
    @Path("/events")
    public Page<Dtos.Event> events(
            @PathParam("app_id") String appId,
            @QueryParam("device_id") String deviceId,
            @QueryParam("action") String action,
            @QueryParam("version") String version,
            @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        Paging.Request page = paging.request("events", limit, cursor, Paging.Key.TIME, Paging.Key.NUMBER);
        for (String q : new String[] {deviceId, action, version}) {
            if (q != null && (q.indexOf('\0') >= 0 || q.length() > 1024)) {
                throw ApiException.validation(List.of(new ApiException.Detail(
                        "query", "device_id, action and version must be printable and at most 1024 characters")));
            }
        }
        return stats.events(appId, blankToNull(deviceId), blankToNull(action), blankToNull(version), page);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
