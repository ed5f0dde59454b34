package dev.updraft.server.release;

import dev.updraft.protocol.StatsAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/**
 * Reads release funnels (docs/operations.md, "Release health"): their counters, kept as events and offers arrive
 * ({@link FunnelCounts}), so a page reads a row per release and stage whatever the number of devices; and a release's
 * funnel per hour, from its events. Used by the console, the stats API and the automatic pause.
 */
public final class ReleaseHealth {
    private ReleaseHealth() {}

    static final List<String> FAILURES = Arrays.stream(StatsAction.values())
            .filter(StatsAction::isFailure)
            .map(StatsAction::wire)
            .toList();

    /** The funnel of every release of the app that has events or offers: its counters, a row per release and stage. */
    public static Map<String, Funnel> funnels(Session s, long appPk) {
        return counted(s.createNativeQuery(
                        "select version, stage, devices from release_funnel_counts where app_pk = :pk", Object[].class)
                .setParameter("pk", appPk)
                .getResultList());
    }

    /** The funnel of one release, {@link Funnel#EMPTY} when it has no events or offers. */
    public static Funnel funnel(Session s, long appPk, String version) {
        return counted(s.createNativeQuery(
                                "select version, stage, devices from release_funnel_counts where app_pk = :pk"
                                        + " and version = :v",
                                Object[].class)
                        .setParameter("pk", appPk)
                        .setParameter("v", version)
                        .getResultList())
                .getOrDefault(version, Funnel.EMPTY);
    }

    private static Map<String, Funnel> counted(List<Object[]> rows) {
        Map<String, Map<FunnelStage, Long>> byVersion = new HashMap<>();
        for (Object[] row : rows) {
            FunnelStage.of((String) row[1])
                    .ifPresent(stage -> byVersion
                            .computeIfAbsent((String) row[0], v -> new EnumMap<>(FunnelStage.class))
                            .put(stage, ((Number) row[2]).longValue()));
        }
        Map<String, Funnel> out = new HashMap<>();
        byVersion.forEach((v, n) -> {
            Map<StatsAction.FailureStage, Long> stages = new EnumMap<>(StatsAction.FailureStage.class);
            for (StatsAction.FailureStage stage : StatsAction.FailureStage.values()) {
                stages.put(stage, n.getOrDefault(FunnelStage.failedAt(stage), 0L));
            }
            out.put(
                    v,
                    new Funnel(
                            n.getOrDefault(FunnelStage.OFFERED, 0L),
                            n.getOrDefault(FunnelStage.DOWNLOAD_STARTED, 0L),
                            n.getOrDefault(FunnelStage.DOWNLOADED, 0L),
                            n.getOrDefault(FunnelStage.INSTALLED, 0L),
                            n.getOrDefault(FunnelStage.CONFIRMED, 0L),
                            n.getOrDefault(FunnelStage.ROLLED_BACK, 0L),
                            n.getOrDefault(FunnelStage.FAILED, 0L),
                            stages));
        });
        return out;
    }

    /**
     * The automatic pause's counts for one release: devices that failed it, and devices that confirmed it without
     * failing it. Read from the funnel's devices (so, like the funnel, not changed by the retention of events).
     */
    public static AutoPause.Counts outcomes(Session s, long appPk, String version) {
        Object[] row = s.createNativeQuery(
                        "select (select count(*) from release_funnel_devices f where f.app_pk = :pk and f.version = :v"
                                + " and f.stage = :failed),"
                                + " (select count(*) from release_funnel_devices c where c.app_pk = :pk and c.version = :v"
                                + " and c.stage = :confirmed and not exists (select 1 from release_funnel_devices f"
                                + " where f.app_pk = c.app_pk and f.version = c.version and f.stage = :failed"
                                + " and f.device_id = c.device_id))",
                        Object[].class)
                .setParameter("pk", appPk)
                .setParameter("v", version)
                .setParameter("failed", FunnelStage.FAILED.code())
                .setParameter("confirmed", FunnelStage.CONFIRMED.code())
                .getSingleResult();
        return new AutoPause.Counts(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
    }

    /** One UTC hour of a release's funnel, counted in devices (a device counts once per stage and hour). */
    public record Hour(
            Instant start,
            long offered,
            long downloadStarted,
            long downloaded,
            long installed,
            long confirmed,
            long rolledBack,
            long failed) {}

    /**
     * The funnel of {@code version} per UTC hour from {@code since} on, only hours with something in them, oldest first;
     * with {@code channel}, only devices the release was offered to on that channel. Seven grouped queries.
     */
    public static List<Hour> hourly(Session s, long appPk, String version, String channel, Instant since) {
        String onChannel = channel == null
                ? ""
                : " and exists (select 1 from device_offers o where o.app_pk = e.app_pk"
                        + " and o.device_id = e.device_id and o.version = e.version and o.channel = :c)";
        String events =
                "select cast(floor(extract(epoch from e.received_at) / 3600) as bigint), count(distinct e.device_id)"
                        + " from stats_events e where e.app_pk = :pk and e.version = :v and e.received_at >= :since and e.action in (:a)"
                        + onChannel + " group by 1";
        String offers =
                "select cast(floor(extract(epoch from o.first_offered_at) / 3600) as bigint), count(*) from device_offers o"
                        + " where o.app_pk = :pk and o.version = :v and o.first_offered_at >= :since"
                        + (channel == null ? "" : " and o.channel = :c")
                        + " group by 1";
        List<Map<Long, Long>> columns = new ArrayList<>();
        columns.add(hours(s, offers, appPk, version, channel, since, null));
        for (List<String> actions : List.of(
                Funnel.DOWNLOAD_STARTED.stream().map(StatsAction::wire).toList(),
                List.of(StatsAction.DOWNLOAD_COMPLETE.wire()),
                List.of(StatsAction.SET.wire()),
                List.of(StatsAction.APP_LAUNCH_READY.wire()),
                List.of(StatsAction.UPDATE_FAIL.wire()),
                FAILURES)) {
            columns.add(hours(s, events, appPk, version, channel, since, actions));
        }
        java.util.TreeSet<Long> all = new java.util.TreeSet<>();
        columns.forEach(c -> all.addAll(c.keySet()));
        List<Hour> out = new ArrayList<>();
        for (long h : all) {
            long[] n = columns.stream().mapToLong(c -> c.getOrDefault(h, 0L)).toArray();
            out.add(new Hour(Instant.ofEpochSecond(h * 3600), n[0], n[1], n[2], n[3], n[4], n[5], n[6]));
        }
        return out;
    }

    private static Map<Long, Long> hours(
            Session s, String sql, long appPk, String version, String channel, Instant since, List<String> actions) {
        var q = s.createNativeQuery(sql, Object[].class)
                .setParameter("pk", appPk)
                .setParameter("v", version)
                .setParameter("since", since);
        if (channel != null) {
            q.setParameter("c", channel);
        }
        if (actions != null) {
            q.setParameter("a", actions);
        }
        Map<Long, Long> out = new HashMap<>();
        for (Object[] row : q.getResultList()) {
            out.put(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
        }
        return out;
    }
}
