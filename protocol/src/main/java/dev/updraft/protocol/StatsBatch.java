package dev.updraft.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code POST /stats} body as the server reads it (docs/protocol.md §3.4): a JSON array of events (the plugin's
 * queue) or one event object (the Android download worker, {@code rate_limit_reached}), each event parsed and checked
 * on its own, so that one bad event of a batch does not cost the others. Only what makes the whole body unreadable
 * refuses it: not JSON, neither an array nor an object, more than {@link StatsEvent#MAX_EVENTS} events, or a single
 * event object that is not valid.
 *
 * @param array   whether the body was an array (answered with one result per event) or one object
 * @param entries one per event, in order
 */
public record StatsBatch(boolean array, List<Entry> entries) {

    /**
     * One event of the body: either the event, or why it was refused.
     *
     * @param problem {@code null} when the event is valid
     */
    public record Entry(int index, StatsEvent event, ProtocolException problem) {
        public boolean accepted() {
            return problem == null;
        }
    }

    public StatsBatch {
        entries = List.copyOf(entries);
    }

    /**
     * Parses a body. In a batch, an event whose {@code app_id} differs from the first valid event's is refused with
     * {@code mixed_app_ids}: a batch belongs to one app.
     *
     * @throws ProtocolException {@code invalid_json_parse_body}, {@code invalid_json_body}, {@code too_many_events}, or
     *                           the problem of a single event object
     */
    public static StatsBatch parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new ProtocolException(
                    ProtocolException.INVALID_JSON_PARSE_BODY,
                    "The body is empty; send a JSON array of events or one event object");
        }
        List<Entry> entries = new ArrayList<>();
        boolean array;
        try (JsonParser p = JsonIn.FACTORY.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                array = false;
                Entry only = StatsEvent.read(p, 0);
                if (only.problem() != null) {
                    throw only.problem();
                }
                entries.add(only);
            } else if (first == JsonToken.START_ARRAY) {
                array = true;
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    int index = entries.size();
                    if (index >= StatsEvent.MAX_EVENTS) {
                        throw new ProtocolException(
                                ProtocolException.TOO_MANY_EVENTS,
                                "A batch holds at most " + StatsEvent.MAX_EVENTS + " events");
                    }
                    if (t == JsonToken.START_OBJECT) {
                        entries.add(StatsEvent.read(p, index));
                    } else {
                        p.skipChildren();
                        entries.add(new Entry(
                                index,
                                null,
                                new ProtocolException(
                                        ProtocolException.INVALID_JSON_BODY,
                                        "Event " + index + " is not a JSON object")));
                    }
                }
            } else {
                throw new ProtocolException(
                        ProtocolException.INVALID_JSON_BODY,
                        "The body must be a JSON array of events or one event object");
            }
            if (p.nextToken() != null) {
                throw new ProtocolException(
                        ProtocolException.INVALID_JSON_PARSE_BODY, "Unexpected content after the JSON body");
            }
        } catch (IOException e) {
            throw new ProtocolException(ProtocolException.INVALID_JSON_PARSE_BODY, "The body is not valid JSON");
        }
        return new StatsBatch(array, sameApp(entries));
    }

    /** The app of the batch: the first valid event's {@code app_id}, or empty when no event is valid. */
    public Optional<String> appId() {
        return events().stream().findFirst().map(e -> e.info().appId());
    }

    /** The valid events, in order. */
    public List<StatsEvent> events() {
        return entries.stream().filter(Entry::accepted).map(Entry::event).toList();
    }

    /**
     * The answer once the valid events are stored: {@code {"status":"ok"}} for a single object, and for a batch
     * {@code {"status":"ok","results":[{"status","index"[,"error"]}]}} with one result per event.
     */
    public byte[] answer() {
        if (!array) {
            return StatsAnswers.ok();
        }
        return StatsAnswers.batch(entries.stream()
                .map(e -> new StatsAnswers.EventResult(
                        e.index(), e.problem() == null ? null : e.problem().code()))
                .toList());
    }

    private static List<Entry> sameApp(List<Entry> entries) {
        String app = null;
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.accepted()) {
                String id = e.event().info().appId();
                if (app == null) {
                    app = id;
                } else if (!app.equals(id)) {
                    e = new Entry(
                            e.index(),
                            null,
                            new ProtocolException(
                                    ProtocolException.MIXED_APP_IDS,
                                    "Event " + e.index() + ": all events of a batch must have the same app_id"));
                }
            }
            out.add(e);
        }
        return out;
    }
}
