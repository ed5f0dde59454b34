package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.BundleEntity;
import dev.updraft.server.persistence.BundleKeyVariantEntity;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.server.persistence.ManifestEntryEntity;
import dev.updraft.server.persistence.Transactions;
import dev.updraft.server.snapshot.AppChanged;
import dev.updraft.server.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/** Bundles: registered by external URL; a version name is never reused, not even after a delete. */
@ApplicationScoped
public class BundleAdmin {
    @Inject
    Session session;

    @Inject
    Transactions tx;

    @Inject
    Event<AppChanged> changes;

    static Dtos.Bundle dto(Session s, BundleEntity b) {
        return dto(
                b,
                manifests(s, List.of(b.id)).getOrDefault(b.id, List.of()),
                variants(s, List.of(b.id)).getOrDefault(b.id, List.of()));
    }

    private static Dtos.Bundle dto(BundleEntity b, List<Dtos.ManifestEntry> manifest, List<Dtos.KeyVariant> variants) {
        return new Dtos.Bundle(
                b.version,
                b.externalUrl,
                b.checksum,
                b.sessionKey == null ? "" : b.sessionKey,
                b.keyId,
                manifest,
                b.minUpdateVersion,
                b.link,
                b.comment,
                b.breaking,
                b.encrypted(),
                variants,
                Times.iso(b.createdAt));
    }

    /** The key variants of these bundles (docs/admin-api.md, "Key variants"), in one query, in registration order. */
    static Map<Long, List<Dtos.KeyVariant>> variants(Session s, java.util.Collection<Long> bundlePks) {
        Map<Long, List<Dtos.KeyVariant>> byBundle = new HashMap<>();
        if (bundlePks.isEmpty()) {
            return byBundle;
        }
        for (BundleKeyVariantEntity v : s.createSelectionQuery(
                        "from BundleKeyVariantEntity where bundlePk in :ids order by bundlePk, id",
                        BundleKeyVariantEntity.class)
                .setParameter("ids", bundlePks)
                .getResultList()) {
            byBundle.computeIfAbsent(v.bundlePk, k -> new ArrayList<>())
                    .add(new Dtos.KeyVariant(v.keyId, v.externalUrl, v.checksum, v.sessionKey));
        }
        return byBundle;
    }

    /** The manifests of these bundles, in one query. */
    private static Map<Long, List<Dtos.ManifestEntry>> manifests(Session s, List<Long> bundlePks) {
        Map<Long, List<Dtos.ManifestEntry>> byBundle = new HashMap<>();
        if (bundlePks.isEmpty()) {
            return byBundle;
        }
        for (ManifestEntryEntity m : s.createSelectionQuery(
                        "from ManifestEntryEntity where bundlePk in :ids order by bundlePk, position",
                        ManifestEntryEntity.class)
                .setParameter("ids", bundlePks)
                .getResultList()) {
            byBundle.computeIfAbsent(m.bundlePk, k -> new ArrayList<>())
                    .add(new Dtos.ManifestEntry(m.fileName, m.fileHash, m.downloadUrl, m.size));
        }
        return byBundle;
    }

    /** Live bundles, newest (last registered) first. */
    @Transactional
    public Page<Dtos.Bundle> list(String appId, Paging.Request page) {
        Session s = session;
        AppEntity a = Lookups.app(appId);
        List<BundleEntity> rows = page.query(
                        s, BundleEntity.class, "appPk = :pk and deletedAt is null", "id < :after", "id desc")
                .setParameter("pk", a.id)
                .getResultList();
        return page.page(
                rows,
                shown -> {
                    List<Long> ids = shown.stream().map(b -> b.id).toList();
                    Map<Long, List<Dtos.ManifestEntry>> manifests = manifests(s, ids);
                    Map<Long, List<Dtos.KeyVariant>> variants = variants(s, ids);
                    return shown.stream()
                            .map(b -> dto(
                                    b, manifests.getOrDefault(b.id, List.of()), variants.getOrDefault(b.id, List.of())))
                            .toList();
                },
                b -> List.of(b.id.toString()));
    }

    @Transactional
    public Dtos.Bundle get(String appId, String version) {
        Session s = session;
        return dto(s, Lookups.bundle(Lookups.app(appId).id, version));
    }

    /**
     * What one registration did (or, in a dry run, would do): the bundle, whether it was created, and the channel
     * linked to it with whether it was created (null when none was asked for). The answer of a request that names a
     * channel or is a dry run.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Published(
            Dtos.Bundle bundle, boolean bundleCreated, Dtos.Channel channel, boolean channelCreated, boolean dryRun) {}

    /**
     * Registers the bundle and links the channel in one transaction (docs/admin-api.md, "Bundles"). Everything that
     * can refuse the request is checked before the first write: the app, the version (free, or registered with
     * identical content), the channel (exists, or may be created). So a refusal leaves nothing behind, and a dry run
     * returns right before the writes with what they would store.
     *
     * <p>Identical concurrent requests: one creates, the others find its rows when their transaction is run again
     * (Transactions) and answer as an identical retry.
     */
    public Published publish(String appId, BundleInput in) {
        return tx.write(() -> publishOnce(appId, in));
    }

    private Published publishOnce(String appId, BundleInput in) {
        Session s = session;
        AppEntity a = Lookups.appLocked(appId);
        BundleEntity existing = s.createSelectionQuery(
                        "from BundleEntity where appPk = :pk and version = :v", BundleEntity.class)
                .setParameter("pk", a.id)
                .setParameter("v", in.version())
                .uniqueResult();
        if (existing != null) {
            if (existing.deletedAt != null) {
                throw ApiException.conflict(
                        "version_exists",
                        "Version " + in.version() + " was used by a deleted bundle; version names are never reused");
            }
            if (!in.sameAs(dto(s, existing))) {
                throw ApiException.conflict(
                        "version_exists",
                        "Version " + in.version() + " already exists with other content; use a new version name");
            }
        }
        ChannelEntity channel = in.channel() == null ? null : Lookups.channelOrNull(a.id, in.channel());
        if (in.channel() != null && channel == null && !in.createChannel()) {
            throw ApiException.notFound(
                    "channel_not_found",
                    "No channel '" + in.channel() + "' in this app (send create_channel: true to create it)");
        }
        boolean createChannel = in.channel() != null && channel == null;
        if (createChannel) {
            channel = new ChannelEntity();
            channel.appPk = a.id;
            channel.name = in.channel();
            // The first channel devices can get without choosing one: as the official CLI does on a first upload.
            channel.isPublic = s.createSelectionQuery(
                                    "select count(*) from ChannelEntity where appPk = :pk and isPublic = true",
                                    Long.class)
                            .setParameter("pk", a.id)
                            .getSingleResult()
                    == 0;
        }

        if (in.dryRun()) {
            Dtos.Bundle bundle = existing != null ? dto(s, existing) : in.toDto();
            Dtos.Channel wouldBe = channel == null
                    ? null
                    : in.rolloutBps() == null
                            ? ChannelAdmin.dto(channel, in.version(), null)
                            : ChannelAdmin.dto(channel, null, in.version());
            return new Published(bundle, existing == null, wouldBe, createChannel, true);
        }
        BundleEntity b = existing != null ? existing : insert(s, a, in);
        if (channel == null) {
            return new Published(dto(s, b), existing == null, null, false, false);
        }
        boolean channelChanges = in.rolloutBps() == null
                ? !b.id.equals(channel.bundlePk)
                : RolloutAdmin.wouldChange(channel, b.id, in.rolloutBps());
        if (!createChannel && !channelChanges) {
            return new Published(
                    dto(s, b), existing == null, ChannelAdmin.dto(channel), false, false); // nothing changes
        }
        if (in.rolloutBps() == null) {
            channel.bundlePk = b.id;
            RolloutAdmin.stableChanged(channel);
        } else {
            RolloutAdmin.rollOut(channel, b.id, in.rolloutBps(), in.version());
        }
        channel.updatedAt = Times.now();
        if (createChannel) {
            channel.createdAt = channel.updatedAt;
            s.persist(channel);
        }
        changes.fire(AppChanged.app(appId, a.id));
        return new Published(dto(s, b), existing == null, ChannelAdmin.dto(channel), createChannel, false);
    }

    private static BundleEntity insert(Session s, AppEntity a, BundleInput in) {
        BundleEntity b = new BundleEntity();
        b.appPk = a.id;
        b.version = in.version();
        b.externalUrl = in.externalUrl();
        b.checksum = in.checksum();
        b.sessionKey = in.sessionKey();
        b.keyId = in.keyId();
        b.minUpdateVersion = in.minUpdateVersion();
        b.link = in.link();
        b.comment = in.comment();
        b.breaking = in.breaking();
        b.createdAt = Times.now();
        s.persist(b);
        int pos = 0;
        for (Dtos.ManifestEntry e : in.manifest()) {
            ManifestEntryEntity m = new ManifestEntryEntity();
            m.bundlePk = b.id;
            m.position = pos++;
            m.fileName = e.fileName();
            m.fileHash = e.fileHash();
            m.downloadUrl = e.downloadUrl();
            m.size = e.size();
            s.persist(m);
        }
        for (Dtos.KeyVariant v : in.variants()) {
            persistVariant(s, b, v);
        }
        return b;
    }

    private static void persistVariant(Session s, BundleEntity b, Dtos.KeyVariant v) {
        BundleKeyVariantEntity e = new BundleKeyVariantEntity();
        e.bundlePk = b.id;
        e.keyId = v.keyId();
        e.externalUrl = v.externalUrl();
        e.checksum = v.checksum();
        e.sessionKey = v.sessionKey();
        e.createdAt = Times.now();
        s.persist(e);
    }

    /**
     * Adds a variant for one more key to a registered release (docs/admin-api.md, "Key variants"): how a live release
     * reaches devices that ship a new key. Refused with 409 {@code variant_exists} when the release already has a
     * variant for that key id (its own or another: they are never replaced, devices may be downloading them), and
     * with 400 for an unencrypted or delta release; the identical variant again is a retry (nothing changes). Under the app's lock, like every write under an app.
     */
    public AddedVariant addVariant(String appId, String version, Dtos.KeyVariant v) {
        return tx.write(() -> {
            Session s = session;
            AppEntity a = Lookups.appLocked(appId);
            BundleEntity b = Lookups.bundle(a.id, version);
            if (!b.encrypted()) {
                throw ApiException.badRequest(
                        "not_encrypted",
                        "Bundle " + version + " is not encrypted: key variants are for encrypted releases");
            }
            if (!manifests(s, List.of(b.id)).getOrDefault(b.id, List.of()).isEmpty()) {
                throw ApiException.badRequest(
                        "delta_release",
                        "Bundle " + version
                                + " is a delta release, encrypted for one key; publish a zip release for several keys");
            }
            List<Dtos.KeyVariant> existing = variants(s, List.of(b.id)).getOrDefault(b.id, List.of());
            if (existing.contains(v)) {
                return new AddedVariant(dto(s, b), false); // an identical retry
            }
            if (v.keyId().equals(b.keyId)
                    || existing.stream().anyMatch(e -> e.keyId().equals(v.keyId()))) {
                throw ApiException.conflict(
                        "variant_exists",
                        "Bundle " + version + " already has a variant for key id " + v.keyId()
                                + "; a variant is never replaced (devices may be downloading it)");
            }
            if (existing.size() >= BundleInput.MAX_VARIANTS) {
                throw ApiException.badRequest(
                        "too_many_variants",
                        "Bundle " + version + " already has " + (existing.size() + 1) + " key variants");
            }
            persistVariant(s, b, v);
            changes.fire(AppChanged.app(appId, a.id));
            return new AddedVariant(dto(s, b), true);
        });
    }

    /** The release after {@link #addVariant}, and whether the variant is new (false: an identical retry). */
    public record AddedVariant(Dtos.Bundle bundle, boolean created) {}

    /**
     * Marks the bundle deleted, unless a channel points at it. Under the app's lock (Lookups.appLocked), so a channel
     * linked at the same moment is either seen here (409 bundle_in_use) or finds the bundle gone (404).
     */
    public void delete(String appId, String version) {
        tx.write(() -> {
            Session s = session;
            AppEntity a = Lookups.appLocked(appId);
            BundleEntity b = Lookups.bundle(a.id, version);
            List<String> users = s.createSelectionQuery(
                            "select c.name from ChannelEntity c where c.bundlePk = :id or c.rolloutBundlePk = :id order by c.name",
                            String.class)
                    .setParameter("id", b.id)
                    .getResultList();
            if (!users.isEmpty()) {
                throw ApiException.conflict(
                        "bundle_in_use", "Channel(s) " + String.join(", ", users) + " point at this bundle");
            }
            b.deletedAt = Times.now();
            s.createMutationQuery("delete from ManifestEntryEntity where bundlePk = :id")
                    .setParameter("id", b.id)
                    .executeUpdate();
        });
    }
}
