package dev.updraft.server.admin;

import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.BundleEntity;
import dev.updraft.server.persistence.Db;
import dev.updraft.server.persistence.ManifestEntryEntity;
import dev.updraft.server.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.util.List;

/** Bundles: registered by external URL; a version name is never reused, not even after a delete. */
@ApplicationScoped
public class BundleAdmin {
    @Inject
    Db db;

    /** The stored bundle and whether this call created it. */
    public record Created(Dtos.Bundle bundle, boolean created) {
    }

    static Dtos.Bundle dto(Session s, BundleEntity b) {
        List<Dtos.ManifestEntry> manifest = s.createSelectionQuery(
                        "from ManifestEntryEntity where bundlePk = :id order by position", ManifestEntryEntity.class)
                .setParameter("id", b.id).getResultList().stream()
                .map(m -> new Dtos.ManifestEntry(m.fileName, m.fileHash, m.downloadUrl)).toList();
        return new Dtos.Bundle(b.version, b.externalUrl, b.checksum, b.sessionKey == null ? "" : b.sessionKey, b.keyId, manifest,
                b.minUpdateVersion, b.link, b.comment, b.breaking, b.encrypted(), Times.iso(b.createdAt));
    }

    @Transactional
    public List<Dtos.Bundle> list(String appId) {
        Session s = db.session();
        AppEntity a = Lookups.app(s, appId);
        return s.createSelectionQuery("from BundleEntity where appPk = :pk and deletedAt is null order by createdAt desc, id desc", BundleEntity.class)
                .setParameter("pk", a.id).getResultList().stream().map(b -> dto(s, b)).toList();
    }

    @Transactional
    public Dtos.Bundle get(String appId, String version) {
        Session s = db.session();
        return dto(s, Lookups.bundle(s, Lookups.app(s, appId).id, version));
    }

    @Transactional
    public Created create(String appId, BundleInput in) {
        Session s = db.session();
        AppEntity a = Lookups.app(s, appId);
        BundleEntity existing = s.createSelectionQuery("from BundleEntity where appPk = :pk and version = :v", BundleEntity.class)
                .setParameter("pk", a.id).setParameter("v", in.version()).uniqueResult();
        if (existing != null) {
            if (existing.deletedAt == null) {
                Dtos.Bundle current = dto(s, existing);
                if (in.sameAs(current)) {
                    return new Created(current, false);
                }
                throw ApiException.conflict("version_exists", "Version " + in.version() + " already exists with other content; use a new version name");
            }
            throw ApiException.conflict("version_exists", "Version " + in.version() + " was used by a deleted bundle; version names are never reused");
        }
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
            s.persist(m);
        }
        return new Created(dto(s, b), true);
    }

    @Transactional
    public void delete(String appId, String version) {
        Session s = db.session();
        AppEntity a = Lookups.app(s, appId);
        BundleEntity b = Lookups.bundle(s, a.id, version);
        List<String> users = s.createSelectionQuery("select c.name from ChannelEntity c where c.bundlePk = :id order by c.name", String.class)
                .setParameter("id", b.id).getResultList();
        if (!users.isEmpty()) {
            throw ApiException.conflict("bundle_in_use", "Channel(s) " + String.join(", ", users) + " point at this bundle");
        }
        b.deletedAt = Times.now();
        s.createMutationQuery("delete from ManifestEntryEntity where bundlePk = :id").setParameter("id", b.id).executeUpdate();
    }
}
