package dev.updraft.server.release;

import dev.updraft.protocol.StatsAction;
import org.hibernate.Session;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts release funnels from the stored events and offers (docs/operations.md, "Release health"): a few grouped
 * queries per app, whatever the number of releases and devices. Used by the stats API and the automatic pause.
 */
public final class ReleaseHealth {
    private ReleaseHealth() {
    }

    static final List<String> FAILURES = Arrays.stream(StatsAction.values()).filter(StatsAction::isFailure).map(StatsAction::wire).toList();

    /** The funnel of every release of the app that has events or offers. */
    public static Map<String, Funnel> funnels(Session s, long appPk) {
        Map<String, Long> offered = grouped(s, "select o.version, count(o) from DeviceOfferEntity o where o.appPk = :pk group by o.version",
                appPk, null);
        Map<String, Long> started = devices(s, appPk, Funnel.DOWNLOAD_STARTED.stream().map(StatsAction::wire).toList());
        Map<String, Long> downloaded = devices(s, appPk, List.of(StatsAction.DOWNLOAD_COMPLETE.wire()));
        Map<String, Long> installed = devices(s, appPk, List.of(StatsAction.SET.wire()));
        Map<String, Long> confirmed = devices(s, appPk, List.of(StatsAction.APP_LAUNCH_READY.wire()));
        Map<String, Long> rolledBack = devices(s, appPk, List.of(StatsAction.UPDATE_FAIL.wire()));
        Map<String, Long> failed = devices(s, appPk, FAILURES);
        Map<StatsAction.FailureStage, Map<String, Long>> byStage = new EnumMap<>(StatsAction.FailureStage.class);
        for (StatsAction.FailureStage stage : StatsAction.FailureStage.values()) {
            List<String> actions = Arrays.stream(StatsAction.values()).filter(a -> a.failureStage().orElse(null) == stage)
                    .map(StatsAction::wire).toList();
            byStage.put(stage, devices(s, appPk, actions));
        }
        Set<String> versions = new java.util.HashSet<>(offered.keySet());
        List.of(started, downloaded, installed, confirmed, rolledBack, failed).forEach(m -> versions.addAll(m.keySet()));
        Map<String, Funnel> out = new HashMap<>();
        for (String v : versions) {
            Map<StatsAction.FailureStage, Long> stages = new EnumMap<>(StatsAction.FailureStage.class);
            byStage.forEach((stage, counts) -> stages.put(stage, counts.getOrDefault(v, 0L)));
            out.put(v, new Funnel(offered.getOrDefault(v, 0L), started.getOrDefault(v, 0L), downloaded.getOrDefault(v, 0L),
                    installed.getOrDefault(v, 0L), confirmed.getOrDefault(v, 0L), rolledBack.getOrDefault(v, 0L),
                    failed.getOrDefault(v, 0L), stages));
        }
        return out;
    }

    /**
     * The automatic pause's counts for one release: devices that failed it, and devices that confirmed it without
     * failing it.
     */
    public static AutoPause.Counts outcomes(Session s, long appPk, String version) {
        long failed = s.createSelectionQuery("select count(distinct e.deviceId) from StatsEventEntity e where e.appPk = :pk"
                        + " and e.version = :v and e.action in :a", Long.class)
                .setParameter("pk", appPk).setParameter("v", version).setParameter("a", FAILURES).getSingleResult();
        long confirmed = s.createSelectionQuery("select count(distinct e.deviceId) from StatsEventEntity e where e.appPk = :pk"
                        + " and e.version = :v and e.action = :ready and not exists (select 1 from StatsEventEntity f where f.appPk = e.appPk"
                        + " and f.deviceId = e.deviceId and f.version = e.version and f.action in :a)", Long.class)
                .setParameter("pk", appPk).setParameter("v", version).setParameter("ready", StatsAction.APP_LAUNCH_READY.wire())
                .setParameter("a", FAILURES).getSingleResult();
        return new AutoPause.Counts(failed, confirmed);
    }

    private static Map<String, Long> devices(Session s, long appPk, List<String> actions) {
        return grouped(s, "select e.version, count(distinct e.deviceId) from StatsEventEntity e where e.appPk = :pk"
                + " and e.version is not null and e.action in :a group by e.version", appPk, actions);
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
