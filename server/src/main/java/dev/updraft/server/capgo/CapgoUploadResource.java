package dev.updraft.server.capgo;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code PUT /capgo/uploads/{token}}: where the upload link sends the Capgo CLI's zip. No admin key (the CLI sends
 * none here, like to a presigned URL): the token is the credential, random, stored only hashed, good for one upload
 * of one pending version (CapgoUploads).
 */
@Path("/capgo/uploads/{token}")
@Tag(name = "Capgo CLI")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class CapgoUploadResource {
    @Inject
    CapgoUploads uploads;

    @PUT
    @jakarta.ws.rs.Consumes(MediaType.WILDCARD)
    public Response put(@PathParam("token") String token, InputStream zip) throws IOException {
        uploads.receive(token, zip);
        return Response.ok(CapgoFunctionsResource.ok()).build();
    }
}
