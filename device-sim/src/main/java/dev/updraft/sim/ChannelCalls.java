package dev.updraft.sim;

import dev.updraft.protocol.InfoObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The channel calls of §4 ({@code setChannel}, {@code getChannel}, {@code listChannels}, {@code unsetChannel}) and
 * the channel the device sends as {@code defaultChannel}. Where the device keeps its choice is gate "channel
 * storage" of {@link PluginBehaviour}.
 */
final class ChannelCalls {
    private final DeviceConfig config;
    private final PluginBehaviour plugin;
    private final DeviceState state;
    private final DeviceHttp http;
    private final RateLimitGuard rateLimit;
    private final SimClock clock;
    private final DeviceLog log;
    private DeviceStats stats;
    private Supplier<InfoObject> info;

    ChannelCalls(
            DeviceConfig config,
            DeviceState state,
            DeviceHttp http,
            RateLimitGuard rateLimit,
            SimClock clock,
            DeviceLog log) {
        this.config = config;
        this.plugin = config.plugin();
        this.state = state;
        this.http = http;
        this.rateLimit = rateLimit;
        this.clock = clock;
        this.log = log;
    }

    /** The info object the calls send and the stats that see their answers (§1.5); set once, at start. */
    void connect(Supplier<InfoObject> infoObject, DeviceStats deviceStats) {
        this.info = infoObject;
        this.stats = deviceStats;
    }

    /**
     * {@code defaultChannel} (§1.4): the channel kept by setChannel/getChannel, else the config's. A plugin that relies
     * on the server's store (gate "channel storage") keeps none and sends the config's.
     */
    String effectiveDefaultChannel() {
        String persisted = plugin.keepsChannelOnDevice() ? state.get(DeviceState.KEY_DEFAULT_CHANNEL) : null;
        return persisted != null ? persisted : config.defaultChannel();
    }

    /** POST {@code {channel}}; on success the choice is kept on the device unless the plugin relies on the server. */
    ChannelResult set(String channel) {
        ChannelResult r =
                call(HttpMethod.POST, info.get().withChannel(channel).toJson(), "application/json; charset=utf-8");
        if (r.ok()) {
            if (!plugin.keepsChannelOnDevice()) {
                log.add("setChannel " + channel + ": stored by the server (this plugin keeps no channel)");
            } else if (Boolean.TRUE.equals(r.body().getValue("unset"))) {
                state.put(DeviceState.KEY_DEFAULT_CHANNEL, null); // back to the config defaultChannel
            } else {
                state.put(DeviceState.KEY_DEFAULT_CHANNEL, channel);
            }
        } else if (r.error() != null
                && (r.error().contains("cannot_update_via_private_channel")
                        || r.error().contains("channel_self_set_not_allowed"))) {
            log.add("channelPrivate event: " + channel + " (" + r.message() + ")");
        }
        return r;
    }

    /** PUT; the answer's channel is kept unless empty or {@code builtin}, or unless the plugin relies on the server. */
    ChannelResult get() {
        ChannelResult r = call(HttpMethod.PUT, info.get().toJson(), "application/json");
        if (!r.ok()
                && r.httpStatus() == 400
                && String.valueOf(r.body().encode()).contains("channel_not_found")
                && !effectiveDefaultChannel().isEmpty()) {
            // the plugin answers with its local channel itself
            return ChannelResult.ok(
                    400,
                    new JsonObject().put("channel", effectiveDefaultChannel()).put("status", "default"));
        }
        if (r.ok() && plugin.keepsChannelOnDevice()) {
            String ch = r.channel();
            if (ch != null && !ch.isEmpty() && !ch.equals("builtin")) {
                state.put(DeviceState.KEY_DEFAULT_CHANNEL, ch);
            }
        }
        return r;
    }

    /** GET with the info object as query parameters; a JSON array whose ids are numbers. */
    ChannelResult list() {
        ChannelResult local = precheck();
        if (local != null) {
            return local;
        }
        ApiResponse r = http.call(
                HttpMethod.GET,
                config.channelUrl(),
                info.get().toQuery(),
                null,
                DeviceHttp.jsonHeaders(config, null),
                config.responseTimeoutSeconds() * 1000L);
        stats.onAnswer(r);
        if (r.isTransportError()) {
            return ChannelResult.error("network_error", String.valueOf(r.failure()), 0, null);
        }
        Object json = r.json();
        if (json instanceof JsonObject o && o.containsKey("error")) {
            return ChannelResult.error(String.valueOf(o.getValue("error")), o.getString("message", ""), r.status(), o);
        }
        if (!r.is2xx()) {
            return ChannelResult.error("response_error", "Server error: " + r.status(), r.status(), null);
        }
        if (!(json instanceof JsonArray a)) {
            return ChannelResult.error("parse_error", "listChannels expects a JSON array", r.status(), null);
        }
        List<ChannelResult.Channel> channels = new ArrayList<>();
        for (Object item : a) {
            if (!(item instanceof JsonObject c) || !(c.getValue("id") instanceof Number id)) {
                return ChannelResult.error("parse_error", "each channel needs a numeric id", r.status(), null);
            }
            channels.add(new ChannelResult.Channel(
                    id.longValue(),
                    c.getString("name", ""),
                    Boolean.TRUE.equals(c.getValue("public")),
                    Boolean.TRUE.equals(c.getValue("allow_self_set"))));
        }
        return ChannelResult.list(r.status(), channels);
    }

    /** Local for a plugin that keeps its channel; {@code DELETE} with the info object for one that relies on the server. */
    ChannelResult unset() {
        if (plugin.keepsChannelOnDevice()) {
            state.put(DeviceState.KEY_DEFAULT_CHANNEL, null);
            return ChannelResult.ok(0, new JsonObject().put("status", "ok"));
        }
        return call(HttpMethod.DELETE, info.get().toJson(), "application/json; charset=utf-8");
    }

    /** Whether {@link #unset()} goes over the network. */
    boolean unsetIsRemote() {
        return !plugin.keepsChannelOnDevice();
    }

    /**
     * POST/PUT/DELETE with the same classification as the update check (§4: {@code makeJsonRequest}); a {@code kind}
     * key is an error for POST and DELETE (setChannel's request), not for PUT.
     */
    private ChannelResult call(HttpMethod method, byte[] body, String contentType) {
        ChannelResult local = precheck();
        if (local != null) {
            return local;
        }
        ApiResponse r = http.call(
                method,
                config.channelUrl(),
                null,
                Buffer.buffer(body),
                DeviceHttp.jsonHeaders(config, contentType),
                config.responseTimeoutSeconds() * 1000L);
        stats.onAnswer(r);
        if (r.isTransportError()) {
            return ChannelResult.error("network_error", String.valueOf(r.failure()), 0, null);
        }
        JsonObject o = r.jsonObject();
        boolean errorClass =
                o != null && (o.containsKey("error") || (method != HttpMethod.PUT && o.containsKey("kind")));
        if (errorClass) {
            return ChannelResult.error(
                    String.valueOf(o.getValue("error")),
                    o.getValue("message") == null ? "" : String.valueOf(o.getValue("message")),
                    r.status(),
                    o);
        }
        if (!r.is2xx()) {
            return ChannelResult.error("response_error", "Server error: " + r.status(), r.status(), o);
        }
        if (o == null) {
            return ChannelResult.error("parse_error", "the answer is not a JSON object", r.status(), null);
        }
        return ChannelResult.ok(r.status(), o);
    }

    private ChannelResult precheck() {
        if (config.channelUrl().isEmpty()) {
            return ChannelResult.error("missing_config", "channelUrl is not set", 0, null);
        }
        if (rateLimit.isBlocked(clock.nowMillis())) {
            return ChannelResult.error(rateLimit.error(), rateLimit.message(), 0, null);
        }
        return null;
    }
}
