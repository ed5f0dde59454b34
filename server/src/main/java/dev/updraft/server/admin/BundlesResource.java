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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

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

    @Inject
    Paging paging;

    @GET
    public Page<Dtos.Bundle> list(
            @PathParam("app_id") String appId, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return bundles.list(appId, paging.request("bundles", limit, cursor, Paging.Key.NUMBER));
    }

    /**
     * Registers a bundle; with {@code channel}, links that channel in the same transaction; with {@code dry_run},
     * only checks. Without either the answer is the bundle, as before channels could be linked here.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("app_id") String appId, String json) {
        BundleInput in = BundleInput.from(Body.parse(mapper, json, BundleInput.FIELDS));
        // Identical concurrent requests: one 201, the others 200 as identical retries (BundleAdmin.publish).
        BundleAdmin.Published p = bundles.publish(appId, in);
        int status = p.bundleCreated() && !p.dryRun() ? 201 : 200;
        Object answer = in.channel() == null && !in.dryRun() ? p.bundle() : p;
        return Response.status(status).entity(answer).build();
    }

    @GET
    @Path("/{version}")
    public Dtos.Bundle get(@PathParam("app_id") String appId, @PathParam("version") String version) {
        return bundles.get(appId, version);
    }

    /** Adds a variant of the release for one more key (docs/admin-api.md, "Key variants"). */
    @POST
    @Path("/{version}/variants")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addVariant(@PathParam("app_id") String appId, @PathParam("version") String version, String json) {
        Body body = Body.parse(mapper, json, BundleInput.VARIANT_FIELDS);
        Dtos.KeyVariant variant = BundleInput.variant(body, body.raw(), "");
        body.throwIfProblems();
        BundleAdmin.AddedVariant added = bundles.addVariant(appId, version, variant);
        return Response.status(added.created() ? 201 : 200)
                .entity(added.bundle())
                .build();
    }

    @DELETE
    @Path("/{version}")
    public Response delete(@PathParam("app_id") String appId, @PathParam("version") String version) {
        bundles.delete(appId, version);
        return Response.noContent().build();
    }
}
