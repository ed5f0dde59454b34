package dev.updraft.server.device;

import dev.updraft.protocol.StatsAnswers;
import dev.updraft.protocol.StatsEvent;
import jakarta.annotation.security.PermitAll;
import dev.updraft.server.decision.AppSnapshot;
import dev.updraft.server.web.ApiException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * {@code POST /stats}: the plugin's event reports. Answers {@code {"status":"ok"}} only once the events are stored
 * (one transaction per request). 4xx only for input that can never succeed, since the plugin drops a batch on 4xx
 * and retries on 408, 429 and 5xx.
 */
@Path("/stats")
@Tag(name = "Device API")
@PermitAll
public class StatsResource {
    static final int MAX_BODY = 2 * 1024 * 1024;

    @Inject
    DeviceGate gate;
    @Inject
    StatsService stats;
    @Inject
    DeviceSeenRecorder devices;
    @Inject
    DeviceMetrics metrics;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stats events (plugin wire protocol)", description = "Body: a JSON array of events or one event object.")
    public Response post(byte[] body, @Context HttpServerRequest http) {
        List<StatsEvent> events = DeviceGate.parseStats(body, MAX_BODY);
        if (events.isEmpty()) {
            return ok();
        }
        String appId = events.get(0).info().appId();
        for (StatsEvent e : events) {
            if (!appId.equals(e.info().appId())) {
                throw ApiException.badRequest("mixed_app_ids", "All events of a batch must have the same app_id");
            }
        }
        AppSnapshot app = gate.app(appId, http);
        stats.store(app.appPk(), events);
        metrics.statsStored(events.size());
        // An event's version_name is not always the running bundle (downloads report their target): not recorded.
        events.forEach(e -> devices.seen(app.appPk(), e.info(), null));
        return ok();
    }

    private static Response ok() {
        return Response.ok(StatsAnswers.ok(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
