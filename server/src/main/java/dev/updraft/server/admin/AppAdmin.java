package dev.updraft.server.admin;

import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.Db;
import dev.updraft.protocol.Identifier;
import dev.updraft.server.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.util.List;

/** Apps: create, list, read, delete (with everything that belongs to them). */
@ApplicationScoped
public class AppAdmin {
    @Inject
    Db db;

    static Dtos.App dto(AppEntity a) {
        return new Dtos.App(a.appId, a.name, Times.iso(a.createdAt));
    }

    @Transactional
    public List<Dtos.App> list() {
        return db.session().createSelectionQuery("from AppEntity order by appId", AppEntity.class).getResultList().stream().map(AppAdmin::dto).toList();
    }

    @Transactional
    public Dtos.App get(String appId) {
        return dto(Lookups.app(db.session(), appId));
    }

    @Transactional
    public Dtos.App create(String appId, String name) {
        Session s = db.session();
        if (s.createSelectionQuery("select count(a) from AppEntity a where a.appId = :id", Long.class).setParameter("id", appId).getSingleResult() > 0) {
            throw ApiException.conflict("app_exists", "The app '" + appId + "' already exists");
        }
        AppEntity a = new AppEntity();
        a.appId = appId;
        a.name = name == null ? appId : name;
        a.revision = 1;
        a.createdAt = Times.now();
        s.persist(a);
        return dto(a);
    }

    @Transactional
    public void delete(String appId) {
        Session s = db.session();
        AppEntity a = Lookups.app(s, appId);
        for (String entity : List.of("DeviceOverrideEntity", "DeviceEntity", "StatsEventEntity", "ChannelEntity")) {
            s.createMutationQuery("delete from " + entity + " where appPk = :pk").setParameter("pk", a.id).executeUpdate();
        }
        s.createMutationQuery("delete from ManifestEntryEntity where bundlePk in (select b.id from BundleEntity b where b.appPk = :pk)")
                .setParameter("pk", a.id).executeUpdate();
        s.createMutationQuery("delete from BundleEntity where appPk = :pk").setParameter("pk", a.id).executeUpdate();
        s.remove(a);
    }

    static void validateAppId(Body body, String appId) {
        body.identifier("app_id", appId, Identifier.APP_ID);
    }
}
