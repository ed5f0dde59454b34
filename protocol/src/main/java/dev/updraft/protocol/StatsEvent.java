package dev.updraft.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One event of {@code POST /stats} (docs/protocol.md, "POST /stats"): the info object plus {@code action},
 * {@code version_name} (the bundle the event is about, not always the running one; {@code "<version>:<file>"} for a
 * delta file), {@code old_version_name}, {@code timestamp} (ms; absent from the Android download worker's events)
 * and {@code metadata} (string to string, on launch and health events).
 *
 * <p>On the wire the event's {@code version_name} takes the place of the info object's, so {@link #info()} never
 * carries one: {@link #versionName()} is the only version name of an event.
 *
 * @param action any string: unknown actions are accepted ({@link #knownAction()} is then empty)
 */
public record StatsEvent(InfoObject info, String action, String versionName, String oldVersionName, Long timestamp,
                         Map<String, String> metadata) {
    /** The plugin's queue holds at most 200 events. */
    public static final int MAX_EVENTS = 200;
    public static final int MAX_METADATA_KEYS = 30;
    public static final int MAX_METADATA_KEY = 64;
    public static final int MAX_METADATA_VALUE = 2048;
    public static final int MAX_ACTION = 128;

    public StatsEvent {
        if (info == null) {
            throw new IllegalArgumentException("an event needs its info object");
        }
        if (info.versionName() != null) {
            info = info.withVersionName(null);
        }
        metadata = metadata == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A queue event: the info object with this action and version names, at this time. */
    public static StatsEvent of(InfoObject info, String action, String versionName, String oldVersionName, Long timestamp) {
        return new StatsEvent(info, action, versionName, oldVersionName, timestamp, null);
    }

    public StatsEvent withMetadata(Map<String, String> m) {
        return new StatsEvent(info, action, versionName, oldVersionName, timestamp, m);
    }

    /** The action in the plugin's catalogue, or empty for an action this version of Updraft does not know. */
    public Optional<StatsAction> knownAction() {
        return StatsAction.of(action);
    }

    /**
     * Parses and validates a whole {@code /stats} body: a JSON array of events (the plugin's queue) or one event object
     * (the Android download worker, {@code rate_limit_reached}). Every event needs an {@code app_id} (reverse-domain),
     * a {@code device_id} ({@link DeviceApiRules#acceptsDeviceId}), an {@code action} (1 to {@link #MAX_ACTION}
     * characters) and, if it has one, a known {@code platform}.
     *
     * @throws ProtocolException {@code invalid_json_parse_body}, {@code invalid_json_body}, {@code too_many_events}
     *                           or {@code invalid_event} (with the event's index): a whole body is refused or accepted
     */
    public static List<StatsEvent> parseBody(byte[] body) {
        if (body == null || body.length == 0) {
            throw new ProtocolException(ProtocolException.INVALID_JSON_PARSE_BODY, "The body is empty; send a JSON array of events or one event object");
        }
        List<StatsEvent> events = new ArrayList<>();
        try (JsonParser p = JsonIn.FACTORY.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                events.add(read(p, 0));
            } else if (first == JsonToken.START_ARRAY) {
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (events.size() >= MAX_EVENTS) {
                        throw new ProtocolException(ProtocolException.TOO_MANY_EVENTS, "A batch holds at most " + MAX_EVENTS + " events");
                    }
                    if (t != JsonToken.START_OBJECT) {
                        throw new ProtocolException(ProtocolException.INVALID_JSON_BODY, "Event " + events.size() + " is not a JSON object");
                    }
                    events.add(read(p, events.size()));
                }
            } else {
                throw new ProtocolException(ProtocolException.INVALID_JSON_BODY, "The body must be a JSON array of events or one event object");
            }
            if (p.nextToken() != null) {
                throw new ProtocolException(ProtocolException.INVALID_JSON_PARSE_BODY, "Unexpected content after the JSON body");
            }
        } catch (IOException e) {
            throw new ProtocolException(ProtocolException.INVALID_JSON_PARSE_BODY, "The body is not valid JSON");
        }
        return events;
    }

    /** This event as a single JSON object (the Android worker's and {@code rate_limit_reached}'s shape). */
    public byte[] toJson() {
        return write(new JsonOut(512)).toBytes();
    }

    /** Events as one JSON array (the plugin's queue). */
    public static byte[] toJsonArray(List<StatsEvent> events) {
        JsonOut o = new JsonOut(512 * Math.max(1, events.size())).beginArray();
        events.forEach(e -> e.write(o));
        return o.endArray().toBytes();
    }

    /** The info object's keys (with this event's version_name), then action, old_version_name, timestamp, metadata. */
    private JsonOut write(JsonOut o) {
        info.write(o.beginObject(), versionName)
                .fieldIfPresent("action", action)
                .fieldIfPresent("old_version_name", oldVersionName)
                .fieldIfPresent("timestamp", timestamp);
        if (metadata != null) {
            o.name("metadata").beginObject();
            metadata.forEach(o::field);
            o.endObject();
        }
        return o.endObject();
    }

    private static StatsEvent read(JsonParser p, int index) throws IOException {
        InfoObject.Builder info = new InfoObject.Builder();
        String action = null;
        String old = null;
        Long timestamp = null;
        Map<String, String> metadata = null;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "action" -> action = string(p, v, index, name);
                case "old_version_name" -> old = string(p, v, index, name);
                case "timestamp" -> {
                    if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                        timestamp = p.getValueAsLong();
                    } else if (v != JsonToken.VALUE_NULL) {
                        throw bad(index, "'timestamp' must be a number (ms since the epoch)");
                    }
                }
                case "metadata" -> metadata = metadata(p, v, index);
                default -> {
                    if (!info.accept(name, v, p)) {
                        p.skipChildren();
                    }
                }
            }
        }
        InfoObject io = info.build();
        if (io.appId() == null || !Identifier.APP_ID.matches(io.appId())) {
            throw bad(index, io.appId() == null ? "'app_id' is required" : "'app_id' must be a reverse-domain id");
        }
        if (!DeviceApiRules.acceptsDeviceId(io.deviceId())) {
            throw bad(index, io.deviceId() == null ? "'device_id' is required" : "'device_id' must be " + DeviceApiRules.DEVICE_ID_RULE);
        }
        if (action == null || action.isEmpty() || action.length() > MAX_ACTION) {
            throw bad(index, "'action' is required, at most " + MAX_ACTION + " characters");
        }
        if (io.platform() != null && io.platformValue().isEmpty()) {
            throw bad(index, "'platform' must be ios, android or electron");
        }
        return new StatsEvent(io, action, io.versionName(), old, timestamp, metadata);
    }

    private static String string(JsonParser p, JsonToken v, int index, String name) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING) {
            throw bad(index, "'" + name + "' must be a string");
        }
        String s = p.getText();
        if (s.length() > InfoObject.MAX_STRING) {
            throw bad(index, "'" + name + "' is longer than " + InfoObject.MAX_STRING + " characters");
        }
        if (DeviceApiRules.hasNul(s)) {
            throw bad(index, "'" + name + "' contains a NUL character");
        }
        return s;
    }

    /** String to string; numbers and booleans are kept as their text, since some clients send them unquoted. */
    private static Map<String, String> metadata(JsonParser p, JsonToken v, int index) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.START_OBJECT) {
            throw bad(index, "'metadata' must be an object of strings");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String key = p.currentName();
            JsonToken vt = p.nextToken();
            if (m.size() >= MAX_METADATA_KEYS) {
                throw bad(index, "'metadata' has more than " + MAX_METADATA_KEYS + " keys");
            }
            if (key.length() > MAX_METADATA_KEY) {
                throw bad(index, "a 'metadata' key is longer than " + MAX_METADATA_KEY + " characters");
            }
            String value = switch (vt) {
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
                case VALUE_NULL -> null;
                default -> throw bad(index, "'metadata." + key + "' must be a string");
            };
            if (value != null && value.length() > MAX_METADATA_VALUE) {
                throw bad(index, "'metadata." + key + "' is longer than " + MAX_METADATA_VALUE + " characters");
            }
            if (DeviceApiRules.hasNul(key) || DeviceApiRules.hasNul(value)) {
                throw bad(index, "'metadata' contains a NUL character");
            }
            m.put(key, value);
        }
        return m;
    }

    private static ProtocolException bad(int index, String what) {
        return new ProtocolException(ProtocolException.INVALID_EVENT, "Event " + index + ": " + what);
    }
}
