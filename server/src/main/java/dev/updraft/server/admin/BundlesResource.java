package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.server.security.AdminRole;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** {@code /api/v1/apps/{app_id}/bundles} (docs/admin-api.md, "Bundles"). */
@Path("/api/v1/apps/{app_id}/bundles")
@Tag(name = "Admin: bundles")
@SecurityRequirement(name = "adminApiKey")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminRole.ADMIN)
public class BundlesResource {
    @Inject
    BundleAdmin bundles;
    @Inject
    ObjectMapper mapper;

    @GET
    public List<Dtos.Bundle> list(@PathParam("app_id") String appId) {
        return bundles.list(appId);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("app_id") String appId, String json) {
        BundleInput in = BundleInput.from(Body.parse(mapper, json, BundleInput.FIELDS));
        BundleAdmin.Created c = bundles.create(appId, in);
        return Response.status(c.created() ? 201 : 200).entity(c.bundle()).build();
    }

    @GET
    @Path("/{version}")
    public Dtos.Bundle get(@PathParam("app_id") String appId, @PathParam("version") String version) {
        return bundles.get(appId, version);
    }

    @DELETE
    @Path("/{version}")
    public Response delete(@PathParam("app_id") String appId, @PathParam("version") String version) {
        bundles.delete(appId, version);
        return Response.noContent().build();
    }
}
