package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.server.snapshot.SnapshotStore;
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
import java.util.Set;

/** {@code /api/v1/apps} (docs/admin-api.md, "Apps"). */
@Path("/api/v1/apps")
@Tag(name = "Admin: apps")
@SecurityRequirement(name = "adminApiKey")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminRole.ADMIN)
public class AppsResource {
    private static final Set<String> FIELDS = Set.of("app_id", "name");

    @Inject
    AppAdmin apps;
    @Inject
    SnapshotStore snapshots;
    @Inject
    ObjectMapper mapper;

    @GET
    public List<Dtos.App> list() {
        return apps.list();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String json) {
        Body body = Body.parse(mapper, json, FIELDS);
        String appId = body.string("app_id", true);
        String name = body.string("name", false);
        AppAdmin.validateAppId(body, appId);
        if (name != null && name.length() > 255) {
            body.problem("name", "is longer than 255 characters");
        }
        body.throwIfProblems();
        Dtos.App app = apps.create(appId, name);
        snapshots.reload(appId);
        return Response.status(201).entity(app).build();
    }

    @GET
    @Path("/{app_id}")
    public Dtos.App get(@PathParam("app_id") String appId) {
        return apps.get(appId);
    }

    @DELETE
    @Path("/{app_id}")
    public Response delete(@PathParam("app_id") String appId) {
        apps.delete(appId);
        snapshots.reload(appId);
        return Response.noContent().build();
    }
}
