package dev.updraft.server.capgo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /functions/v1/files/config}, public: how the Capgo CLI should upload. One PUT of the whole zip (no TUS for
 * it), at most the HTTP body limit ({@code quarkus.http.limits.max-body-size}); with {@code --delta}, each file by TUS
 * in PATCHes of at most that limit (CapgoTus).
 */
@Path("/functions/v1/files/config")
@Tag(name = "Capgo CLI")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class CapgoFilesConfigResource {
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.http.limits.max-body-size")
    io.quarkus.runtime.configuration.MemorySize maxBody;

    @GET
    public ObjectNode config() {
        ObjectNode n = CapgoRows.object();
        // Delta (partial) uploads are served: one TUS upload per file (CapgoTus), never forced.
        n.put("partialUpload", true);
        n.put("partialUploadForced", false);
        n.put("TUSUpload", false);
        n.put("TUSUploadForced", false);
        n.put("maxUploadLength", maxBody.asLongValue());
        n.put("maxChunkSize", maxBody.asLongValue());
        n.put("alertUploadSize", Math.min(20L << 20, maxBody.asLongValue()));
        return n;
    }
}
