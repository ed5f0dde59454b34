package dev.updraft.sim;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The result of {@code setChannel}, {@code getChannel}, {@code listChannels} or {@code unsetChannel} (spec §4), as
 * the plugin would resolve or reject the JavaScript call.
 *
 * @param ok         resolved (true) or rejected (false)
 * @param error      the error code when rejected: the server's {@code error}, or a local one ({@code missing_config},
 *                   {@code network_error}, {@code response_error}, {@code parse_error}, {@code too_many_requests}, ...)
 * @param message    the message when rejected
 * @param httpStatus 0 when no request was made or no answer came
 * @param body       the answer's JSON object (empty for lists and local results)
 * @param channels   {@code listChannels} only: the channels offered
 */
public record ChannelResult(
        boolean ok, String error, String message, int httpStatus, JsonObject body, List<Channel> channels) {

    /** One entry of {@code listChannels}: {@code {id:number, name, public, allow_self_set}}. */
    public record Channel(long id, String name, boolean isPublic, boolean allowSelfSet) {}

    static ChannelResult ok(int status, JsonObject body) {
        return new ChannelResult(true, null, null, status, body, List.of());
    }

    static ChannelResult list(int status, List<Channel> channels) {
        return new ChannelResult(true, null, null, status, new JsonObject(), List.copyOf(channels));
    }

    static ChannelResult error(String error, String message, int status, JsonObject body) {
        return new ChannelResult(false, error, message, status, body == null ? new JsonObject() : body, List.of());
    }

    /** {@code channel} of the answer ({@code getChannel}). */
    public String channel() {
        return body.getValue("channel") instanceof String s ? s : null;
    }

    /** {@code status} of the answer ({@code "default"}/{@code "override"} for getChannel, {@code "ok"} for setChannel). */
    public String status() {
        return body.getValue("status") instanceof String s ? s : null;
    }
}
