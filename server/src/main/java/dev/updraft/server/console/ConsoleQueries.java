package dev.updraft.server.console;

import dev.updraft.protocol.Semver;
import dev.updraft.server.admin.RolloutAdmin;
import dev.updraft.server.config.UpdraftConfig;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.BundleEntity;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.server.persistence.DeviceEntity;
import dev.updraft.server.persistence.DeviceOverrideEntity;
import dev.updraft.server.persistence.StatsEventEntity;
import dev.updraft.server.release.AutoPausePolicy;
import dev.updraft.server.release.Funnel;
import dev.updraft.server.release.ReleaseHealth;
import dev.updraft.server.security.AuditLog;
import dev.updraft.server.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.hibernate.Session;

/**
 * What the console's pages read: a few grouped queries per page, whatever the number of releases and devices (the
 * funnels come from {@link ReleaseHealth}, as in the stats API). Read-only; every change goes through the admin
 * services (see {@link ConsoleActions}).
 */
@ApplicationScoped
public class ConsoleQueries {
    /** Devices shown by a search, or as the most recently seen. */
    static final int DEVICES_SHOWN = 50;
    /** A device's last events shown. */
    static final int EVENTS_SHOWN = 20;

    static final int AUDIT_PAGE = 50;

    @Inject
    Session session;

    @Inject
    UpdraftConfig config;

    @Inject
    AuditLog audit;

    @Transactional
    public List<Views.AppRow> apps() {
        Map<Long, Long> channels = counts("select c.appPk, count(c) from ChannelEntity c group by c.appPk");
        Map<Long, Long> releases =
                counts("select b.appPk, count(b) from BundleEntity b where b.deletedAt is null group by b.appPk");
        Map<Long, Long> devices = counts("select d.appPk, count(d) from DeviceEntity d group by d.appPk");
        return AppEntity.<AppEntity>list("order by appId").stream()
                .map(a -> new Views.AppRow(
                        a.appId,
                        a.name,
                        channels.getOrDefault(a.id, 0L),
                        releases.getOrDefault(a.id, 0L),
                        devices.getOrDefault(a.id, 0L)))
                .toList();
    }

    @Transactional
    public Views.AppPage app(String appId) {
        AppEntity a = app(appId, session);
        List<ChannelEntity> channels = ChannelEntity.list("appPk = ?1 order by name", a.id);
        List<BundleEntity> bundles = BundleEntity.list("appPk = ?1 and deletedAt is null", a.id);
        Map<Long, String> versions = new HashMap<>();
        bundles.forEach(b -> versions.put(b.id, b.version));
        Map<String, Funnel> funnels = ReleaseHealth.funnels(session, a.id);
        Map<String, String> servedBy = servedBy(channels, versions);
        List<Views.ChannelRow> channelRows =
                channels.stream().map(c -> channel(c, versions)).toList();
        List<Views.ReleaseRow> releases = bundles.stream()
                .sorted(NEWEST_FIRST)
                .map(b -> new Views.ReleaseRow(
                        b.version,
                        ConsoleFormat.time(b.createdAt),
                        servedBy.getOrDefault(b.version, ""),
                        funnel(funnels.getOrDefault(b.version, Funnel.EMPTY))))
                .toList();
        return new Views.AppPage(
                a.appId,
                a.name,
                channelRows,
                releases,
                releases.stream().map(Views.ReleaseRow::version).toList());
    }

    /**
     * One release: its funnel, and per UTC hour over the last {@code hours} hours its funnel and failure rate, with
     * the threshold of the automatic pause in force where it is rolled out (else the server's).
     */
    @Transactional
    public Views.ReleasePage release(String appId, String version, int hours, Instant now) {
        AppEntity a = app(appId, session);
        BundleEntity bundle = BundleEntity.<BundleEntity>find(
                        "appPk = ?1 and version = ?2 and deletedAt is null", a.id, version)
                .firstResult();
        Funnel funnel = ReleaseHealth.funnel(session, a.id, version);
        if (bundle == null && funnel.equals(Funnel.EMPTY)) {
            throw ApiException.notFound("bundle_not_found", "No release '" + version + "' in the app '" + appId + "'");
        }
        List<ChannelEntity> channels = ChannelEntity.list("appPk = ?1 order by name", a.id);
        Map<Long, String> versions = new HashMap<>();
        for (BundleEntity b : BundleEntity.<BundleEntity>list("appPk = ?1", a.id)) {
            versions.put(b.id, b.version);
        }
        AutoPausePolicy policy = config.rollouts().autoPause().policy();
        String source = "the server's setting (no channel rolls this release out)";
        for (ChannelEntity c : channels) {
            if (c.rolloutBundlePk != null && version.equals(versions.get(c.rolloutBundlePk))) {
                policy = policyOf(c);
                source = "the policy of the channel '" + c.name + "', which rolls it out";
                break;
            }
        }
        Instant until = now.truncatedTo(ChronoUnit.HOURS);
        Instant since = until.minus(Duration.ofHours(hours - 1L));
        List<ReleaseHealth.Hour> series =
                Charts.filled(ReleaseHealth.hourly(session, a.id, version, null, since), since, until);
        List<Views.HourRow> table = series.stream()
                .filter(h -> h.offered() + h.downloaded() + h.installed() + h.confirmed() + h.failed() > 0)
                .map(h -> new Views.HourRow(
                        ConsoleFormat.time(h.start()),
                        h.offered(),
                        h.downloaded(),
                        h.installed(),
                        h.confirmed(),
                        h.rolledBack(),
                        h.failed(),
                        ConsoleFormat.percent(Charts.failureRate(h))))
                .toList();
        double threshold = policy.maxFailureRate();
        return new Views.ReleasePage(
                a.appId,
                version,
                servedBy(channels, versions).getOrDefault(version, ""),
                funnel(funnel),
                hours,
                ConsoleFormat.percent(threshold),
                source,
                Charts.funnel(
                        series,
                        "Devices per hour that were offered, downloaded, installed, confirmed or failed " + version),
                Charts.failureRate(
                        series,
                        threshold,
                        "Failure rate of " + version + " per hour, with the auto-pause threshold at "
                                + ConsoleFormat.percent(threshold)),
                table);
    }

    /**
     * Devices whose device id or custom id is {@code query} (exact; device ids are case-insensitive UUIDs, so also
     * lower-cased), or the most recently seen when the query is empty.
     */
    @Transactional
    public Views.DeviceSearch devices(String appId, String query) {
        AppEntity a = app(appId, session);
        String q = query == null ? "" : query.strip();
        List<DeviceEntity> rows = q.isEmpty()
                ? DeviceEntity.<DeviceEntity>find("appPk = ?1 order by lastSeen desc", a.id)
                        .range(0, DEVICES_SHOWN - 1)
                        .list()
                : DeviceEntity.<DeviceEntity>find(
                                "appPk = ?1 and (deviceId = ?2 or deviceId = ?3 or customId = ?2) order by lastSeen desc",
                                a.id,
                                q,
                                q.toLowerCase(Locale.ROOT))
                        .range(0, DEVICES_SHOWN - 1)
                        .list();
        return new Views.DeviceSearch(a.appId, q, rows(a.id, rows), q.isEmpty());
    }

    @Transactional
    public Views.DevicePage device(String appId, String deviceId) {
        AppEntity a = app(appId, session);
        DeviceEntity d = DeviceEntity.<DeviceEntity>find("appPk = ?1 and deviceId = ?2", a.id, deviceId)
                .firstResult();
        if (d == null) {
            throw ApiException.notFound("device_not_found", "No device '" + deviceId + "' in the app '" + appId + "'");
        }
        List<Views.EventRow> events = StatsEventEntity.<StatsEventEntity>find(
                        "appPk = ?1 and deviceId = ?2 order by receivedAt desc, id desc", a.id, deviceId)
                .range(0, EVENTS_SHOWN - 1)
                .list()
                .stream()
                .map(e ->
                        new Views.EventRow(ConsoleFormat.time(e.receivedAt), e.action, e.versionName, e.oldVersionName))
                .toList();
        List<String> channels = ChannelEntity.<ChannelEntity>list("appPk = ?1 order by name", a.id).stream()
                .map(c -> c.name)
                .toList();
        return new Views.DevicePage(a.appId, rows(a.id, List.of(d)).get(0), events, channels);
    }

    @Transactional
    public Views.AuditPage audit(Long before) {
        AuditLog.Page page = audit.read(AUDIT_PAGE, before);
        return new Views.AuditPage(
                page.entries().stream()
                        .map(e -> new Views.AuditRow(
                                e.id(),
                                ConsoleFormat.time(e.at()),
                                e.keyName(),
                                e.clientAddress(),
                                e.method(),
                                e.route(),
                                e.pathParams().entrySet().stream()
                                        .map(p -> p.getKey() + "=" + p.getValue())
                                        .collect(Collectors.joining(", ")),
                                e.status()))
                        .toList(),
                page.nextCursor());
    }

    /** The app, or 404 (the console shows it as a page). */
    static AppEntity app(String appId, Session s) {
        AppEntity a = AppEntity.<AppEntity>find("appId", appId).firstResult();
        if (a == null) {
            throw ApiException.notFound("app_not_found", "No app '" + appId + "'");
        }
        return a;
    }

    private List<Views.DeviceRow> rows(long appPk, List<DeviceEntity> devices) {
        if (devices.isEmpty()) {
            return List.of();
        }
        Map<String, String[]> overrides = new HashMap<>();
        for (Object[] row : session.createSelectionQuery(
                        "select o.deviceId, c.name, o.source from DeviceOverrideEntity o, ChannelEntity c"
                                + " where o.channelPk = c.id and o.appPk = :pk and o.deviceId in :ids",
                        Object[].class)
                .setParameter("pk", appPk)
                .setParameter("ids", devices.stream().map(d -> d.deviceId).toList())
                .getResultList()) {
            overrides.put((String) row[0], new String[] {(String) row[1], (String) row[2]});
        }
        return devices.stream()
                .map(d -> {
                    String[] o = overrides.get(d.deviceId);
                    return new Views.DeviceRow(
                            d.deviceId,
                            d.customId == null ? "" : d.customId,
                            d.platform == null ? "" : d.platform,
                            d.versionName == null ? "" : d.versionName,
                            o == null ? "default" : o[0],
                            o == null
                                    ? "the public channel of its platform"
                                    : DeviceOverrideEntity.ADMIN.equals(o[1])
                                            ? "set by an operator"
                                            : "chosen by the device",
                            ConsoleFormat.time(d.lastSeen));
                })
                .toList();
    }

    Views.ChannelRow channel(ChannelEntity c, Map<Long, String> versions) {
        Views.RolloutState state;
        if (c.rolloutBundlePk == null) {
            state = Views.RolloutState.NONE;
        } else if (c.rolloutPausedAt != null) {
            state = RolloutAdmin.BY_AUTO.equals(c.rolloutPausedBy)
                    ? Views.RolloutState.PAUSED_AUTOMATICALLY
                    : Views.RolloutState.PAUSED_BY_HAND;
        } else if (!c.rolloutEnabled) {
            state = Views.RolloutState.DISABLED;
        } else {
            state = Views.RolloutState.ACTIVE;
        }
        AutoPausePolicy p = policyOf(c);
        return new Views.ChannelRow(
                c.name,
                c.isPublic,
                c.bundlePk == null ? "built-in" : versions.getOrDefault(c.bundlePk, "?"),
                c.rolloutBundlePk == null ? "" : versions.getOrDefault(c.rolloutBundlePk, "?"),
                c.rolloutBundlePk == null ? "" : ConsoleFormat.share(c.rolloutPercentageBps),
                state,
                ConsoleFormat.time(c.rolloutPausedAt),
                c.rolloutPauseReason == null ? "" : c.rolloutPauseReason,
                p.action().wire() + " above " + ConsoleFormat.percent(p.maxFailureRate()) + " failures (after "
                        + p.minAttempts() + " devices, " + p.minFailures() + " failures, "
                        + ConsoleFormat.percent(p.confidence()) + " confidence)");
    }

    /** The automatic pause in force on the channel: its own values, the server's for the others. */
    private AutoPausePolicy policyOf(ChannelEntity c) {
        return config.rollouts().autoPause().policy().with(c.autoPauseOverrides());
    }

    /** For each version, the channels serving it: "stable on production, rollout on beta". */
    private static Map<String, String> servedBy(List<ChannelEntity> channels, Map<Long, String> versions) {
        Map<String, List<String>> parts = new TreeMap<>();
        for (ChannelEntity c : channels) {
            if (c.bundlePk != null && versions.containsKey(c.bundlePk)) {
                parts.computeIfAbsent(versions.get(c.bundlePk), k -> new ArrayList<>())
                        .add("stable on " + c.name);
            }
            if (c.rolloutBundlePk != null && versions.containsKey(c.rolloutBundlePk)) {
                parts.computeIfAbsent(versions.get(c.rolloutBundlePk), k -> new ArrayList<>())
                        .add("rollout on " + c.name);
            }
        }
        Map<String, String> out = new HashMap<>();
        parts.forEach((v, p) -> out.put(v, String.join(", ", p)));
        return out;
    }

    static Views.FunnelView funnel(Funnel f) {
        return new Views.FunnelView(
                f.offered(),
                f.downloadStarted(),
                f.downloaded(),
                f.installed(),
                f.confirmed(),
                f.rolledBack(),
                f.failed(),
                ConsoleFormat.percent(f.failureRate()),
                f.failedByStage().entrySet().stream()
                        .filter(e -> e.getValue() > 0)
                        .map(e -> new Views.Stage(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue()))
                        .toList());
    }

    private Map<Long, Long> counts(String query) {
        Map<Long, Long> out = new HashMap<>();
        for (Object[] row : session.createSelectionQuery(query, Object[].class).getResultList()) {
            out.put((Long) row[0], (Long) row[1]);
        }
        return out;
    }

    /** Semantic versions newest first, then other names; then the newest upload. */
    static final Comparator<BundleEntity> NEWEST_FIRST = (x, y) -> {
        Optional<Semver> a = Semver.parse(x.version);
        Optional<Semver> b = Semver.parse(y.version);
        if (a.isPresent() && b.isPresent()) {
            return b.get().compareTo(a.get());
        }
        if (a.isPresent() != b.isPresent()) {
            return a.isPresent() ? -1 : 1;
        }
        return y.createdAt.compareTo(x.createdAt);
    };
}
