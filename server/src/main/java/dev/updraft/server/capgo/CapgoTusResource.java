package dev.updraft.server.capgo;

import dev.updraft.server.security.AdminRole;
import dev.updraft.server.storage.ServerBase;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /functions/v1/files/upload/attachments/}: the TUS endpoint where the Capgo CLI uploads each file of a delta
 * release ({@link CapgoTus}; docs/protocol.md, "The Capgo CLI"). Behind the admin keys: the CLI sends its key as the
 * bare {@code Authorization} value of a TUS request (security/PresentedKey).
 */
@Path("/functions/v1/files/upload/attachments")
@Tag(name = "Capgo CLI")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminRole.ADMIN)
public class CapgoTusResource {
    static final String TUS_VERSION = "1.0.0";

    @Inject
    CapgoTus tus;

    @Inject
    ServerBase base;

    @Inject
    SecurityIdentity identity;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(
            @HeaderParam("Tus-Resumable") String resumable,
            @HeaderParam("Upload-Length") String length,
            @HeaderParam("Upload-Metadata") String metadata,
            UriInfo uri) {
        version(resumable);
        String id = tus.create(key(), length, metadata);
        return Response.status(201)
                .header("Location", base.of(uri).resolve("functions/v1/files/upload/attachments/" + id))
                .header("Tus-Resumable", TUS_VERSION)
                .build();
    }

    @HEAD
    @Path("/{token}")
    public Response head(@HeaderParam("Tus-Resumable") String resumable, @PathParam("token") String id) {
        version(resumable);
        CapgoTus.State s = tus.state(key(), id);
        return Response.ok()
                .header("Upload-Offset", s.offset())
                .header("Upload-Length", s.length())
                .header("Tus-Resumable", TUS_VERSION)
                .header("Cache-Control", "no-store")
                .build();
    }

    @PATCH
    @Path("/{token}")
    @Consumes(MediaType.WILDCARD)
    public Response patch(
            @HeaderParam("Tus-Resumable") String resumable,
            @HeaderParam("Content-Type") String type,
            @HeaderParam("Upload-Offset") String offset,
            @PathParam("token") String id,
            InputStream body)
            throws IOException {
        version(resumable);
        if (type == null
                || !type.strip().toLowerCase(java.util.Locale.ROOT).startsWith("application/offset+octet-stream")) {
            throw new dev.updraft.server.web.ApiException(
                    415, "unsupported_media_type", "A TUS PATCH is Content-Type: application/offset+octet-stream");
        }
        CapgoTus.State s = tus.append(key(), id, offset, body);
        Response.ResponseBuilder r = Response.noContent()
                .header("Upload-Offset", s.offset())
                .header("Upload-Length", s.length())
                .header("Tus-Resumable", TUS_VERSION);
        if (s.storedSize() != null) {
            // The CLI puts it in its manifest as file_size_receipt (the official backend's size from storage).
            r.header("X-Capgo-Manifest-Size-Receipt", s.storedSize());
        }
        return r.build();
    }

    private String key() {
        return identity.getPrincipal().getName();
    }

    /** TUS: a request for another protocol version is 412, naming the one served. */
    private static void version(String resumable) {
        if (!TUS_VERSION.equals(resumable == null ? null : resumable.strip())) {
            throw new dev.updraft.server.web.ApiException(
                    412, "tus_version_unsupported", "Only Tus-Resumable: " + TUS_VERSION + " is served");
        }
    }
}
