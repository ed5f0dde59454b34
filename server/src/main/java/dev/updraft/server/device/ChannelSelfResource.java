package dev.updraft.server.device;

import dev.updraft.protocol.ChannelSelfAnswers;
import dev.updraft.protocol.ChannelSelfAnswers.ChannelChoice;
import dev.updraft.protocol.ChannelSelfAnswers.ChannelStatus;
import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.Platform;
import jakarta.annotation.security.PermitAll;
import dev.updraft.server.decision.AppSnapshot;
import dev.updraft.server.decision.ChannelView;
import dev.updraft.server.decision.UpdateDecision;
import dev.updraft.server.web.ApiException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code /channel_self}: the plugin's setChannel (POST), getChannel (PUT), listChannels (GET) and, for older plugins,
 * unsetChannel (DELETE). Errors are {@code {error, message}} without {@code kind}: the plugin would read a
 * {@code kind} key as a failed call.
 */
@Path("/channel_self")
@Tag(name = "Device API")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class ChannelSelfResource {
    static final int MAX_BODY = 16 * 1024;

    @Inject
    DeviceGate gate;
    @Inject
    ChannelSelfLimiter limiter;
    @Inject
    ChannelSelfService service;
    @Inject
    DeviceSeenRecorder devices;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "setChannel: the device chooses a channel that allows self-assignment")
    public Response set(byte[] body, @Context HttpServerRequest http) {
        InfoObject info = gate.parse(body, MAX_BODY);
        Platform platform = DeviceRequests.requireIdentity(info);
        if (info.channel() == null || info.channel().isEmpty()) {
            throw ApiException.badRequest("missing_channel", "The field 'channel' is required");
        }
        limiter.acquire(info.appId(), info.deviceId(), "set");
        AppSnapshot app = gate.app(info.appId(), http);
        devices.seen(app.appPk(), info);
        AppSnapshot.Override current = app.override(info.deviceId());
        if (current != null && current.admin()) {
            throw ChannelSelfService.cannotOverride();
        }
        ChannelView channel = app.channel(info.channel());
        if (channel == null) {
            throw channelNotFound();
        }
        if (channel == app.publicDefault(platform)) {
            // Choosing the public default: forget the choice, and tell the plugin to drop its stored channel.
            if (service.forget(app.appPk(), info.deviceId())) {
                gate.store().reload(app.appId());
            }
            return json(ChannelSelfAnswers.unset());
        }
        if (!channel.allowDeviceSelfSet()) {
            throw ApiException.badRequest("channel_self_set_not_allowed", "This channel does not allow devices to choose it");
        }
        service.choose(app.appPk(), info.deviceId(), channel.id());
        gate.store().reload(app.appId());
        return json(ChannelSelfAnswers.ok());
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "getChannel: the channel that serves this device")
    public Response get(byte[] body, @Context HttpServerRequest http) {
        InfoObject info = gate.parse(body, MAX_BODY);
        Platform platform = DeviceRequests.requireIdentity(info);
        limiter.acquire(info.appId(), info.deviceId(), "get");
        AppSnapshot app = gate.app(info.appId(), http);
        devices.seen(app.appPk(), info);
        UpdateDecision.Selection sel = UpdateDecision.selectChannel(app, info.deviceId(), platform, info.defaultChannel());
        if (sel == null) {
            throw channelNotFound();
        }
        AppSnapshot.Override o = sel.override();
        boolean allowSet = (o == null || !o.admin()) && sel.channel().allowDeviceSelfSet();
        return json(ChannelSelfAnswers.channel(sel.channel().name(), o != null ? ChannelStatus.OVERRIDE : ChannelStatus.DEFAULT, allowSet));
    }

    @GET
    @Operation(summary = "listChannels: the channels this device may choose (info object as query parameters)")
    public Response list(@Context UriInfo uri, @Context HttpServerRequest http) {
        Map<String, String> q = new HashMap<>();
        uri.getQueryParameters().forEach((k, v) -> q.put(k, v.isEmpty() ? null : v.get(0)));
        InfoObject info = DeviceGate.fromQuery(q);
        Platform platform = DeviceRequests.requireIdentity(info);
        limiter.acquire(info.appId(), info.deviceId(), "list");
        AppSnapshot app = gate.app(info.appId(), http);
        devices.seen(app.appPk(), info);
        ChannelView publicDefault = app.publicDefault(platform);
        return json(ChannelSelfAnswers.list(app.channels().stream()
                .filter(c -> c.serves(platform) && (c.allowDeviceSelfSet() || c == publicDefault))
                .map(c -> new ChannelChoice(c.id(), c.name(), c.isPublic(), c.allowDeviceSelfSet()))
                .toList()));
    }

    @DELETE
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "unsetChannel (plugins before 8): forget the device's own channel choice")
    public Response unset(byte[] body, @Context HttpServerRequest http) {
        InfoObject info = gate.parse(body, MAX_BODY);
        DeviceRequests.requireIdentity(info);
        limiter.acquire(info.appId(), info.deviceId(), "unset");
        AppSnapshot app = gate.app(info.appId(), http);
        devices.seen(app.appPk(), info);
        if (service.forget(app.appPk(), info.deviceId())) {
            gate.store().reload(app.appId());
        }
        return json(ChannelSelfAnswers.ok());
    }

    private static Response json(byte[] body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static ApiException channelNotFound() {
        return ApiException.badRequest("channel_not_found", "No such channel for this app and device");
    }
}
