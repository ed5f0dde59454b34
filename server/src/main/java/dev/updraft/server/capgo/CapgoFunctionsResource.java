package dev.updraft.server.capgo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.server.security.AdminRole;
import dev.updraft.server.storage.ServerBase;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The Capgo CLI's function endpoints ({@code localApi} = {@code <base>/functions/v1}), behind the admin keys (the
 * {@code capgkey} header): apps, channels, bundles and the upload link (docs/protocol.md, "The Capgo CLI").
 */
@Path("/functions/v1")
@Tag(name = "Capgo CLI")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminRole.ADMIN)
public class CapgoFunctionsResource {
    @Inject
    CapgoTables tables;

    @Inject
    CapgoUploads uploads;

    @Inject
    ServerBase base;

    @GET
    @Path("/app/{app_id}")
    public ObjectNode app(@PathParam("app_id") String appId) {
        return tables.app(appId);
    }

    /** All apps on page 0; later pages are empty (the CLI stops at an empty page). */
    @GET
    @Path("/app")
    public ArrayNode apps(@QueryParam("page") int page) {
        return page > 0 ? tables.apps().removeAll() : tables.apps();
    }

    @POST
    @Path("/app")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode createApp(JsonNode body) {
        return tables.createApp(body);
    }

    @POST
    @Path("/files/upload_link")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode uploadLink(JsonNode body, UriInfo uri) {
        ObjectNode answer = CapgoRows.object();
        answer.put(
                "url",
                uploads.uploadLink(
                        CapgoTables.required(body, "app_id"), CapgoTables.required(body, "name"), base.of(uri)));
        return answer;
    }

    @GET
    @Path("/channel")
    public ArrayNode channels(@QueryParam("app_id") String appId, @QueryParam("page") int page) {
        return page > 0 ? CapgoRows.object().arrayNode() : tables.channels(appId, null, true);
    }

    @POST
    @Path("/channel")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode putChannel(JsonNode body) {
        return tables.putChannel(body);
    }

    @DELETE
    @Path("/channel")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode deleteChannel(JsonNode body) {
        tables.deleteChannel(body);
        return ok();
    }

    @GET
    @Path("/bundle")
    public ArrayNode bundles(@QueryParam("app_id") String appId, @QueryParam("page") int page) {
        return page > 0 ? CapgoRows.object().arrayNode() : tables.versions(appId);
    }

    @PUT
    @Path("/bundle")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode linkChannel(JsonNode body) {
        tables.linkChannel(body);
        return ok();
    }

    @DELETE
    @Path("/bundle")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode deleteBundle(JsonNode body) {
        tables.deleteBundle(body);
        return ok();
    }

    static ObjectNode ok() {
        ObjectNode n = CapgoRows.object();
        n.put("status", "ok");
        return n;
    }
}
