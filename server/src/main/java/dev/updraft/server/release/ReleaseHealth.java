package dev.updraft.server.release;

import dev.updraft.protocol.StatsAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.Session;

/**
 * Counts release funnels from the stored events and offers (docs/operations.md, "Release health"): a few grouped
 * queries per app, whatever the number of releases and devices. Used by the stats API and the automatic pause.
 */
public final class ReleaseHealth {
    private ReleaseHealth() {}

    static final List<String> FAILURES = Arrays.stream(StatsAction.values())
            .filter(StatsAction::isFailure)
            .map(StatsAction::wire)
            .toList();

    /** The funnel of every release of the app that has events or offers. */
    public static Map<String, Funnel> funnels(Session s, long appPk) {
        Map<String, Long> offered = grouped(
                s,
                "select o.version, count(o) from DeviceOfferEntity o where o.appPk = :pk group by o.version",
                appPk,
                null);
        Map<String, Long> started = devices(
                s,
                appPk,
                Funnel.DOWNLOAD_STARTED.stream().map(StatsAction::wire).toList());
        Map<String, Long> downloaded = devices(s, appPk, List.of(StatsAction.DOWNLOAD_COMPLETE.wire()));
        Map<String, Long> installed = devices(s, appPk, List.of(StatsAction.SET.wire()));
        Map<String, Long> confirmed = devices(s, appPk, List.of(StatsAction.APP_LAUNCH_READY.wire()));
        Map<String, Long> rolledBack = devices(s, appPk, List.of(StatsAction.UPDATE_FAIL.wire()));
        Map<String, Long> failed = devices(s, appPk, FAILURES);
        Map<StatsAction.FailureStage, Map<String, Long>> byStage = new EnumMap<>(StatsAction.FailureStage.class);
        for (StatsAction.FailureStage stage : StatsAction.FailureStage.values()) {
            List<String> actions = Arrays.stream(StatsAction.values())
                    .filter(a -> a.failureStage().orElse(null) == stage)
                    .map(StatsAction::wire)
                    .toList();
            byStage.put(stage, devices(s, appPk, actions));
        }
        Set<String> versions = new java.util.HashSet<>(offered.keySet());
        List.of(started, downloaded, installed, confirmed, rolledBack, failed)
                .forEach(m -> versions.addAll(m.keySet()));
        Map<String, Funnel> out = new HashMap<>();
        for (String v : versions) {
            Map<StatsAction.FailureStage, Long> stages = new EnumMap<>(StatsAction.FailureStage.class);
            byStage.forEach((stage, counts) -> stages.put(stage, counts.getOrDefault(v, 0L)));
            out.put(
                    v,
                    new Funnel(
                            offered.getOrDefault(v, 0L),
                            started.getOrDefault(v, 0L),
                            downloaded.getOrDefault(v, 0L),
                            installed.getOrDefault(v, 0L),
                            confirmed.getOrDefault(v, 0L),
                            rolledBack.getOrDefault(v, 0L),
                            failed.getOrDefault(v, 0L),
                            stages));
        }
        return out;
    }

    /**
     * The automatic pause's counts for one release: devices that failed it, and devices that confirmed it without
     * failing it.
     */
    public static AutoPause.Counts outcomes(Session s, long appPk, String version) {
        long failed = s.createSelectionQuery(
                        "select count(distinct e.deviceId) from StatsEventEntity e where e.appPk = :pk"
                                + " and e.version = :v and e.action in :a",
                        Long.class)
                .setParameter("pk", appPk)
                .setParameter("v", version)
                .setParameter("a", FAILURES)
                .getSingleResult();
        long confirmed = s.createSelectionQuery(
                        "select count(distinct e.deviceId) from StatsEventEntity e where e.appPk = :pk"
                                + " and e.version = :v and e.action = :ready and not exists (select 1 from StatsEventEntity f where f.appPk = e.appPk"
                                + " and f.deviceId = e.deviceId and f.version = e.version and f.action in :a)",
                        Long.class)
                .setParameter("pk", appPk)
                .setParameter("v", version)
                .setParameter("ready", StatsAction.APP_LAUNCH_READY.wire())
                .setParameter("a", FAILURES)
                .getSingleResult();
        return new AutoPause.Counts(failed, confirmed);
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

    private static Map<String, Long> devices(Session s, long appPk, List<String> actions) {
        return grouped(
                s,
                "select e.version, count(distinct e.deviceId) from StatsEventEntity e where e.appPk = :pk"
                        + " and e.version is not null and e.action in :a group by e.version",
                appPk,
                actions);
    }

    private static Map<String, Long> grouped(Session s, String query, long appPk, List<String> actions) {
        var q = s.createSelectionQuery(query, Object[].class).setParameter("pk", appPk);
        if (actions != null) {
            q.setParameter("a", actions);
        }
        Map<String, Long> out = new HashMap<>();
        for (Object[] row : q.getResultList()) {
            out.put((String) row[0], (Long) row[1]);
        }
        return out;
    }
}
