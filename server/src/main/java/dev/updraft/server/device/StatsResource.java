package dev.updraft.server.device;

import dev.updraft.protocol.StatsBatch;
import dev.updraft.protocol.StatsEvent;
import dev.updraft.server.decision.AppSnapshot;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /stats}: the plugin's event reports (docs/protocol.md §3). Each event is checked on its own; the valid
 * ones are stored in one transaction before the answer, which for a batch has one result per event. 4xx only for a
 * body that can never succeed, since the plugin drops a batch on 4xx and retries it on 408, 429 and 5xx; the budgets
 * ({@link StatsBudgets}) answer 429 to a device that sends too much and 503 to an overloaded app or address.
 */
@Path("/stats")
@Tag(name = "Device API")
@PermitAll
public class StatsResource {
    static final int MAX_BODY = 2 * 1024 * 1024;

    @Inject
    DeviceGate gate;

    @Inject
    StatsBudgets budgets;

    @Inject
    StatsService stats;

    @Inject
    DeviceSeenRecorder devices;

    @Inject
    DeviceMetrics metrics;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Stats events (plugin wire protocol)",
            description =
                    "Body: a JSON array of events or one event object. "
                            + "A batch is answered {status:\"ok\", results:[{status, index, error?}]}, one event {status:\"ok\"}.")
    public Response post(byte[] body, @Context HttpServerRequest http) {
        DeviceGate.checkSize(body, MAX_BODY);
        budgets.chargeAddress(DeviceGate.clientIp(http), body == null ? 0 : body.length);
        StatsBatch batch = DeviceGate.parseStats(body, MAX_BODY);
        List<StatsEvent> events = batch.events();
        if (!events.isEmpty()) {
            AppSnapshot app = gate.app(batch.appId().orElseThrow());
            budgets.chargeEvents(app.appPk(), events);
            stats.store(app.appPk(), events);
            metrics.statsStored(events.size());
            // The events that name the running bundle (set, reset, the current-bundle actions) refresh the device's
            // current version; the others (download progress, a target's failures) do not.
            for (StatsEvent e : events) {
                devices.seen(app.appPk(), e.info(), e.runningVersion().orElse(null));
            }
        }
        return Response.ok(batch.answer(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
