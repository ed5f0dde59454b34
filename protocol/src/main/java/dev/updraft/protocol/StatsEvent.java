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
 * One event of {@code POST /stats} (docs/protocol.md §3.2): the info object plus {@code action},
 * {@code version_name} (the bundle the event is about, not always the running one; {@code "<version>:<file>"} for a
 * delta file), {@code old_version_name}, {@code timestamp} (ms; absent from the Android download worker's events)
 * and {@code metadata} (string to string, on launch and health events).
 *
 * <p>On the wire the event's {@code version_name} takes the place of the info object's, so {@link #info()} never
 * carries one: {@link #versionName()} is the only version name of an event.
 *
 * @param action any string: unknown actions are accepted ({@link #knownAction()} is then empty)
 */
public record StatsEvent(
        InfoObject info,
        String action,
        String versionName,
        String oldVersionName,
        Long timestamp,
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
    public static StatsEvent of(
            InfoObject info, String action, String versionName, String oldVersionName, Long timestamp) {
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
     * Parses a whole {@code /stats} body and refuses it unless every event is valid: for clients reading back what
     * they wrote (the simulator's persisted queue). The server reads a body with {@link StatsBatch#parse}, which
     * judges each event on its own.
     *
     * @throws ProtocolException the body's problem, or the first refused event's
     */
    public static List<StatsEvent> parseBody(byte[] body) {
        StatsBatch batch = StatsBatch.parse(body);
        List<StatsEvent> events = new ArrayList<>();
        for (StatsBatch.Entry e : batch.entries()) {
            if (e.problem() != null) {
                throw e.problem();
            }
            events.add(e.event());
        }
        return events;
    }

    /**
     * The version of the bundle the device runs, when this event tells it: {@code set} and {@code reset} name the
     * bundle that has just become the running one, and every action whose {@code version_name} is the running bundle
     * on this platform names it ({@link StatsAction#reportsRunningBundle}). Empty for download progress, failures of a
     * target, delta-file events ({@code "<version>:<file>"}) and unknown actions.
     */
    public Optional<String> runningVersion() {
        if (versionName == null || versionName.isEmpty() || versionName.indexOf(':') >= 0) {
            return Optional.empty();
        }
        Platform p = info.platformValue().orElse(Platform.ANDROID);
        return knownAction().filter(a -> a.reportsRunningBundle(p)).map(a -> versionName);
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

    /**
     * Reads the event object the parser is in (its START_OBJECT consumed) to its end, whatever it holds, and checks
     * it. The first problem is returned instead of the event; the parser is always left after the object.
     */
    static StatsBatch.Entry read(JsonParser p, int index) throws IOException {
        InfoObject.Builder info = new InfoObject.Builder();
        String action = null;
        String old = null;
        Long timestamp = null;
        Map<String, String> metadata = null;
        ProtocolException problem = null;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            try {
                switch (name) {
                    case "action" -> action = string(p, v, name);
                    case "old_version_name" -> old = string(p, v, name);
                    case "timestamp" -> {
                        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                            timestamp = p.getValueAsLong();
                        } else if (v != JsonToken.VALUE_NULL) {
                            throw invalid("'timestamp' must be a number (ms since the epoch)");
                        }
                    }
                    case "metadata" -> metadata = metadata(p, v);
                    default -> {
                        if (!info.accept(name, v, p)) {
                            p.skipChildren();
                        }
                    }
                }
            } catch (ProtocolException e) {
                p.skipChildren(); // the rest of a value of the wrong type (metadata stops only at its end)
                problem = problem == null ? e : problem;
            }
        }
        if (problem == null) {
            try {
                InfoObject io = info.build();
                DeviceApiRules.STATS_EVENT.check(io);
                if (action == null || action.isEmpty() || action.length() > MAX_ACTION) {
                    throw invalid("'action' is required, at most " + MAX_ACTION + " characters");
                }
                return new StatsBatch.Entry(
                        index, new StatsEvent(io, action, io.versionName(), old, timestamp, metadata), null);
            } catch (ProtocolException e) {
                problem = e;
            }
        }
        return new StatsBatch.Entry(
                index, null, new ProtocolException(problem.code(), "Event " + index + ": " + problem.getMessage()));
    }

    private static String string(JsonParser p, JsonToken v, String name) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING) {
            throw invalid("'" + name + "' must be a string");
        }
        String s = p.getText();
        if (s.length() > InfoObject.MAX_STRING) {
            throw invalid("'" + name + "' is longer than " + InfoObject.MAX_STRING + " characters");
        }
        if (DeviceApiRules.hasNul(s)) {
            throw invalid("'" + name + "' contains a NUL character");
        }
        return s;
    }

    /**
     * String to string; numbers and booleans are kept as their text, since some clients send them unquoted. Always
     * reads the whole object, so that a problem leaves the parser after it.
     */
    private static Map<String, String> metadata(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.START_OBJECT) {
            throw invalid("'metadata' must be an object of strings");
        }
        Map<String, String> m = new LinkedHashMap<>();
        String problem = null;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String key = p.currentName();
            JsonToken vt = p.nextToken();
            String value = switch (vt) {
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
                case VALUE_NULL -> null;
                default -> {
                    p.skipChildren();
                    problem = problem != null ? problem : "'metadata." + key + "' must be a string";
                    yield null;
                }
            };
            if (problem != null) {
                continue;
            }
            if (m.size() >= MAX_METADATA_KEYS) {
                problem = "'metadata' has more than " + MAX_METADATA_KEYS + " keys";
            } else if (key.length() > MAX_METADATA_KEY) {
                problem = "a 'metadata' key is longer than " + MAX_METADATA_KEY + " characters";
            } else if (value != null && value.length() > MAX_METADATA_VALUE) {
                problem = "'metadata." + key + "' is longer than " + MAX_METADATA_VALUE + " characters";
            } else if (DeviceApiRules.hasNul(key) || DeviceApiRules.hasNul(value)) {
                problem = "'metadata' contains a NUL character";
            } else {
                m.put(key, value);
            }
        }
        if (problem != null) {
            throw invalid(problem); // the parser is on the object's end: the caller's skipChildren() does nothing
        }
        return m;
    }

    private static ProtocolException invalid(String what) {
        return new ProtocolException(ProtocolException.INVALID_JSON_BODY, what);
    }
}
