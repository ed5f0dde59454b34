package dev.updraft.server.admin;

import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.BundleEntity;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.server.web.ApiException;
import org.hibernate.Session;

/** Finding an app, bundle or channel, or the admin API's 404. */
final class Lookups {
    private Lookups() {
    }

    static AppEntity app(Session s, String appId) {
        AppEntity a = s.createSelectionQuery("from AppEntity where appId = :id", AppEntity.class).setParameter("id", appId).uniqueResult();
        if (a == null) {
            throw ApiException.notFound("app_not_found", "No app '" + appId + "'");
        }
        return a;
    }

    /** A live (not deleted) bundle, or {@code null}. */
    static BundleEntity bundleOrNull(Session s, long appPk, String version) {
        return s.createSelectionQuery("from BundleEntity where appPk = :pk and version = :v and deletedAt is null", BundleEntity.class)
                .setParameter("pk", appPk).setParameter("v", version).uniqueResult();
    }

    static BundleEntity bundle(Session s, long appPk, String version) {
        BundleEntity b = bundleOrNull(s, appPk, version);
        if (b == null) {
            throw ApiException.notFound("bundle_not_found", "No bundle '" + version + "' in this app");
        }
        return b;
    }

    static ChannelEntity channelOrNull(Session s, long appPk, String name) {
        return s.createSelectionQuery("from ChannelEntity where appPk = :pk and name = :n", ChannelEntity.class)
                .setParameter("pk", appPk).setParameter("n", name).uniqueResult();
    }

    static ChannelEntity channel(Session s, long appPk, String name) {
        ChannelEntity c = channelOrNull(s, appPk, name);
        if (c == null) {
            throw ApiException.notFound("channel_not_found", "No channel '" + name + "' in this app");
        }
        return c;
    }
}
