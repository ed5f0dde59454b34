package dev.updraft.sim;

import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.Platform;
import dev.updraft.protocol.StatsAction;
import dev.updraft.protocol.StatsEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The stats a device sends (§3.2, §3.3), written by the protocol: main-queue events, the Android download worker's
 * single events, and {@code rate_limit_reached} on the first 429 of a process (§1.5). The queue itself is
 * {@link StatsReporter}'s.
 */
final class DeviceStats {
    private final DeviceConfig config;
    private final SimClock clock;
    private final RateLimitGuard rateLimit;
    private final Supplier<InfoObject> info;
    private final Supplier<String> runningVersion;
    private final DeviceLog log;
    private final StatsReporter reporter;

    DeviceStats(
            DeviceHttp http,
            DeviceConfig config,
            DeviceState state,
            SimClock clock,
            RateLimitGuard rateLimit,
            Supplier<InfoObject> info,
            Supplier<String> runningVersion,
            DeviceLog log) {
        this.config = config;
        this.clock = clock;
        this.rateLimit = rateLimit;
        this.info = info;
        this.runningVersion = runningVersion;
        this.log = log;
        this.reporter = new StatsReporter(http, config, state, clock, rateLimit::isBlocked, this::onAnswer);
    }

    StatsReporter reporter() {
        return reporter;
    }

    /** A main-queue event: info object + action, version_name, old_version_name, timestamp[, metadata] (§3.2). */
    void queue(StatsAction action, String versionName, String oldVersionName, Map<String, String> metadata) {
        reporter.enqueue(StatsEvent.of(
                        info.get(),
                        action.wire(),
                        versionName,
                        oldVersionName == null ? "" : oldVersionName,
                        clock.nowMillis())
                .withMetadata(metadata));
    }

    /** {@link #queue} with the running version and nothing else. */
    void queue(StatsAction action) {
        queue(action, runningVersion.get(), "", null);
    }

    /**
     * A download-worker event: on Android a single JSON object without timestamp and key_id, sent at once (§3.1,
     * §3.2); on iOS an ordinary queue event.
     */
    void worker(StatsAction action, String targetVersion) {
        if (config.platform() == Platform.IOS) {
            queue(action, targetVersion, "", null);
            return;
        }
        reporter.sendSingle(
                StatsEvent.of(info.get().toBuilder().keyId(null).build(), action.wire(), targetVersion, "", null),
                false);
    }

    /** §1.5: every answer of every endpoint goes through here; the first 429 of a process sends {@code rate_limit_reached}. */
    void onAnswer(ApiResponse r) {
        if (rateLimit.onResponse(r, clock.nowMillis())) {
            log.add("HTTP 429: blocked until " + rateLimit.blockedUntil());
            reporter.sendSingle(
                    StatsEvent.of(
                            info.get(),
                            StatsAction.RATE_LIMIT_REACHED.wire(),
                            runningVersion.get(),
                            "",
                            clock.nowMillis()),
                    true);
        }
    }

    /** Metadata is string to string (§3.2): {@code meta("k", v, "k2", v2)}. */
    static Map<String, String> meta(Object... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], String.valueOf(kv[i + 1]));
        }
        return m;
    }
}
