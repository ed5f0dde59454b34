package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.server.security.AdminRole;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/apps/{app_id}/channels} (docs/admin-api.md, "Channels"). Changes refresh the app's snapshot. */
@Path("/api/v1/apps/{app_id}/channels")
@Tag(name = "Admin: channels")
@SecurityRequirement(name = "adminApiKey")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminRole.ADMIN)
public class ChannelsResource {
    @Inject
    ChannelAdmin channels;

    @Inject
    RolloutAdmin rollouts;

    @Inject
    ObjectMapper mapper;

    @Inject
    Paging paging;

    @GET
    public Page<Dtos.Channel> list(
            @PathParam("app_id") String appId, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return channels.list(appId, paging.request("channels", limit, cursor, Paging.Key.TEXT));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("app_id") String appId, String json) {
        Dtos.Channel c = channels.create(appId, Body.parse(mapper, json, ChannelAdmin.FIELDS));
        return Response.status(201).entity(c).build();
    }

    @GET
    @Path("/{channel}")
    public Dtos.Channel get(@PathParam("app_id") String appId, @PathParam("channel") String name) {
        return channels.get(appId, name);
    }

    @PATCH
    @Path("/{channel}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Dtos.Channel patch(@PathParam("app_id") String appId, @PathParam("channel") String name, String json) {
        Dtos.Channel c = channels.patch(appId, name, Body.parse(mapper, json, ChannelAdmin.FIELDS));
        return c;
    }

    /** No new device joins the rollout; devices on its bundle keep it (docs/admin-api.md, "Rollouts"). */
    @POST
    @Path("/{channel}/rollout/pause")
    public Dtos.Channel pauseRollout(@PathParam("app_id") String appId, @PathParam("channel") String name) {
        return rollout(appId, name, RolloutAdmin.Action.PAUSE);
    }

    /** New devices of the share join the rollout again. */
    @POST
    @Path("/{channel}/rollout/resume")
    public Dtos.Channel resumeRollout(@PathParam("app_id") String appId, @PathParam("channel") String name) {
        return rollout(appId, name, RolloutAdmin.Action.RESUME);
    }

    /** The rollout bundle becomes the stable one, for every device. */
    @POST
    @Path("/{channel}/rollout/promote")
    public Dtos.Channel promoteRollout(@PathParam("app_id") String appId, @PathParam("channel") String name) {
        return rollout(appId, name, RolloutAdmin.Action.PROMOTE);
    }

    /** The rollout ends; every device gets the stable bundle on its next check. */
    @POST
    @Path("/{channel}/rollout/rollback")
    public Dtos.Channel rollBackRollout(@PathParam("app_id") String appId, @PathParam("channel") String name) {
        return rollout(appId, name, RolloutAdmin.Action.ROLLBACK);
    }

    private Dtos.Channel rollout(String appId, String name, RolloutAdmin.Action action) {
        Dtos.Channel c = rollouts.act(appId, name, action);
        return c;
    }

    @DELETE
    @Path("/{channel}")
    public Response delete(@PathParam("app_id") String appId, @PathParam("channel") String name) {
        channels.delete(appId, name);
        return Response.noContent().build();
    }
}
