package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.server.decision.DownloadUrls;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.security.AdminRole;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/apps} (docs/admin-api.md, "Apps"). */
@Path("/api/v1/apps")
@Tag(name = "Admin: apps")
@SecurityRequirement(name = "adminApiKey")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(AdminRole.ADMIN)
public class AppsResource {
    static final Set<String> FIELDS = Set.of(
            "app_id", "name", "expose_metadata", "default_key_id", "download_url_mode", "presigned_url_ttl_seconds");
    private static final Set<String> PATCH_FIELDS =
            Set.of("name", "expose_metadata", "default_key_id", "download_url_mode", "presigned_url_ttl_seconds");

    @Inject
    AppAdmin apps;

    @Inject
    ObjectMapper mapper;

    @Inject
    Paging paging;

    @GET
    public Page<Dtos.App> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return apps.list(paging.request("apps", limit, cursor, Paging.Key.TEXT));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String json) {
        return Response.status(201)
                .entity(create(apps, Body.parse(mapper, json, FIELDS)))
                .build();
    }

    /** Validates an {@code AppIn} and creates the app (also for the Capgo surface, through AdminCommands). */
    static Dtos.App create(AppAdmin apps, Body body) {
        String appId = body.string("app_id", true);
        String name = body.string("name", false);
        boolean exposeMetadata = body.bool("expose_metadata", false);
        String defaultKeyId = body.string("default_key_id", false);
        AppAdmin.validateAppId(body, appId);
        AppAdmin.validateDefaultKeyId(body, defaultKeyId);
        checkName(body, name);
        AppAdmin.DownloadUrlSettings urls = downloadUrls(body);
        body.throwIfProblems();
        return apps.create(appId, name, exposeMetadata, defaultKeyId, urls);
    }

    @GET
    @Path("/{app_id}")
    public Dtos.App get(@PathParam("app_id") String appId) {
        return apps.get(appId);
    }

    /**
     * Changes {@code name}, {@code expose_metadata} (whether update answers carry the bundles' link and comment),
     * {@code default_key_id} (which key's variant devices with an unknown key get), {@code download_url_mode} and
     * {@code presigned_url_ttl_seconds}.
     */
    @PATCH
    @Path("/{app_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Dtos.App patch(@PathParam("app_id") String appId, String json) {
        Body body = Body.parse(mapper, json, PATCH_FIELDS);
        String name = body.string("name", false);
        Boolean exposeMetadata = body.has("expose_metadata") ? body.bool("expose_metadata", false) : null;
        // JSON null clears it, like ""
        String defaultKeyId = body.has("default_key_id") ? body.string("default_key_id", false) : null;
        if (body.has("default_key_id") && defaultKeyId == null) {
            defaultKeyId = "";
        }
        AppAdmin.validateDefaultKeyId(body, defaultKeyId);
        checkName(body, name);
        AppAdmin.DownloadUrlSettings urls = downloadUrls(body);
        body.throwIfProblems();
        Dtos.App app = apps.patch(appId, name, exposeMetadata, defaultKeyId, urls);
        return app;
    }

    /** {@code download_url_mode} ({@code public} or {@code presigned}) and {@code presigned_url_ttl_seconds}, as given. */
    private static AppAdmin.DownloadUrlSettings downloadUrls(Body body) {
        String mode = body.string("download_url_mode", false);
        if (mode != null && !mode.equals(AppEntity.PUBLIC) && !mode.equals(AppEntity.PRESIGNED)) {
            body.problem("download_url_mode", "must be public or presigned");
        }
        Integer ttl = body.has("presigned_url_ttl_seconds")
                ? body.integer("presigned_url_ttl_seconds", 1, (int) DownloadUrls.MAX_LIFETIME.toSeconds(), 0)
                : null;
        return new AppAdmin.DownloadUrlSettings(mode, ttl);
    }

    private static void checkName(Body body, String name) {
        if (name != null && name.length() > 255) {
            body.problem("name", "is longer than 255 characters");
        }
    }

    @DELETE
    @Path("/{app_id}")
    public Response delete(@PathParam("app_id") String appId) {
        apps.delete(appId);
        return Response.noContent().build();
    }
}
