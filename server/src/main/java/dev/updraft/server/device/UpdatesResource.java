package dev.updraft.server.device;

import dev.updraft.protocol.DeviceApiRules;
import dev.updraft.protocol.GzipBody;
import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.ManifestSize;
import dev.updraft.protocol.ProtocolException;
import dev.updraft.server.decision.AppSnapshot;
import dev.updraft.server.decision.ManifestSizing;
import dev.updraft.server.decision.Outcome;
import dev.updraft.server.decision.UpdateAnswer;
import dev.updraft.server.decision.UpdateDecision;
import dev.updraft.server.decision.UpdateRequest;
import dev.updraft.server.storage.s3.PresignedAnswers;
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
 * {@code POST /updates}: the plugin's update check (docs/protocol.md §2). Thin on purpose: check the schema, look the
 * app up in the in-memory snapshot, and let {@link UpdateDecision} decide. Runs on the I/O thread: no database, no
 * blocking call (an app with presigned URLs signs them on a worker thread when its signed answer is due again).
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
    DeviceSeenRecorder devices;

    @Inject
    DeviceMetrics metrics;

    @Inject
    OfferRecorder offers;

    @Inject
    PresignedAnswers presigned;

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
        InfoObject info = gate.parse(body, MAX_BODY, DeviceApiRules.UPDATES);
        UpdateRequest request = DeviceRequests.toUpdateRequest(info);
        AppSnapshot app = gate.app(request.appId());
        UpdateAnswer answer = UpdateDecision.decide(request, app);
        metrics.decided(answer.outcome());
        devices.seen(app.appPk(), info);
        if (answer.outcome() != Outcome.UPDATE) {
            return Uni.createFrom()
                    .item(Response.ok(answer.toJson(), MediaType.APPLICATION_JSON_TYPE)
                            .build());
        }
        offers.offered(
                app.appPk(),
                request.deviceId(),
                answer.bundle().version(),
                answer.channel(),
                answer.rollout() == null ? null : answer.rollout().id());
        boolean gzip = Gzip.accepted(acceptEncoding);
        if (app.downloadUrls().presigned()) {
            // Signed after the decision; reused for half the URLs' lifetime, signed again on a worker thread after
            // that (the AWS credentials chain may block), docs/operations.md "S3 storage".
            PresignedAnswers.Signed fresh = presigned.fresh(answer);
            if (fresh != null) {
                return Uni.createFrom().item(json(fresh.json(), gzip ? fresh.gzip() : null));
            }
            return Uni.createFrom()
                    .item(() -> presigned.sign(app, answer))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .map(signed -> json(signed.json(), gzip ? signed.gzip() : null));
        }
        // A manifest answer (3,000 files: about a megabyte) goes gzip-compressed to clients that accept it; compressed
        // once per bundle and snapshot, not per request (docs/protocol.md §7.3).
        return Uni.createFrom()
                .item(json(answer.updateJson(), gzip ? answer.bundle().gzipped(answer.updateJson()) : null));
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
