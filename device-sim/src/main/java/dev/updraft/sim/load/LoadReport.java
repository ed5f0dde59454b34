package dev.updraft.sim.load;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The numbers of a load run. Every completed check lands in exactly one bucket: {@code results} (an answer the
 * plugin classifies: update, builtin, up_to_date, blocked, failed) or {@code errors} (timeout, network_error,
 * http_&lt;status&gt; for 429 and for non-2xx answers without error/kind, parse_error). So
 * {@code checksCompleted = sum(results) + sum(errors)} and {@code checksSent = checksCompleted + unfinished}.
 *
 * @param latencyP50Ms    latency of answered checks (any HTTP status), nearest-rank percentiles
 * @param failedCodes     the {@code error} codes of {@code kind:"failed"} answers
 * @param behind          checks the schedule wanted but the concurrency limit did not allow (rate mode)
 * @param rolledBack      installs rolled back because the bundle never called notifyAppReady ({@code --never-ready})
 * @param cpuMicrosPerCheck the generator's own CPU (user + system, every thread of this process) from the start of
 *                        the checks to the end of the run, per completed check; JVM start-up and the devices' set-up
 *                        are not in it; -1 when the JVM cannot tell
 * @param warmupSeconds   how long the same process ran the same load first, left out of every other number
 *                        ({@code load --warmup}); 0 for none
 */
public record LoadReport(
        int devices,
        double seconds,
        double targetRate,
        long checksSent,
        long checksCompleted,
        long unfinished,
        long behind,
        double checksPerSecond,
        double latencyP50Ms,
        double latencyP90Ms,
        double latencyP99Ms,
        double latencyMaxMs,
        double latencyMeanMs,
        Map<String, Long> results,
        Map<String, Long> failedCodes,
        Map<String, Long> errors,
        long downloadsStarted,
        long downloadsCompleted,
        long downloadBytes,
        Map<String, Long> downloadErrors,
        long statsPosts,
        long statsErrors,
        long rolledBack,
        double cpuMicrosPerCheck,
        double warmupSeconds) {

    public long resultsTotal() {
        return results.values().stream().mapToLong(Long::longValue).sum();
    }

    public long errorsTotal() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("devices", devices)
                .put("seconds", round(seconds))
                .put("target_rate", targetRate)
                .put(
                        "checks",
                        new JsonObject()
                                .put("sent", checksSent)
                                .put("completed", checksCompleted)
                                .put("unfinished", unfinished)
                                .put("behind_schedule", behind)
                                .put("per_second", round(checksPerSecond)))
                .put(
                        "latency_ms",
                        new JsonObject()
                                .put("p50", round(latencyP50Ms))
                                .put("p90", round(latencyP90Ms))
                                .put("p99", round(latencyP99Ms))
                                .put("max", round(latencyMaxMs))
                                .put("mean", round(latencyMeanMs)))
                .put("results", new JsonObject(new TreeMap<String, Object>(results)))
                .put("failed_codes", new JsonObject(new TreeMap<String, Object>(failedCodes)))
                .put("errors", new JsonObject(new TreeMap<String, Object>(errors)))
                .put(
                        "downloads",
                        new JsonObject()
                                .put("started", downloadsStarted)
                                .put("completed", downloadsCompleted)
                                .put("bytes", downloadBytes)
                                .put("errors", new JsonObject(new TreeMap<String, Object>(downloadErrors)))
                                .put("rolled_back", rolledBack))
                .put("stats", new JsonObject().put("posts", statsPosts).put("errors", statsErrors))
                .put("generator_cpu_us_per_check", round(cpuMicrosPerCheck))
                .put("warmup_seconds", round(warmupSeconds));
    }

    /** A few lines for a person. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "load: %d devices, %.1f s%s%s%n",
                devices,
                seconds,
                targetRate > 0 ? String.format(Locale.ROOT, ", target %.0f checks/s", targetRate) : ", closed loop",
                warmupSeconds > 0 ? String.format(Locale.ROOT, " (after a %.1f s warm-up)", warmupSeconds) : ""));
        sb.append(String.format(
                Locale.ROOT,
                "checks: %d sent, %d completed, %d unfinished, %d behind schedule -> %.1f checks/s%n",
                checksSent,
                checksCompleted,
                unfinished,
                behind,
                checksPerSecond));
        sb.append(String.format(
                Locale.ROOT,
                "latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  mean %.2f%n",
                latencyP50Ms,
                latencyP90Ms,
                latencyP99Ms,
                latencyMaxMs,
                latencyMeanMs));
        if (cpuMicrosPerCheck >= 0) {
            sb.append(String.format(Locale.ROOT, "generator CPU: %.1f µs per check%n", cpuMicrosPerCheck));
        }
        sb.append("results: ")
                .append(new TreeMap<>(results))
                .append(failedCodes.isEmpty() ? "" : " failed codes: " + new TreeMap<>(failedCodes))
                .append('\n');
        sb.append("errors: ")
                .append(errors.isEmpty() ? "none" : new TreeMap<>(errors).toString())
                .append('\n');
        sb.append(String.format(
                Locale.ROOT,
                "downloads: %d started, %d completed, %d bytes%s%n",
                downloadsStarted,
                downloadsCompleted,
                downloadBytes,
                downloadErrors.isEmpty() ? "" : ", errors " + new TreeMap<>(downloadErrors)));
        if (rolledBack > 0) {
            sb.append(String.format(
                    Locale.ROOT,
                    "rolled back: %d install(s) of a bundle that never called notifyAppReady%n",
                    rolledBack));
        }
        if (statsPosts > 0 || statsErrors > 0) {
            sb.append(String.format(Locale.ROOT, "stats: %d posts, %d errors%n", statsPosts, statsErrors));
        }
        return sb.toString();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
