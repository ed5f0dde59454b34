package dev.updraft.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of one device for the {@code run} report: where it ended, how it got there, what it sent.
 *
 * @param deviceId         the stable device_id
 * @param stateDir         its state folder
 * @param current          the bundle running at the end
 * @param next             the queued next bundle, or null
 * @param fallback         the fallback bundle, or null
 * @param bundles          the registry
 * @param history          status changes
 * @param sentActions      count per delivered stats action
 * @param sentEvents       delivered stats events
 * @param pendingEvents    events still queued
 * @param droppedEvents    events given up
 * @param checks           update checks
 * @param downloads        downloads, one per install attempt: bytes fetched, and for a delta the files fetched and reused
 * @param bytesDownloaded  network bytes of bundle downloads
 * @param log              what happened, in words
 */
public record DeviceReport(
        String deviceId,
        String stateDir,
        BundleInfo current,
        BundleInfo next,
        BundleInfo fallback,
        List<BundleInfo> bundles,
        List<StatusChange> history,
        Map<String, Integer> sentActions,
        int sentEvents,
        int pendingEvents,
        int droppedEvents,
        List<CheckResult> checks,
        List<DownloadRecord> downloads,
        long bytesDownloaded,
        List<String> log) {

    static DeviceReport of(SimulatedDevice d) {
        Map<String, Integer> actions = new TreeMap<>();
        for (String a : d.sentActions()) {
            actions.merge(a, 1, Integer::sum);
        }
        return new DeviceReport(
                d.deviceId(),
                d.stateDir().toString(),
                d.currentBundle(),
                d.nextBundle(),
                d.fallbackBundle(),
                d.bundles(),
                d.statusHistory(),
                actions,
                d.sentStats().size(),
                d.pendingStats().size(),
                d.droppedStats().size(),
                d.checks(),
                d.downloads(),
                d.bytesDownloaded(),
                d.log());
    }

    public JsonObject toJson() {
        JsonArray h = new JsonArray();
        history.forEach(c -> h.add(new JsonObject()
                .put("at", c.at())
                .put("bundle_id", c.bundleId())
                .put("version", c.version())
                .put("from", c.from() == null ? null : c.from().wire())
                .put("to", c.to().wire())
                .put("reason", c.reason())));
        JsonArray cs = new JsonArray();
        checks.forEach(c -> cs.add(new JsonObject()
                .put("at", c.at())
                .put("latency_ms", c.latencyMs())
                .put("trigger", c.trigger().name().toLowerCase())
                .put("answer", c.answer().toString())
                .put("outcome", c.outcome().name().toLowerCase())
                .put("detail", c.detail())));
        JsonArray ds = new JsonArray();
        downloads.forEach(x -> ds.add(new JsonObject()
                .put("version", x.version())
                .put("kind", x.kind())
                .put("network_bytes", x.networkBytes())
                .put("size", x.size())
                .put("duration_ms", x.durationMs())
                .put("attempts", x.attempts())
                .put("resumed_from", x.resumedFrom())
                .put("result", x.result())
                .put("files_fetched", x.filesFetched())
                .put("files_reused", x.filesReused())));
        JsonArray bs = new JsonArray();
        bundles.forEach(b -> bs.add(b.toJson()));
        return new JsonObject()
                .put("device_id", deviceId)
                .put("state_dir", stateDir)
                .put("current", current.toJson())
                .put("next", next == null ? null : next.toJson())
                .put("fallback", fallback == null ? null : fallback.toJson())
                .put("bundles", bs)
                .put("status_history", h)
                .put(
                        "stats",
                        new JsonObject()
                                .put("sent", sentEvents)
                                .put("pending", pendingEvents)
                                .put("dropped", droppedEvents)
                                .put("actions", new JsonObject(new TreeMap<String, Object>(sentActions))))
                .put("checks", cs)
                .put("downloads", ds)
                .put("bytes_downloaded", bytesDownloaded)
                .put("log", new JsonArray(log));
    }
}
