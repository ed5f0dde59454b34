package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.protocol.Identifier;
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
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/admin-keys} (docs/admin-api.md, "Admin keys"). Changes reach this instance's key cache at once. */
@Path("/api/v1/admin-keys")
// The scheme every admin resource names: an opaque bearer key (not a JWT), docs/security-model.md.
@SecurityScheme(
        securitySchemeName = "adminApiKey",
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        description =
                "An admin API key, opaque: configured (updraft.admin-api-key), generated into <data-dir>/admin-api-key,"
                        + " or created with POST /api/v1/admin-keys")
@Tag(name = "Admin: keys")
@SecurityRequirement(name = "adminApiKey")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminRole.ADMIN)
public class AdminKeysResource {
    private static final Set<String> FIELDS = Set.of("name");

    @Inject
    AdminKeyAdmin admin;

    @Inject
    ApiKeys keys;

    @Inject
    ObjectMapper mapper;

    @Inject
    Paging paging;

    @GET
    public Page<AdminKeyAdmin.AdminKey> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return admin.list(paging.request("admin-keys", limit, cursor, Paging.Key.NUMBER));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String json) {
        Body body = Body.parse(mapper, json, FIELDS);
        String name = body.string("name", true);
        body.identifier("name", name, Identifier.ADMIN_KEY_NAME);
        body.throwIfProblems();
        AdminKeyAdmin.CreatedKey created = admin.create(name);
        keys.refresh();
        return Response.status(201)
                .entity(created)
                .header("Cache-Control", "no-store")
                .build();
    }

    @DELETE
    @Path("/{key_name}")
    public AdminKeyAdmin.AdminKey revoke(@PathParam("key_name") String name) {
        AdminKeyAdmin.AdminKey revoked = admin.revoke(name);
        keys.refresh();
        return revoked;
    }
}
