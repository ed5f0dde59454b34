package dev.updraft.server.admin;

import dev.updraft.protocol.Identifier;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.Transactions;
import dev.updraft.server.snapshot.AppChanged;
import dev.updraft.server.storage.s3.S3Bucket;
import dev.updraft.server.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import org.hibernate.Session;

/** Apps: create, list, read, delete (with everything that belongs to them). */
@ApplicationScoped
public class AppAdmin {
    @Inject
    Session session;

    @Inject
    Transactions tx;

    @Inject
    Event<AppChanged> changes;

    @Inject
    S3Bucket bucket;

    /** How devices get the app's bundle URLs; {@code null} fields: unchanged (or the default, for a new app). */
    public record DownloadUrlSettings(String mode, Integer ttlSeconds) {}

    static Dtos.App dto(AppEntity a) {
        return new Dtos.App(
                a.appId,
                a.name,
                a.exposeMetadata,
                a.defaultKeyId,
                a.downloadUrlMode,
                a.presignedUrlTtlSeconds,
                Times.iso(a.createdAt));
    }

    /** Presigned URLs are signed with the server's bucket settings: without a bucket, there is nothing to sign with. */
    private void checkPresignable(DownloadUrlSettings urls) {
        if (AppEntity.PRESIGNED.equals(urls.mode()) && !bucket.configured()) {
            throw ApiException.badRequest(
                    "s3_not_configured",
                    "download_url_mode presigned needs the server's S3 bucket: set updraft.storage.s3.bucket (docs/operations.md, \"S3 storage\")");
        }
    }

    /** Applies the settings; whether the update check's answers change. */
    private static boolean apply(AppEntity a, DownloadUrlSettings urls) {
        boolean changed = false;
        if (urls.mode() != null && !urls.mode().equals(a.downloadUrlMode)) {
            a.downloadUrlMode = urls.mode();
            changed = true;
        }
        if (urls.ttlSeconds() != null && urls.ttlSeconds() != a.presignedUrlTtlSeconds) {
            a.presignedUrlTtlSeconds = urls.ttlSeconds();
            changed = true;
        }
        return changed;
    }

    /** Apps by app id. */
    @Transactional
    public Page<Dtos.App> list(Paging.Request page) {
        List<AppEntity> rows = page.query(session, AppEntity.class, null, "appId > :after", "appId")
                .getResultList();
        return page.page(rows, Paging.each(AppAdmin::dto), a -> List.of(a.appId));
    }

    @Transactional
    public Dtos.App get(String appId) {
        return dto(Lookups.app(appId));
    }

    /** Creates the app; one of several identical concurrent creates wins, the others get 409 app_exists. */
    public Dtos.App create(
            String appId, String name, boolean exposeMetadata, String defaultKeyId, DownloadUrlSettings urls) {
        checkPresignable(urls);
        return tx.write(() -> {
            Session s = session;
            if (s.createSelectionQuery("select count(a) from AppEntity a where a.appId = :id", Long.class)
                            .setParameter("id", appId)
                            .getSingleResult()
                    > 0) {
                throw ApiException.conflict("app_exists", "The app '" + appId + "' already exists");
            }
            AppEntity a = new AppEntity();
            a.appId = appId;
            a.name = name == null ? appId : name;
            a.exposeMetadata = exposeMetadata;
            a.defaultKeyId = defaultKeyId == null || defaultKeyId.isEmpty() ? null : defaultKeyId;
            apply(a, urls);
            a.revision = 1;
            a.createdAt = Times.now();
            s.persist(a);
            changes.fire(AppChanged.app(appId, a.id));
            return dto(a);
        });
    }

    /**
     * Changes the given fields ({@code null}: unchanged; {@code defaultKeyId ""}: none); the update check reads
     * {@code expose_metadata}, {@code default_key_id} and the download URL settings. Under the app's lock
     * (Lookups.appLocked), like every write under an app.
     */
    public Dtos.App patch(
            String appId, String name, Boolean exposeMetadata, String defaultKeyId, DownloadUrlSettings urls) {
        checkPresignable(urls);
        return tx.write(() -> {
            AppEntity a = Lookups.appLocked(appId);
            if (name != null) {
                a.name = name;
            }
            boolean changed = apply(a, urls);
            if (exposeMetadata != null && exposeMetadata != a.exposeMetadata) {
                a.exposeMetadata = exposeMetadata;
                changed = true;
            }
            if (changed) {
                changes.fire(AppChanged.app(appId, a.id));
            }
            String keyId = defaultKeyId == null || defaultKeyId.isEmpty() ? null : defaultKeyId;
            if (defaultKeyId != null && !java.util.Objects.equals(keyId, a.defaultKeyId)) {
                a.defaultKeyId = keyId;
                changes.fire(AppChanged.app(appId, a.id));
            }
            return dto(a);
        });
    }

    /** Deletes the app and all it holds; the app row is locked first, so concurrent deletes after the first find nothing (404). */
    public void delete(String appId) {
        tx.write(() -> {
            Session s = session;
            AppEntity a = Lookups.appLocked(appId);
            for (String entity : List.of("DeviceOverrideEntity", "DeviceEntity", "StatsEventEntity", "ChannelEntity")) {
                s.createMutationQuery("delete from " + entity + " where appPk = :pk")
                        .setParameter("pk", a.id)
                        .executeUpdate();
            }
            s.createMutationQuery(
                            "delete from BundleKeyVariantEntity where bundlePk in (select b.id from BundleEntity b where b.appPk = :pk)")
                    .setParameter("pk", a.id)
                    .executeUpdate();
            s.createMutationQuery(
                            "delete from ManifestEntryEntity where bundlePk in (select b.id from BundleEntity b where b.appPk = :pk)")
                    .setParameter("pk", a.id)
                    .executeUpdate();
            s.createMutationQuery("delete from BundleEntity where appPk = :pk")
                    .setParameter("pk", a.id)
                    .executeUpdate();
            s.remove(a);
            changes.fire(AppChanged.app(appId, a.id));
        });
    }

    static void validateAppId(Body body, String appId) {
        body.identifier("app_id", appId, Identifier.APP_ID);
    }

    /** {@code default_key_id}: a key id (20 base64 characters), or {@code ""} for none. */
    static void validateDefaultKeyId(Body body, String keyId) {
        if (keyId != null
                && !keyId.isEmpty()
                && !BundleInput.KEY_ID.matcher(keyId).matches()) {
            body.problem(
                    "default_key_id",
                    "must be a key id (the first 20 base64 characters of the public key's PEM body), or \"\" for none");
        }
    }
}
