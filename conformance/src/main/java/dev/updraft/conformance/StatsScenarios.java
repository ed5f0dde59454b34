package dev.updraft.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.conformance.DeviceFront.Endpoint;
import dev.updraft.conformance.DeviceFront.Exchange;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The stats queue: batching, retry, drop, the 200-event cap across a restart (docs/protocol.md §3.1). */
final class StatsScenarios {
    private StatsScenarios() {}

    /** Events sent as single objects, outside the queue (docs/protocol.md §3.1). */
    static final Set<String> SINGLE_OBJECT_ACTIONS = Set.of(
            "download_zip_start",
            "download_zip_complete",
            "download_manifest_start",
            "download_manifest_complete",
            "download_manifest_file_fail",
            "download_manifest_checksum_fail",
            "download_manifest_brotli_fail",
            "manifest_path_fail",
            "session_key_required",
            "checksum_required",
            "rate_limit_reached");

    private static final String BUSY = "{\"error\":\"overloaded\",\"message\":\"busy\"}";

    /** An event's identity across resends: its action and client timestamp. */
    static String key(JsonNode e) {
        return e.path("action").asText() + "@" + e.path("timestamp").asText();
    }

    static Set<String> keys(List<JsonNode> events) {
        Set<String> out = new HashSet<>();
        events.forEach(e -> out.add(key(e)));
        return out;
    }

    /**
     * The first /stats request gets {@code status}; then a launch, background and foreground. Returns the events of
     * that first request; the caller judges whether they came again.
     */
    static List<JsonNode> firstBatchAnswered(ScenarioContext c, int status, String body) throws Exception {
        c.ensureApp();
        c.front().answer(Endpoint.STATS, 1, status, Map.of(), body);
        c.start();
        c.call("launch");
        c.call("background");
        c.call("foreground");
        List<JsonNode> refused =
                ScenarioContext.eventsOf(c.front().exchanges(Endpoint.STATS).get(0));
        c.expect(!refused.isEmpty(), "the first /stats request carried no event");
        return refused;
    }

    static List<Scenario> all() {
        return List.of(
                new Scenario(
                        "stats/batched-arrays",
                        "§3.1",
                        "plugin 8: queue events go as JSON arrays; only worker events and rate_limit_reached alone",
                        c -> {
                            c.publish(c.release("1.0.1", true));
                            c.start();
                            c.installCycle();
                            boolean batch = false;
                            for (Exchange x : c.front().exchanges(Endpoint.STATS)) {
                                JsonNode b = x.json();
                                if (b.isArray() && b.size() >= 2) {
                                    batch = true;
                                }
                                if (b.isObject()) {
                                    c.expect(
                                            SINGLE_OBJECT_ACTIONS.contains(
                                                    b.path("action").asText()),
                                            "the queue event '"
                                                    + b.path("action").asText()
                                                    + "' was sent as a single object, not in an array");
                                }
                            }
                            c.expect(batch, "no /stats request carried a batch of two or more events");
                        }),
                new Scenario(
                        "stats/old-plugin-single-objects",
                        "§3.1, §11",
                        "plugin 7: one JSON object per event, never an array",
                        c -> {
                            c.ensureApp();
                            c.start(i -> i.put("pluginVersion", "7.30.0"));
                            c.call("launch");
                            c.call("background");
                            c.call("foreground");
                            List<Exchange> posts = c.front().exchanges(Endpoint.STATS);
                            c.expect(posts.size() >= 2, "expected several /stats requests, saw " + posts.size());
                            for (Exchange x : posts) {
                                c.expect(
                                        x.json().isObject(),
                                        "plugin 7 sent an array: "
                                                + x.body()
                                                        .substring(
                                                                0,
                                                                Math.min(
                                                                        120,
                                                                        x.body().length())));
                            }
                        }),
                new Scenario(
                        "stats/retry-on-5xx", "§3.1", "a batch answered 503 is queued again and delivered later", c -> {
                            List<JsonNode> refused = firstBatchAnswered(c, 503, BUSY);
                            Set<String> delivered = keys(c.events());
                            for (JsonNode e : refused) {
                                c.expect(
                                        delivered.contains(key(e)),
                                        "the event " + key(e) + " of the batch answered 503 was never delivered");
                            }
                        }),
                new Scenario("stats/drop-on-4xx", "§3.1", "a batch answered 400 is dropped, never sent again", c -> {
                    List<JsonNode> refused =
                            firstBatchAnswered(c, 400, "{\"error\":\"invalid_request\",\"message\":\"bad\"}");
                    Set<String> delivered = keys(c.events());
                    for (JsonNode e : refused) {
                        c.expect(
                                !delivered.contains(key(e)),
                                "the event " + key(e) + " of the batch answered 400 was sent again");
                    }
                    c.expectSent("app_moved_to_background", null);
                }),
                new Scenario(
                        "stats/cap-200-across-restart",
                        "§3.1",
                        "the queue keeps at most 200 events, drops the oldest, and survives a restart",
                        c -> {
                            c.ensureApp();
                            c.front().answer(Endpoint.STATS, 100_000, 503, Map.of(), BUSY);
                            c.start();
                            c.call("launch");
                            for (int i = 0; i < 105; i++) {
                                c.call("background");
                                c.call("foreground");
                            }
                            List<Exchange> refusedPosts = c.front().exchanges(Endpoint.STATS);
                            c.expect(!refusedPosts.isEmpty(), "no /stats request while the server refused them");
                            List<JsonNode> first = ScenarioContext.eventsOf(refusedPosts.get(0));
                            List<JsonNode> last = ScenarioContext.eventsOf(refusedPosts.get(refusedPosts.size() - 1));
                            Set<String> queued = new HashSet<>();
                            refusedPosts.forEach(x -> queued.addAll(keys(ScenarioContext.eventsOf(x))));
                            c.call("kill");
                            c.front().clearScripts();
                            c.restartClient();
                            c.call("launch");
                            List<JsonNode> delivered = c.events();
                            long old = delivered.stream()
                                    .filter(e -> queued.contains(key(e)))
                                    .count();
                            c.expect(old > 0, "the events queued before the restart were lost");
                            c.expect(
                                    old <= 200,
                                    old + " events queued before the restart were delivered; the queue"
                                            + " holds at most 200");
                            Set<String> deliveredKeys = keys(delivered);
                            c.expect(
                                    !deliveredKeys.contains(key(first.get(0))),
                                    "the oldest event (" + key(first.get(0)) + ") should have been dropped");
                            JsonNode newest = last.get(last.size() - 1);
                            c.expect(
                                    deliveredKeys.contains(key(newest)),
                                    "the newest queued event (" + key(newest)
                                            + ") was not delivered after the restart");
                        }));
    }
}
