package dev.updraft.server.snapshot;

import dev.updraft.protocol.ManifestEntry;
import dev.updraft.server.decision.AppSnapshot;
import dev.updraft.server.decision.BuiltinTarget;
import dev.updraft.server.decision.BundleView;
import dev.updraft.server.decision.ChannelView;
import dev.updraft.server.decision.DisableAutoUpdate;
import dev.updraft.server.decision.DownloadUrls;
import dev.updraft.server.decision.Rollout;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.BundleEntity;
import dev.updraft.server.persistence.BundleKeyVariantEntity;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.server.persistence.DeviceOverrideEntity;
import dev.updraft.server.persistence.ManifestEntryEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hibernate.Session;

/**
 * Reads one app's snapshot, or every app's revision, from the database. In SQL rather than HQL: the server's first
 * answer waits for these reads, and warming HQL's parser took about a seventh of a fresh JVM's start-up work on its
 * main thread (docs/operations.md, "Start-up time"). The statements name the tables and columns of db/migration.
 */
@ApplicationScoped
public class SnapshotLoader {
    @Inject
    Session session;

    /** An app's two counters: of everything its snapshot holds, and of its devices' own channel choices. */
    public record Revision(long app, long deviceChoices) {}

    /** The device choices of one app as stored: device id to channel pk, read after their counter. */
    public record DeviceChoices(long revision, Map<String, Long> channelByDevice) {}

    /** app_id to its counters, for every app. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Map<String, Revision> revisions() {
        Map<String, Revision> out = new HashMap<>();
        for (Object[] row : session.createNativeQuery(
                        "select app_id, revision, choices_revision from apps", Object[].class)
                .getResultList()) {
            out.put((String) row[0], new Revision(((Number) row[1]).longValue(), ((Number) row[2]).longValue()));
        }
        return out;
    }

    /** The app's device choices ('self' overrides), or {@code null} when the app does not exist. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public DeviceChoices deviceChoices(String appId) {
        Object[] app = session.createNativeQuery(
                        "select id, choices_revision from apps where app_id = :id", Object[].class)
                .setParameter("id", appId)
                .uniqueResult();
        if (app == null) {
            return null;
        }
        Map<String, Long> choices = new HashMap<>();
        for (Object[] row : session.createNativeQuery(
                        "select device_id, channel_pk from device_overrides where app_pk = :pk and source = :self",
                        Object[].class)
                .setParameter("pk", app[0])
                .setParameter("self", DeviceOverrideEntity.SELF)
                .getResultList()) {
            choices.put((String) row[0], ((Number) row[1]).longValue());
        }
        return new DeviceChoices(((Number) app[1]).longValue(), choices);
    }

    /**
     * The app's snapshot, or {@code null} when the app does not exist. The revisions are read first. In a transaction
     * of its own: also when called after another one committed (SnapshotRefresh), which may still be the thread's.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public AppSnapshot load(String appId) {
        Session s = session;
        AppEntity app = s.createNativeQuery("select * from apps where app_id = :id", AppEntity.class)
                .setParameter("id", appId)
                .uniqueResult();
        if (app == null) {
            return null;
        }
        List<ChannelEntity> channels = s.createNativeQuery(
                        "select * from channels where app_pk = :pk", ChannelEntity.class)
                .setParameter("pk", app.id)
                .getResultList();
        Set<Long> bundleIds = channels.stream()
                .flatMap(c -> java.util.stream.Stream.of(c.bundlePk, c.rolloutBundlePk))
                .filter(java.util.Objects::nonNull)
                .collect(Collectors.toSet());
        Map<Long, BundleView> bundles = new HashMap<>();
        if (!bundleIds.isEmpty()) {
            Map<Long, List<ManifestEntry>> manifests = new HashMap<>();
            Map<Long, List<Long>> sizes = new HashMap<>();
            for (ManifestEntryEntity m : s.createNativeQuery(
                            "select * from bundle_manifest_entries where bundle_pk in (:ids) order by bundle_pk, position",
                            ManifestEntryEntity.class)
                    .setParameter("ids", bundleIds)
                    .getResultList()) {
                manifests
                        .computeIfAbsent(m.bundlePk, k -> new ArrayList<>())
                        .add(new ManifestEntry(m.fileName, m.fileHash, m.downloadUrl));
                sizes.computeIfAbsent(m.bundlePk, k -> new ArrayList<>()).add(m.size);
            }
            Map<Long, List<BundleKeyVariantEntity>> variants = new HashMap<>();
            for (BundleKeyVariantEntity v : s.createNativeQuery(
                            "select * from bundle_key_variants where bundle_pk in (:ids) order by bundle_pk, id",
                            BundleKeyVariantEntity.class)
                    .setParameter("ids", bundleIds)
                    .getResultList()) {
                variants.computeIfAbsent(v.bundlePk, k -> new ArrayList<>()).add(v);
            }
            for (BundleEntity b : s.createNativeQuery(
                            "select * from bundles where id in (:ids) and deleted_at is null", BundleEntity.class)
                    .setParameter("ids", bundleIds)
                    .getResultList()) {
                BundleView view = BundleView.of(
                        b.version,
                        b.externalUrl,
                        b.checksum,
                        b.sessionKey,
                        b.keyId,
                        manifests.get(b.id),
                        sizes.get(b.id),
                        b.minUpdateVersion,
                        b.link,
                        b.comment,
                        b.breaking);
                List<BundleView> others = new ArrayList<>();
                for (BundleKeyVariantEntity v : variants.getOrDefault(b.id, List.of())) {
                    others.add(BundleView.of(
                            b.version,
                            v.externalUrl,
                            v.checksum,
                            v.sessionKey,
                            v.keyId,
                            List.of(),
                            b.minUpdateVersion,
                            b.link,
                            b.comment,
                            b.breaking));
                }
                bundles.put(b.id, others.isEmpty() ? view : view.withOtherKeys(others));
            }
        }
        Map<Long, ChannelView> views = new HashMap<>();
        for (ChannelEntity c : channels) {
            BundleView bundle = c.bundlePk == null ? null : bundles.get(c.bundlePk);
            DisableAutoUpdate dau = DisableAutoUpdate.of(c.disableAutoUpdate);
            views.put(
                    c.id,
                    new ChannelView(
                            c.id,
                            c.name,
                            bundle,
                            c.bundlePk != null && bundle == null,
                            c.isPublic,
                            c.allowDeviceSelfSet,
                            c.ios,
                            c.android,
                            c.electron,
                            c.allowDev,
                            c.allowProd,
                            c.allowDevice,
                            c.allowEmulator,
                            dau == null ? DisableAutoUpdate.NONE : dau,
                            c.disableAutoUpdateUnderNative,
                            BuiltinTarget.of(c.builtinTarget),
                            rollout(c, bundles)));
        }
        Map<String, AppSnapshot.Override> overrides = new HashMap<>();
        for (DeviceOverrideEntity o : s.createNativeQuery(
                        "select * from device_overrides where app_pk = :pk", DeviceOverrideEntity.class)
                .setParameter("pk", app.id)
                .getResultList()) {
            ChannelView ch = views.get(o.channelPk);
            if (ch != null) {
                overrides.put(o.deviceId, new AppSnapshot.Override(ch, DeviceOverrideEntity.ADMIN.equals(o.source)));
            }
        }
        return new AppSnapshot(
                app.appId,
                app.id,
                app.revision,
                app.choicesRevision,
                app.exposeMetadata,
                app.defaultKeyId,
                new DownloadUrls(
                        AppEntity.PRESIGNED.equals(app.downloadUrlMode),
                        java.time.Duration.ofSeconds(app.presignedUrlTtlSeconds)),
                views.values(),
                overrides);
    }

    /** The channel's running rollout, or {@code null}: none, switched off, or its bundle is gone. */
    static Rollout rollout(ChannelEntity c, Map<Long, BundleView> bundles) {
        BundleView b = c.rolloutBundlePk == null ? null : bundles.get(c.rolloutBundlePk);
        if (!c.rolloutEnabled || b == null || c.rolloutId == null) {
            return null;
        }
        return new Rollout(c.rolloutId, b, c.rolloutPercentageBps, c.rolloutPausedAt != null);
    }
}
