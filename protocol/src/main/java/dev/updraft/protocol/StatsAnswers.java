package dev.updraft.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The answers of {@code POST /stats}. The plugin reads only the status (2xx delivered; 408, 429 and 5xx retried; any
 * other 4xx dropped), so the body is for people and other clients.
 */
public final class StatsAnswers {
    private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    /**
     * The outcome of one event of a batch.
     *
     * @param index the event's position in the batch
     * @param error {@code null} when the event was accepted, else why not (a wire code)
     */
    public record EventResult(int index, String error) {
        /** {@code ok} or {@code error}. */
        public String status() {
            return error == null ? "ok" : "error";
        }
    }

    private StatsAnswers() {}

    /** {@code {"status":"ok"}}: a body accepted as a whole. Do not modify the array. */
    public static byte[] ok() {
        return OK;
    }

    /**
     * The answer to a batch: {@code {"status":"ok","results":[{"status","index"[,"error"]}]}}, one result per event
     * (docs/protocol.md §3.4). {@link StatsBatch#answer()} chooses between this and {@link #ok()}.
     */
    public static byte[] batch(List<EventResult> results) {
        JsonOut o = new JsonOut(32 + 40 * results.size())
                .beginObject()
                .field("status", "ok")
                .name("results")
                .beginArray();
        for (EventResult r : results) {
            o.beginObject()
                    .field("status", r.status())
                    .field("index", r.index())
                    .fieldIfPresent("error", r.error())
                    .endObject();
        }
        return o.endArray().endObject().toBytes();
    }
}
