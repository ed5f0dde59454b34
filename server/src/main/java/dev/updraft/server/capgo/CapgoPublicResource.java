package dev.updraft.server.capgo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What the Capgo CLI asks without a key (docs/protocol.md, "The Capgo CLI"): its upload settings and remote config,
 * and its usage events, which are accepted and dropped (Updraft sends nobody telemetry).
 */
@Path("/functions/v1/private")
@Tag(name = "Capgo CLI")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class CapgoPublicResource {
    /** No remote config: the CLI's defaults hold. */
    @GET
    @Path("/config")
    public ObjectNode config() {
        return CapgoRows.object();
    }

    @POST
    @Path("/events")
    public ObjectNode events() {
        return CapgoFunctionsResource.ok();
    }
}
