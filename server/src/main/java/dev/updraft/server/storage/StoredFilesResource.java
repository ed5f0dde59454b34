package dev.updraft.server.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.server.security.AdminRole;
import dev.updraft.server.web.ApiException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/v1/apps/{app_id}/files}: puts a bundle file (the body) on the server's storage and answers its
 * name, SHA-256, size and the URL devices download it from, which {@code updraft bundle upload} then registers
 * (docs/admin-api.md, "Stored files"). Content-addressed: the same bytes twice are one file, never overwritten.
 */
@Path("/api/v1/apps/{app_id}/files")
@Tag(name = "Admin: stored files")
@SecurityRequirement(name = "adminApiKey")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminRole.ADMIN)
public class StoredFilesResource {
    /** The largest file accepted; the HTTP body limit (quarkus.http.limits.max-body-size) applies first. */
    static final long MAX_BYTES = 1L << 30;

    @Inject
    BundleStorage storage;

    @Inject
    ServerBase base;

    @Inject
    ObjectMapper mapper;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response put(@PathParam("app_id") String appId, InputStream body, UriInfo uri) throws IOException {
        requireApp(appId);
        BundleStorage.Stored stored;
        try {
            stored = storage.put(appId, body, MAX_BYTES);
        } catch (BundleStorage.TooLargeException e) {
            throw ApiException.payloadTooLarge(MAX_BYTES);
        }
        ObjectNode answer = mapper.createObjectNode();
        answer.put("name", stored.name());
        answer.put("sha256", stored.sha256());
        answer.put("size", stored.size());
        answer.put("url", storage.publicUrl(stored.name(), base.of(uri)).toString());
        return Response.status(201).entity(answer).build();
    }

    @Transactional
    void requireApp(String appId) {
        if (dev.updraft.server.persistence.AppEntity.count("appId", appId) == 0) {
            throw ApiException.notFound("app_not_found", "No app '" + appId + "'");
        }
    }
}
