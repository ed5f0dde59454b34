package dev.updraft.server.device;

import dev.updraft.protocol.ChannelSelfAnswers;
import dev.updraft.protocol.ChannelSelfAnswers.ChannelChoice;
import dev.updraft.protocol.ChannelSelfAnswers.ChannelStatus;
import dev.updraft.protocol.DeviceApiRules;
import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.Platform;
import dev.updraft.protocol.PluginCapabilities;
import dev.updraft.server.decision.AppSnapshot;
import dev.updraft.server.decision.ChannelView;
import dev.updraft.server.decision.UpdateDecision;
import dev.updraft.server.web.ApiException;
import jakarta.annotation.security.PermitAll;
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
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /channel_self} (docs/protocol.md §4): the plugin's setChannel (POST), getChannel (PUT), listChannels (GET) and,
 * for older plugins, unsetChannel (DELETE). Where the choice lives depends on the plugin: from 5.34 / 6.34 / 7.34 / 8.0
 * the device keeps it and sends it back as {@code defaultChannel}, so the server validates and stores nothing; older
 * plugins rely on the server to store it. Errors are {@code {error, message}} without {@code kind}: the plugin would
 * read a {@code kind} key as a failed call.
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
    public Response set(byte[] body) {
        InfoObject info = gate.parse(body, MAX_BODY, DeviceApiRules.CHANNEL_SELF);
        if (info.channel() == null || info.channel().isEmpty()) {
            throw ApiException.badRequest(ChannelSelfAnswers.MISSING_CHANNEL, "The field 'channel' is required");
        }
        PluginCapabilities plugin = DeviceApiRules.pluginOf(info);
        limiter.acquire(info.appId(), info.deviceId(), "set");
        AppSnapshot app = gate.app(info.appId());
        limiter.acquireSet(info.appId(), info.deviceId(), info.channel());
        devices.seen(app.appPk(), info);
        AppSnapshot.Override current = app.override(info.deviceId());
        if (current != null && current.admin()) {
            throw ChannelSelfService.cannotOverride();
        }
        ChannelView channel = app.channel(info.channel());
        if (channel == null) {
            throw channelNotFound();
        }
        if (channel.isPublic()) {
            if (!channel.allowDeviceSelfSet()) {
                throw ApiException.badRequest(
                        ChannelSelfAnswers.PUBLIC_CHANNEL_SELF_SET_NOT_ALLOWED,
                        "This public channel does not allow devices to choose it");
            }
            // Back to a public channel: the device forgets its choice (unset), and so does the server for the plugins
            // whose choice it stores.
            if (!plugin.channelKeptOnDevice()) {
                service.forget(app.appId(), app.appPk(), info.deviceId());
            }
            return json(ChannelSelfAnswers.unset());
        }
        if (!channel.allowDeviceSelfSet()) {
            throw ApiException.badRequest(
                    ChannelSelfAnswers.CHANNEL_SELF_SET_NOT_ALLOWED,
                    "This channel does not allow devices to choose it");
        }
        if (!plugin.channelKeptOnDevice()) {
            service.choose(app.appId(), app.appPk(), info.deviceId(), channel.id());
        }
        return json(ChannelSelfAnswers.ok());
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "getChannel: the channel that serves this device")
    public Response get(byte[] body) {
        InfoObject info = gate.parse(body, MAX_BODY, DeviceApiRules.CHANNEL_SELF);
        Platform platform = DeviceRequests.platform(info);
        limiter.acquire(info.appId(), info.deviceId(), "get");
        AppSnapshot app = gate.app(info.appId());
        devices.seen(app.appPk(), info);
        AppSnapshot.Override stored = UpdateDecision.storedChoice(app, info.deviceId(), DeviceApiRules.pluginOf(info));
        if (stored != null) {
            return json(ChannelSelfAnswers.channel(
                    stored.channel().name(),
                    ChannelStatus.OVERRIDE,
                    !stored.admin() && stored.channel().allowDeviceSelfSet()));
        }
        // The device's defaultChannel, if the app has it, is echoed as it is (even if it does not serve the platform:
        // the update check then answers no_channel); otherwise the public channel of the platform.
        ChannelView named =
                info.defaultChannel() == null || info.defaultChannel().isEmpty()
                        ? null
                        : app.channel(info.defaultChannel());
        ChannelView channel = named != null ? named : app.publicDefault(platform);
        if (channel == null) {
            throw channelNotFound();
        }
        return json(ChannelSelfAnswers.channel(channel.name(), ChannelStatus.DEFAULT, channel.allowDeviceSelfSet()));
    }

    @GET
    @Operation(summary = "listChannels: the channels this device may choose (info object as query parameters)")
    public Response list(@Context UriInfo uri) {
        Map<String, String> q = new HashMap<>();
        uri.getQueryParameters().forEach((k, v) -> q.put(k, v.isEmpty() ? null : v.get(0)));
        InfoObject info = DeviceGate.fromQuery(q, DeviceApiRules.CHANNEL_SELF);
        Platform platform = DeviceRequests.platform(info);
        limiter.acquire(info.appId(), info.deviceId(), "list");
        AppSnapshot app = gate.app(info.appId());
        devices.seen(app.appPk(), info);
        boolean emulator = Boolean.TRUE.equals(info.isEmulator());
        boolean prod = !Boolean.FALSE.equals(info.isProd());
        return json(ChannelSelfAnswers.list(app.channels().stream()
                .filter(c -> c.allowDeviceSelfSet() && c.serves(platform) && c.servesKind(emulator, prod))
                .map(c -> new ChannelChoice(c.id(), c.name(), c.isPublic(), c.allowDeviceSelfSet()))
                .toList()));
    }

    @DELETE
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "unsetChannel (plugins before 8): forget the device's own channel choice")
    public Response unset(byte[] body) {
        InfoObject info = gate.parse(body, MAX_BODY, DeviceApiRules.CHANNEL_SELF);
        limiter.acquire(info.appId(), info.deviceId(), "unset");
        AppSnapshot app = gate.app(info.appId());
        devices.seen(app.appPk(), info);
        if (!DeviceApiRules.pluginOf(info).channelKeptOnDevice()) {
            service.forget(app.appId(), app.appPk(), info.deviceId());
        }
        return json(ChannelSelfAnswers.ok());
    }

    private static Response json(byte[] body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static ApiException channelNotFound() {
        return ApiException.badRequest(ChannelSelfAnswers.CHANNEL_NOT_FOUND, "No such channel for this app and device");
    }
}
