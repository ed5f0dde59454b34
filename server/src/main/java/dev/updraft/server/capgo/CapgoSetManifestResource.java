package dev.updraft.server.capgo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.server.security.AdminRole;
import dev.updraft.server.storage.ServerBase;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /functions/v1/private/set_manifest}: the manifest of a delta release the Capgo CLI uploaded file by file
 * ({@link CapgoManifests}). Behind the admin keys, unlike the rest of {@code /functions/v1/private}.
 */
@Path("/functions/v1/private/set_manifest")
@Tag(name = "Capgo CLI")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminRole.ADMIN)
public class CapgoSetManifestResource {
    @Inject
    CapgoManifests manifests;

    @Inject
    ServerBase base;

    @Inject
    SecurityIdentity identity;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode set(JsonNode body, UriInfo uri) throws IOException {
        manifests.set(body, identity.getPrincipal().getName(), base.of(uri));
        return CapgoFunctionsResource.ok();
    }
}
