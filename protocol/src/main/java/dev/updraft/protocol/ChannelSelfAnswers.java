package dev.updraft.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The answers of {@code /channel_self} (docs/protocol.md §4). None has a {@code kind} key: setChannel
 * goes through the same reader as the update check, which would take any {@code kind} for an error.
 */
public final class ChannelSelfAnswers {
    private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] UNSET = "{\"status\":\"ok\",\"unset\":true}".getBytes(StandardCharsets.UTF_8);

    /** getChannel's {@code status}. */
    public enum ChannelStatus {
        /** The channel comes from the device's {@code defaultChannel} or is the public default. */
        DEFAULT("default"),
        /** An operator's choice, or (plugins that keep no channel themselves) the device's own stored choice. */
        OVERRIDE("override");

        private final String wire;

        ChannelStatus(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** One entry of listChannels: {@code {id, name, public, allow_self_set}}; {@code id} is a JSON number. */
    public record ChannelChoice(long id, String name, boolean isPublic, boolean allowSelfSet) {}

    /** setChannel without {@code channel}. */
    public static final String MISSING_CHANNEL = "missing_channel";
    /** No channel of that name for the app (getChannel: none serves the device). */
    public static final String CHANNEL_NOT_FOUND = "channel_not_found";
    /** setChannel to a channel that is not public and does not allow devices to choose it. */
    public static final String CHANNEL_SELF_SET_NOT_ALLOWED = "channel_self_set_not_allowed";
    /** setChannel to a public channel that does not allow devices to choose it. */
    public static final String PUBLIC_CHANNEL_SELF_SET_NOT_ALLOWED = "public_channel_self_set_not_allowed";
    /** An operator assigned the device's channel; the device cannot change it. */
    public static final String CANNOT_OVERRIDE = "cannot_override";

    private ChannelSelfAnswers() {}

    /** setChannel (POST) and unsetChannel (DELETE) done: {@code {"status":"ok"}}. Do not modify the array. */
    public static byte[] ok() {
        return OK;
    }

    /**
     * setChannel to the public default: {@code {"status":"ok","unset":true}}, so the plugin forgets its stored channel
     * instead of keeping it. Do not modify the array.
     */
    public static byte[] unset() {
        return UNSET;
    }

    /** getChannel (PUT): {@code {"channel","status","allowSet"}}; the plugin stores {@code channel} as its defaultChannel. */
    public static byte[] channel(String channel, ChannelStatus status, boolean allowSet) {
        return new JsonOut(96)
                .beginObject()
                .field("channel", channel)
                .field("status", status.wire())
                .field("allowSet", allowSet)
                .endObject()
                .toBytes();
    }

    /** listChannels (GET): a JSON array, never an object. */
    public static byte[] list(List<ChannelChoice> channels) {
        JsonOut o = new JsonOut(64 + 80 * channels.size()).beginArray();
        for (ChannelChoice c : channels) {
            o.beginObject()
                    .field("id", c.id())
                    .field("name", c.name())
                    .field("public", c.isPublic())
                    .field("allow_self_set", c.allowSelfSet())
                    .endObject();
        }
        return o.endArray().toBytes();
    }

    /** An error: {@code {"error","message"}}, without {@code kind}. */
    public static byte[] error(String code, String message) {
        return new JsonOut(96)
                .beginObject()
                .field("error", code)
                .field("message", message)
                .endObject()
                .toBytes();
    }
}
