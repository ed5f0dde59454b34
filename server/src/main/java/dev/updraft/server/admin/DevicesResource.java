package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.protocol.Identifier;
import dev.updraft.server.security.AdminRole;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/apps/{app_id}/devices} (docs/admin-api.md, "Devices and overrides"); {@code device_id} is checked by PathIdentifiers. */
@Path("/api/v1/apps/{app_id}/devices")
@Tag(name = "Admin: devices")
@SecurityRequirement(name = "adminApiKey")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminRole.ADMIN)
public class DevicesResource {
    private static final Set<String> FIELDS = Set.of("channel");

    @Inject
    DeviceAdmin devices;

    @Inject
    ObjectMapper mapper;

    @Inject
    Paging paging;

    @GET
    public Page<Dtos.Device> list(
            @PathParam("app_id") String appId, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return devices.list(appId, paging.request("devices", limit, cursor, Paging.Key.TEXT));
    }

    @PUT
    @Path("/{device_id}/override")
    @Consumes(MediaType.APPLICATION_JSON)
    public Dtos.Override setOverride(
            @PathParam("app_id") String appId, @PathParam("device_id") String deviceId, String json) {
        Body body = Body.parse(mapper, json, FIELDS);
        String channel = body.string("channel", true);
        body.identifier("channel", channel, Identifier.CHANNEL_NAME);
        body.throwIfProblems();
        Dtos.Override o = devices.setOverride(appId, deviceId, channel);
        return o;
    }

    @DELETE
    @Path("/{device_id}/override")
    public Response deleteOverride(@PathParam("app_id") String appId, @PathParam("device_id") String deviceId) {
        devices.deleteOverride(appId, deviceId);
        return Response.noContent().build();
    }
}
