package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.server.security.AdminRole;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/apps/{app_id}/webhook} (docs/admin-api.md, "Webhooks"). */
@Path("/api/v1/apps/{app_id}/webhook")
@Tag(name = "Admin: webhooks")
@SecurityRequirement(name = "adminApiKey")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminRole.ADMIN)
public class WebhooksResource {
    @Inject
    WebhookAdmin webhooks;

    @Inject
    ObjectMapper mapper;

    @Inject
    Paging paging;

    /** Sets or replaces the webhook; the answer holds the secret, the only one that does. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response set(@PathParam("app_id") String appId, String json) {
        WebhookAdmin.Webhook w = webhooks.set(appId, Body.parse(mapper, json, WebhookAdmin.FIELDS));
        return Response.ok(w).header("Cache-Control", "no-store").build();
    }

    @GET
    public WebhookAdmin.Webhook get(@PathParam("app_id") String appId) {
        return webhooks.get(appId);
    }

    @DELETE
    public Response remove(@PathParam("app_id") String appId) {
        webhooks.remove(appId);
        return Response.noContent().build();
    }

    @GET
    @Path("/deliveries")
    public Page<WebhookAdmin.Delivery> deliveries(
            @PathParam("app_id") String appId, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return webhooks.deliveries(appId, paging.request("webhook-deliveries", limit, cursor, Paging.Key.NUMBER));
    }
}
