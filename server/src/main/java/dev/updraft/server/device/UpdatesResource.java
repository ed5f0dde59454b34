package dev.updraft.server.device;

import dev.updraft.protocol.DeviceApiRules;
import dev.updraft.protocol.InfoObject;
import jakarta.annotation.security.PermitAll;
import dev.updraft.server.decision.AppSnapshot;
import dev.updraft.server.decision.UpdateAnswer;
import dev.updraft.server.decision.Outcome;
import dev.updraft.server.decision.UpdateDecision;
import dev.updraft.server.decision.UpdateRequest;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /updates}: the plugin's update check (docs/protocol.md §2). Thin on purpose: check the schema, look the
 * app up in the in-memory snapshot, and let {@link UpdateDecision} decide. Runs on the I/O thread: no database, no
 * blocking call.
 */
@Path("/updates")
@Tag(name = "Device API")
@PermitAll
public class UpdatesResource {
    static final int MAX_BODY = 16 * 1024;

    @Inject
    DeviceGate gate;
    @Inject
    DeviceSeenRecorder devices;
    @Inject
    DeviceMetrics metrics;
    @Inject
    OfferRecorder offers;

    @POST
    @NonBlocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Update check (plugin wire protocol)", description = "Body: the plugin's info object. "
            + "Answers 200 with an update {version, url, session_key, checksum, ...}, {\"version\":\"builtin\"}, "
            + "or {error, message, kind}; 400 for a body that fails the schema, 429 on_premise_app for an unknown app.")
    public Response check(byte[] body) {
        InfoObject info = gate.parse(body, MAX_BODY, DeviceApiRules.UPDATES);
        UpdateRequest request = DeviceRequests.toUpdateRequest(info);
        AppSnapshot app = gate.app(request.appId());
        UpdateAnswer answer = UpdateDecision.decide(request, app);
        metrics.decided(answer.outcome());
        devices.seen(app.appPk(), info);
        if (answer.outcome() == Outcome.UPDATE) {
            offers.offered(app.appPk(), request.deviceId(), answer.bundle().version(), answer.channel(),
                    answer.rollout() == null ? null : answer.rollout().id());
        }
        return Response.ok(answer.toJson(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Not an update check: answers {\"status\":\"ok\"}, as the Capgo cloud does")
    public Response get() {
        return Response.ok(dev.updraft.protocol.UpdateAnswer.getAnswerJson(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
