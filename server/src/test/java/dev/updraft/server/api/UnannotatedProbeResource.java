package dev.updraft.server.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * A resource nobody annotated, present only in tests: deny-by-default must refuse it to anonymous callers (401) and
 * to admin keys alike (403), as it would a resource someone forgot to annotate.
 */
@Path("/test-only/unannotated")
public class UnannotatedProbeResource {
    @GET
    public String get() {
        return "served";
    }
}
