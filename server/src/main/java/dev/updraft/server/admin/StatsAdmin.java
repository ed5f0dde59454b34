package dev.updraft.server.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.protocol.Semver;
import dev.updraft.protocol.StatsAction;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.server.persistence.StatsEventEntity;
import dev.updraft.server.release.Funnel;
import dev.updraft.server.release.ReleaseHealth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hibernate.Session;
import org.hibernate.query.SelectionQuery;

/** Release health from the stored /stats events: installs, failures and devices per version and per channel. */
@ApplicationScoped
public class StatsAdmin {
    static final String INSTALL = StatsAction.SET.wire();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    @Inject
    Session session;

    @Inject
    ObjectMapper mapper;

    @Transactional
    public Dtos.Stats stats(String appId) {
        Session s = session;
        AppEntity a = Lookups.app(appId);
        Map<String, Map<String, Long>> actions = new HashMap<>();
        for (Object[] row : s.createSelectionQuery(
                        "select e.version, e.action, count(e) from StatsEventEntity e where e.appPk = :pk and e.version is not null group by e.version, e.action",
                        Object[].class)
                .setParameter("pk", a.id)
                .getResultList()) {
            actions.computeIfAbsent((String) row[0], k -> new TreeMap<>()).put((String) row[1], (Long) row[2]);
        }
        Map<String, Long> devices = new HashMap<>();
        for (Object[] row : s.createSelectionQuery(
                        "select e.version, count(distinct e.deviceId) from StatsEventEntity e where e.appPk = :pk and e.version is not null group by e.version",
                        Object[].class)
                .setParameter("pk", a.id)
                .getResultList()) {
            devices.put((String) row[0], (Long) row[1]);
        }
        for (String v : s.createSelectionQuery(
                        "select b.version from BundleEntity b where b.appPk = :pk and b.deletedAt is null",
                        String.class)
                .setParameter("pk", a.id)
                .getResultList()) {
            actions.computeIfAbsent(v, k -> new TreeMap<>());
        }
        Map<String, Funnel> funnels = ReleaseHealth.funnels(s, a.id);
        funnels.keySet().forEach(v -> actions.computeIfAbsent(v, k -> new TreeMap<>()));
        Map<String, Dtos.VersionStats> byVersion = new HashMap<>();
        actions.forEach((v, acts) -> byVersion.put(
                v, versionStats(v, acts, devices.getOrDefault(v, 0L), funnels.getOrDefault(v, Funnel.EMPTY))));
        List<Dtos.VersionStats> versions = new ArrayList<>(byVersion.values());
        versions.sort(NEWEST_FIRST);

        List<Dtos.ChannelStats> channels = new ArrayList<>();
        List<ChannelEntity> appChannels = ChannelEntity.list("appPk = ?1 order by name", a.id);
        Map<Long, String> served = Lookups.bundleVersions(appChannels);
        for (ChannelEntity c : appChannels) {
            String version = c.bundlePk == null ? null : served.get(c.bundlePk);
            Dtos.VersionStats vs = version == null ? null : byVersion.get(version);
            channels.add(
                    vs == null
                            ? new Dtos.ChannelStats(c.name, version, 0, 0, 0)
                            : new Dtos.ChannelStats(c.name, version, vs.installs(), vs.failures(), vs.devices()));
        }
        return new Dtos.Stats(versions, channels);
    }

    /** The funnel of {@code version} (on {@code channel}, if given) per UTC hour, over the last {@code hours} hours. */
    @Transactional
    public Dtos.HourlyFunnel hourly(String appId, String version, String channel, int hours, java.time.Instant now) {
        AppEntity a = Lookups.app(appId);
        if (channel != null) {
            Lookups.channel(a.id, channel);
        }
        java.time.Instant since =
                now.truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(java.time.Duration.ofHours(hours - 1L));
        return new Dtos.HourlyFunnel(
                version,
                channel,
                since.toString(),
                ReleaseHealth.hourly(session, a.id, version, channel, since).stream()
                        .map(Dtos.Hour::of)
                        .toList());
    }

    static Dtos.VersionStats versionStats(String version, Map<String, Long> actions, long devices, Funnel funnel) {
        long installs = actions.getOrDefault(INSTALL, 0L);
        // The protocol's catalogue says which actions are failures; an unknown action never is one.
        long failures = actions.entrySet().stream()
                .filter(e -> StatsAction.isFailure(e.getKey()))
                .mapToLong(Map.Entry::getValue)
                .sum();
        return new Dtos.VersionStats(version, installs, failures, devices, actions, Dtos.Funnel.of(funnel));
    }

    /** Semantic versions newest first, then other names alphabetically. */
    static final Comparator<Dtos.VersionStats> NEWEST_FIRST = (x, y) -> {
        Optional<Semver> a = Semver.parse(x.version());
        Optional<Semver> b = Semver.parse(y.version());
        if (a.isPresent() && b.isPresent()) {
            int c = b.get().compareTo(a.get());
            return c != 0 ? c : x.version().compareTo(y.version());
        }
        if (a.isPresent() != b.isPresent()) {
            return a.isPresent() ? -1 : 1;
        }
        return x.version().compareTo(y.version());
    };

    /** Events newest first (by the time received, then id), filtered by device, action and version. */
    @Transactional
    public Page<Dtos.Event> events(String appId, String deviceId, String action, String version, Paging.Request page) {
        Session s = session;
        AppEntity a = Lookups.app(appId);
        StringBuilder q = new StringBuilder("from StatsEventEntity e where e.appPk = :pk");
        if (deviceId != null) {
            q.append(" and e.deviceId = :d");
        }
        if (action != null) {
            q.append(" and e.action = :a");
        }
        if (version != null) {
            q.append(" and e.version = :v");
        }
        if (!page.first()) {
            q.append(" and (e.receivedAt < :t or (e.receivedAt = :t and e.id < :id))");
        }
        q.append(" order by e.receivedAt desc, e.id desc");
        SelectionQuery<StatsEventEntity> query =
                s.createSelectionQuery(q.toString(), StatsEventEntity.class).setParameter("pk", a.id);
        if (deviceId != null) {
            query.setParameter("d", deviceId);
        }
        if (action != null) {
            query.setParameter("a", action);
        }
        if (version != null) {
            query.setParameter("v", version);
        }
        if (!page.first()) {
            query.setParameter("t", page.time(0)).setParameter("id", page.number(1));
        }
        return page.page(
                query.setMaxResults(page.fetch()).getResultList(),
                Paging.each(e -> new Dtos.Event(
                        e.deviceId,
                        e.action,
                        e.versionName,
                        e.oldVersionName,
                        e.platform,
                        e.clientTimestamp,
                        Times.iso(e.receivedAt),
                        metadata(e.metadata))),
                e -> List.of(e.receivedAt.toString(), e.id.toString()));
    }

    private Map<String, String> metadata(String json) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readValue(json, STRING_MAP);
        } catch (Exception e) {
            return null;
        }
    }
}
