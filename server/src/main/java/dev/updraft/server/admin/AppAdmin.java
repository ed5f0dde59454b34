package dev.updraft.server.admin;

import dev.updraft.protocol.Identifier;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.Transactions;
import dev.updraft.server.snapshot.AppChanged;
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

    static Dtos.App dto(AppEntity a) {
        return new Dtos.App(a.appId, a.name, a.exposeMetadata, a.defaultKeyId, Times.iso(a.createdAt));
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
    public Dtos.App create(String appId, String name, boolean exposeMetadata, String defaultKeyId) {
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
            a.revision = 1;
            a.createdAt = Times.now();
            s.persist(a);
            changes.fire(AppChanged.app(appId, a.id));
            return dto(a);
        });
    }

    /**
     * Changes the given fields ({@code null}: unchanged; {@code defaultKeyId ""}: none); the update check reads
     * {@code expose_metadata} and {@code default_key_id}. Under the app's lock (Lookups.appLocked), like every write
     * under an app.
     */
    public Dtos.App patch(String appId, String name, Boolean exposeMetadata, String defaultKeyId) {
        return tx.write(() -> {
            AppEntity a = Lookups.appLocked(appId);
            if (name != null) {
                a.name = name;
            }
            if (exposeMetadata != null && exposeMetadata != a.exposeMetadata) {
                a.exposeMetadata = exposeMetadata;
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
