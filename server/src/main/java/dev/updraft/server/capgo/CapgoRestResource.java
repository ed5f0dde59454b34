package dev.updraft.server.capgo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.updraft.server.security.AdminRole;
import dev.updraft.server.storage.ServerBase;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The PostgREST-style part the Capgo CLI calls ({@code localSupa} = the server's base URL), behind the admin keys:
 * its remote procedures, the channels it reads and the version it upserts (docs/protocol.md, "The Capgo CLI").
 */
@Path("/rest/v1")
@Tag(name = "Capgo CLI")
@Produces({MediaType.APPLICATION_JSON, CapgoRestResource.SINGLE})
@RolesAllowed(AdminRole.ADMIN)
public class CapgoRestResource {
    /** PostgREST's media type for "exactly one row, as an object". */
    static final String SINGLE = "application/vnd.pgrst.object+json";

    @Inject
    CapgoProcedures procedures;

    @Inject
    CapgoTables tables;

    @Inject
    CapgoUploads uploads;

    @Inject
    ServerBase base;

    @Inject
    SecurityIdentity identity;

    @POST
    @Path("/rpc/{rpc}")
    public Response rpc(@PathParam("rpc") String rpc, String body) {
        return json(procedures.call(rpc, body, identity.getPrincipal().getName()));
    }

    /**
     * {@code GET /rest/v1/channels?app_id=eq.<id>[&name=eq.<name>]&select=...}: a select that embeds
     * {@code version(...)} or {@code version:app_versions...} gets the bundle row, any other the bundle's id.
     */
    @GET
    @Path("/channels")
    public Response channels(
            @QueryParam("app_id") String appId,
            @QueryParam("name") String name,
            @QueryParam("select") String select,
            @HeaderParam("Accept") String accept) {
        boolean embed = select != null && (select.contains("version(") || select.contains("version:"));
        ArrayNode rows = tables.channels(eq(appId), eq(name), embed);
        if (accept != null && accept.contains(SINGLE)) {
            if (rows.size() != 1) {
                return Response.status(406)
                        .type(MediaType.APPLICATION_JSON)
                        .entity(CapgoProcedures.noRows())
                        .build();
            }
            return json(rows.get(0));
        }
        return json(rows);
    }

    /** {@code POST /rest/v1/app_versions?on_conflict=name,app_id}: the version upsert ({@link CapgoUploads}). */
    @POST
    @Path("/app_versions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response upsertVersion(JsonNode body, UriInfo uri) {
        return Response.status(201)
                .type(MediaType.APPLICATION_JSON)
                .entity(CapgoRows.object().arrayNode().add(uploads.upsert(body, base.of(uri))))
                .build();
    }

    private static Response json(Object entity) {
        return Response.ok(entity, MediaType.APPLICATION_JSON).build();
    }

    /** PostgREST's {@code eq.<value>} filter; anything else filters nothing. */
    private static String eq(String filter) {
        return filter != null && filter.startsWith("eq.") ? filter.substring(3) : null;
    }
}
