package dev.updraft.server.device;

import dev.updraft.protocol.DeviceApiRules;
import dev.updraft.protocol.GzipBody;
import dev.updraft.protocol.ManifestSize;
import dev.updraft.protocol.ProtocolException;
import dev.updraft.server.decision.AppSnapshot;
import dev.updraft.server.decision.ManifestSizing;
import dev.updraft.server.web.Gzip;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /updates}: the plugin's update check (docs/protocol.md §2), decided by {@link UpdateCheck}. A request
 * spelled exactly {@code POST /updates} that accepts JSON is answered by {@link UpdatesRoute} before JAX-RS, with the
 * same bytes (docs/architecture.md, "The update check's route"); this method answers the rest (a trailing slash, an
 * Accept header to negotiate) and is what the OpenAPI document describes.
 */
@Path("/updates")
@Tag(name = "Device API")
@PermitAll
public class UpdatesResource {
    static final int MAX_BODY = 16 * 1024;
    /** 10,000 entries with 512-hex signed hashes and long URLs. */
    static final int MAX_MANIFEST_SIZE_BODY = 12 * 1024 * 1024;

    @Inject
    DeviceGate gate;

    @Inject
    UpdateCheck updateCheck;

    @POST
    @NonBlocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Update check (plugin wire protocol)",
            description =
                    "Body: the plugin's info object. "
                            + "Answers 200 with an update {version, url, session_key, checksum, ...}, {\"version\":\"builtin\"}, "
                            + "or {error, message, kind}; 400 for a body that fails the schema, 429 on_premise_app for an unknown app.")
    public Uni<Response> check(byte[] body, @HeaderParam(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding) {
        UpdateCheck.Answer answer = updateCheck.answer(body, acceptEncoding);
        if (answer.later() != null) {
            return Uni.createFrom()
                    .item(answer.later())
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .map(UpdatesResource::response);
        }
        return Uni.createFrom().item(response(answer));
    }

    private static Response response(UpdateCheck.Answer answer) {
        Response.ResponseBuilder r = Response.ok(answer.body(), MediaType.APPLICATION_JSON_TYPE);
        if (answer.gzipped()) {
            r.header(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        if (answer.varies()) {
            r.header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
        }
        return r.build();
    }

    /**
     * {@code POST /updates/manifest_size} (docs/protocol.md §2.8): the bytes a device would download for the entries it
     * names. The same gate as the update check (schema, unknown app, JSON errors); on a worker thread, since a body
     * may name 10,000 files.
     */
    @POST
    @Path("/manifest_size")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Download size of manifest entries (plugin wire protocol)",
            description =
                    "Body: the plugin's info object "
                            + "plus version and manifest (the entries to size). Answers 200 {totalSize, knownFiles, unknownFiles, files:[{file_name, "
                            + "file_hash, download_url, size | error}]}; 400 for a body that fails the schema, 429 on_premise_app for an unknown app.")
    public Response manifestSize(byte[] body, @HeaderParam(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding) {
        DeviceGate.checkSize(body, MAX_MANIFEST_SIZE_BODY);
        ManifestSize.Request request;
        try {
            request = ManifestSize.Request.parse(body);
            DeviceRequests.checked(request.info(), DeviceApiRules.UPDATES);
        } catch (ProtocolException e) {
            throw DeviceRequests.badRequest(e);
        }
        AppSnapshot app = gate.app(request.info().appId());
        byte[] json = ManifestSizing.answer(app, request).toJson();
        return json(
                json,
                json.length >= GzipBody.MIN_BYTES && Gzip.accepted(acceptEncoding) ? GzipBody.compress(json) : null);
    }

    /** A JSON answer whose encoding depends on Accept-Encoding: gzip when {@code gzipped} is given, as is otherwise. */
    private static Response json(byte[] json, byte[] gzipped) {
        Response.ResponseBuilder r = gzipped == null
                ? Response.ok(json, MediaType.APPLICATION_JSON_TYPE)
                : Response.ok(gzipped, MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.CONTENT_ENCODING, "gzip");
        return r.header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING).build();
    }

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Not an update check: answers {\"status\":\"ok\"}, as the Capgo cloud does")
    public Response get() {
        return Response.ok(dev.updraft.protocol.UpdateAnswer.getAnswerJson(), MediaType.APPLICATION_JSON_TYPE)
                .build();
    }
}
