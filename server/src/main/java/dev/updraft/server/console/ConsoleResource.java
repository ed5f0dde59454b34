package dev.updraft.server.console;

import dev.updraft.server.persistence.ConcurrentChangeException;
import dev.updraft.server.security.AdminRole;
import dev.updraft.server.security.AuditsItself;
import dev.updraft.server.security.ClientAddress;
import dev.updraft.server.web.ApiException;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.time.Instant;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The web console's pages and actions (docs/console.md), behind a console session: every method needs the admin role
 * (the router matched it; {@code /console/login} is {@link ConsoleLoginResource}, public). A request without a live
 * session is sent to the login page. Every post carries the session's CSRF token, checked before anything else; an
 * action first answers its confirmation page and runs only when that page's form is posted ({@code confirmed=yes}).
 */
@Path("/console")
@RolesAllowed(AdminRole.ADMIN)
@AuditsItself
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {
    @Inject
    ConsoleQueries queries;

    @Inject
    ConsoleActions actions;

    @Inject
    ConsoleSessions sessions;

    @Inject
    SecurityIdentity identity;

    @GET
    public TemplateInstance apps(@QueryParam("done") String done) {
        return Templates.apps(frame("Apps", done), queries.apps());
    }

    @GET
    @Path("/apps/{app_id}")
    public TemplateInstance app(@PathParam("app_id") String appId, @QueryParam("done") String done) {
        Views.AppPage page = queries.app(appId);
        return Templates.app(frame(appId, done), page);
    }

    @GET
    @Path("/apps/{app_id}/releases/{version}")
    public TemplateInstance release(
            @PathParam("app_id") String appId,
            @PathParam("version") String version,
            @QueryParam("hours") String hours) {
        int h = ConsoleInfo.DEFAULT_HOURS;
        if (hours != null && !hours.isEmpty()) {
            h = ConsoleInfo.HOUR_CHOICES.stream()
                    .filter(c -> c.toString().equals(hours))
                    .findFirst()
                    .orElseThrow(() -> ApiException.badRequest(
                            "invalid_hours", "hours must be one of " + ConsoleInfo.HOUR_CHOICES));
        }
        Views.ReleasePage page = queries.release(appId, version, h, Instant.now());
        return Templates.release(frame("Release " + version, null), page);
    }

    @GET
    @Path("/apps/{app_id}/devices")
    public TemplateInstance devices(@PathParam("app_id") String appId, @QueryParam("q") String query) {
        if (query != null && (query.length() > 255 || query.chars().anyMatch(Character::isISOControl))) {
            throw ApiException.badRequest(
                    "invalid_query", "Search for a device id or custom id of at most 255 characters");
        }
        Views.DeviceSearch page = queries.devices(appId, query);
        return Templates.devices(frame("Devices", null), page);
    }

    @GET
    @Path("/apps/{app_id}/devices/{device_id}")
    public TemplateInstance device(
            @PathParam("app_id") String appId,
            @PathParam("device_id") String deviceId,
            @QueryParam("done") String done) {
        Views.DevicePage page = queries.device(appId, deviceId);
        return Templates.device(frame("Device " + deviceId, done), page);
    }

    @GET
    @Path("/audit")
    public TemplateInstance audit(@QueryParam("before") String before) {
        Long cursor = null;
        if (before != null && !before.isEmpty()) {
            if (!before.matches("\\d{1,18}")) {
                throw ApiException.badRequest("invalid_cursor", "before must be an entry id");
            }
            cursor = Long.valueOf(before);
        }
        return Templates.audit(frame("Audit log", null), queries.audit(cursor));
    }

    /** Ends the session here and on every instance (its row is deleted), and clears the cookie. */
    @POST
    @Path("/logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@FormParam("csrf") String csrf, @Context HttpServerRequest http) {
        ConsoleSessions.Session s = checked(csrf);
        sessions.close(s);
        return Response.seeOther(UriBuilder.fromPath(ConsolePaths.LOGIN).build())
                .cookie(ConsoleCookies.clearSession(http))
                .build();
    }

    @POST
    @Path("/apps/{app_id}/channels/{channel}/rollout/start")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Object startRollout(
            @PathParam("app_id") String appId,
            @PathParam("channel") String channel,
            @FormParam("csrf") String csrf,
            @FormParam("confirmed") String confirmed,
            @FormParam("version") String version,
            @FormParam("share") String share,
            @Context HttpServerRequest http) {
        checked(csrf);
        int bps = share(share);
        String v = version == null ? "" : version;
        if (!"yes".equals(confirmed)) {
            return confirm(
                    ConsoleAction.START_ROLLOUT,
                    "Roll out " + v + " to " + ConsoleFormat.share(bps) + " of the devices of the channel '" + channel
                            + "'? Devices in that share get it on their next check.",
                    appId,
                    channel,
                    List.of(new Templates.Field("version", v), new Templates.Field("share", share)));
        }
        actions.onChannel(ConsoleAction.START_ROLLOUT, appId, channel, v, bps, ClientAddress.of(http));
        return done(appId, ConsoleAction.START_ROLLOUT);
    }

    @POST
    @Path("/apps/{app_id}/channels/{channel}/rollout/share")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Object changeShare(
            @PathParam("app_id") String appId,
            @PathParam("channel") String channel,
            @FormParam("csrf") String csrf,
            @FormParam("confirmed") String confirmed,
            @FormParam("share") String share,
            @Context HttpServerRequest http) {
        checked(csrf);
        int bps = share(share);
        if (!"yes".equals(confirmed)) {
            return confirm(
                    ConsoleAction.CHANGE_SHARE,
                    "Change the share of the rollout on '" + channel + "' to " + ConsoleFormat.share(bps) + "?",
                    appId,
                    channel,
                    List.of(new Templates.Field("share", share)));
        }
        actions.onChannel(ConsoleAction.CHANGE_SHARE, appId, channel, null, bps, ClientAddress.of(http));
        return done(appId, ConsoleAction.CHANGE_SHARE);
    }

    @POST
    @Path("/apps/{app_id}/channels/{channel}/rollout/pause")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Object pause(
            @PathParam("app_id") String appId,
            @PathParam("channel") String channel,
            @FormParam("csrf") String csrf,
            @FormParam("confirmed") String confirmed,
            @Context HttpServerRequest http) {
        return rolloutAction(ConsoleAction.PAUSE, appId, channel, csrf, confirmed, http);
    }

    @POST
    @Path("/apps/{app_id}/channels/{channel}/rollout/resume")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Object resume(
            @PathParam("app_id") String appId,
            @PathParam("channel") String channel,
            @FormParam("csrf") String csrf,
            @FormParam("confirmed") String confirmed,
            @Context HttpServerRequest http) {
        return rolloutAction(ConsoleAction.RESUME, appId, channel, csrf, confirmed, http);
    }

    @POST
    @Path("/apps/{app_id}/channels/{channel}/rollout/promote")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Object promote(
            @PathParam("app_id") String appId,
            @PathParam("channel") String channel,
            @FormParam("csrf") String csrf,
            @FormParam("confirmed") String confirmed,
            @Context HttpServerRequest http) {
        return rolloutAction(ConsoleAction.PROMOTE, appId, channel, csrf, confirmed, http);
    }

    @POST
    @Path("/apps/{app_id}/channels/{channel}/rollout/rollback")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Object rollBack(
            @PathParam("app_id") String appId,
            @PathParam("channel") String channel,
            @FormParam("csrf") String csrf,
            @FormParam("confirmed") String confirmed,
            @Context HttpServerRequest http) {
        return rolloutAction(ConsoleAction.ROLL_BACK, appId, channel, csrf, confirmed, http);
    }

    @POST
    @Path("/apps/{app_id}/devices/{device_id}/override")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Object setOverride(
            @PathParam("app_id") String appId,
            @PathParam("device_id") String deviceId,
            @FormParam("csrf") String csrf,
            @FormParam("confirmed") String confirmed,
            @FormParam("channel") String channel,
            @Context HttpServerRequest http) {
        checked(csrf);
        String c = channel == null ? "" : channel;
        String here = UriBuilder.fromPath("/console/apps/{a}/devices/{d}")
                .build(appId, deviceId)
                .toString();
        if (!"yes".equals(confirmed)) {
            return Templates.confirm(
                    frame(ConsoleAction.SET_OVERRIDE.title, null),
                    new Templates.Confirm(
                            ConsoleAction.SET_OVERRIDE.title,
                            "Pin the device " + deviceId + " to the channel '" + c
                                    + "'? This replaces any channel the device chose itself.",
                            here + "/override",
                            List.of(new Templates.Field("channel", c)),
                            here));
        }
        actions.setOverride(appId, deviceId, c, ClientAddress.of(http));
        return Response.seeOther(UriBuilder.fromPath(here)
                        .queryParam("done", ConsoleAction.SET_OVERRIDE.name())
                        .build())
                .build();
    }

    /** Pause, resume, promote or roll back: nothing to ask but the confirmation. */
    private Object rolloutAction(
            ConsoleAction action, String appId, String channel, String csrf, String confirmed, HttpServerRequest http) {
        checked(csrf);
        if (!"yes".equals(confirmed)) {
            return confirm(action, String.format(action.question, channel), appId, channel, List.of());
        }
        actions.onChannel(action, appId, channel, null, 0, ClientAddress.of(http));
        return done(appId, action);
    }

    private TemplateInstance confirm(
            ConsoleAction action, String question, String appId, String channel, List<Templates.Field> fields) {
        String base = UriBuilder.fromPath("/console/apps/{a}/channels/{c}/rollout/")
                .build(appId, channel)
                .toString();
        String app = UriBuilder.fromPath("/console/apps/{a}").build(appId).toString();
        return Templates.confirm(
                frame(action.title, null),
                new Templates.Confirm(action.title, question, base + action.slug, fields, app));
    }

    private static Response done(String appId, ConsoleAction action) {
        return Response.seeOther(UriBuilder.fromPath("/console/apps/{a}")
                        .queryParam("done", action.name())
                        .build(appId))
                .build();
    }

    /** A share typed as a percentage, in basis points; the service checks it again (0 to 10000). */
    private static int share(String typed) {
        int bps = ConsoleFormat.parseShare(typed);
        if (bps < 0) {
            throw ApiException.validation(List.of(
                    new ApiException.Detail("share", "must be a percentage from 0 to 100, with at most two decimals")));
        }
        return bps;
    }

    /** The session of this request; a post whose CSRF token is missing or not the session's is refused (403). */
    private ConsoleSessions.Session checked(String csrf) {
        ConsoleSessions.Session s = session();
        if (!ConsoleSessions.csrfMatches(s, csrf)) {
            throw new ApiException(
                    403,
                    "csrf_refused",
                    "This form was not sent from a page of this session (its CSRF token is missing or wrong); nothing"
                            + " was changed. Reload the page and try again.");
        }
        return s;
    }

    /** The console needs a session (an admin key in a header opens no console page: forms need the session's token). */
    private ConsoleSessions.Session session() {
        ConsoleSessions.Session s = identity.getAttribute(ConsoleSessionIdentityProvider.SESSION);
        if (s == null) {
            throw new UnauthorizedException();
        }
        return s;
    }

    private Templates.Frame frame(String title, String done) {
        ConsoleSessions.Session s = session();
        String notice = null;
        if (done != null) {
            for (ConsoleAction a : ConsoleAction.values()) {
                if (a.name().equals(done)) {
                    notice = a.title + ": done.";
                }
            }
        }
        return new Templates.Frame(title, s.keyName(), s.csrfToken(), notice);
    }

    // Errors of this resource are pages, not the admin API's JSON (which the API keeps: these mappers are local).

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return ConsolePages.toLogin();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return ConsolePages.toLogin();
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return ConsolePages.error(e);
    }

    @ServerExceptionMapper
    public Response concurrentChange(ConcurrentChangeException e) {
        return ConsolePages.error(new ApiException(
                409,
                "concurrent_change",
                "Another request changed the same data at the same time; nothing was changed by this one, try again"));
    }
}
