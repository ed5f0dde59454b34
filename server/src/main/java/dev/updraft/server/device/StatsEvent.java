package dev.updraft.server.device;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.updraft.server.decision.Platform;
import dev.updraft.server.web.ApiException;
import dev.updraft.server.web.Ids;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event posted to /stats: the info object plus {@code action}, {@code old_version_name}, {@code timestamp} and
 * {@code metadata}. The body is a JSON array of events (the plugin's queue) or a single event object (the Android
 * download worker and {@code rate_limit_reached}).
 */
record StatsEvent(InfoObject info, String action, String oldVersionName, Long timestamp, Map<String, String> metadata) {
    /** The plugin's queue holds at most 200 events. */
    static final int MAX_EVENTS = 200;
    static final int MAX_METADATA_KEYS = 30;
    static final int MAX_METADATA_KEY = 64;
    static final int MAX_METADATA_VALUE = 2048;
    static final int MAX_ACTION = 128;

    /** Parses and validates a whole body; every problem is a 400, since retrying would never help. */
    static List<StatsEvent> parseBody(JsonFactory json, byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("invalid_json_parse_body", "The body is empty; send a JSON array of events or one event object");
        }
        List<StatsEvent> events = new ArrayList<>();
        try (JsonParser p = json.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                events.add(read(p, 0));
            } else if (first == JsonToken.START_ARRAY) {
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (events.size() >= MAX_EVENTS) {
                        throw ApiException.badRequest("too_many_events", "A batch holds at most " + MAX_EVENTS + " events");
                    }
                    if (t != JsonToken.START_OBJECT) {
                        throw ApiException.badRequest("invalid_json_body", "Event " + events.size() + " is not a JSON object");
                    }
                    events.add(read(p, events.size()));
                }
            } else {
                throw ApiException.badRequest("invalid_json_body", "The body must be a JSON array of events or one event object");
            }
            if (p.nextToken() != null) {
                throw ApiException.badRequest("invalid_json_parse_body", "Unexpected content after the JSON body");
            }
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_json_parse_body", "The body is not valid JSON");
        }
        return events;
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
        if (io.appId() == null || !Ids.isAppId(io.appId())) {
            throw bad(index, io.appId() == null ? "'app_id' is required" : "'app_id' must be a reverse-domain id");
        }
        if (!Ids.isDeviceId(io.deviceId())) {
            throw bad(index, io.deviceId() == null ? "'device_id' is required" : "'device_id' must be 1 to 64 printable ASCII characters");
        }
        if (action == null || action.isEmpty() || action.length() > MAX_ACTION) {
            throw bad(index, "'action' is required, at most " + MAX_ACTION + " characters");
        }
        if (io.platform() != null && Platform.of(io.platform()) == null) {
            throw bad(index, "'platform' must be ios, android or electron");
        }
        return new StatsEvent(io, action, old, timestamp, metadata);
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
        if (Ids.hasNul(s)) {
            throw bad(index, "'" + name + "' contains a NUL character");
        }
        return s;
    }

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
            if (Ids.hasNul(key) || Ids.hasNul(value)) {
                throw bad(index, "'metadata' contains a NUL character");
            }
            m.put(key, value);
        }
        return m;
    }

    private static ApiException bad(int index, String what) {
        return ApiException.badRequest("invalid_event", "Event " + index + ": " + what);
    }
}
