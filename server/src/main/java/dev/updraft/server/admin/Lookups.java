package dev.updraft.server.admin;

import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.BundleEntity;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.protocol.Identifier;
import dev.updraft.server.web.ApiException;
import org.hibernate.Session;

/** Finding an app, bundle or channel, or the admin API's 404. */
final class Lookups {
    private Lookups() {
    }

    /** For messages: at most 100 characters, control characters replaced. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        String t = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }

    static AppEntity app(Session s, String appId) {
        if (!Identifier.APP_ID.matches(appId)) {
            throw ApiException.notFound("app_not_found", "No app '" + printable(appId) + "'");
        }
        AppEntity a = s.createSelectionQuery("from AppEntity where appId = :id", AppEntity.class).setParameter("id", appId).uniqueResult();
        if (a == null) {
            throw ApiException.notFound("app_not_found", "No app '" + appId + "'");
        }
        return a;
    }

    /** A live (not deleted) bundle, or {@code null}. */
    static BundleEntity bundleOrNull(Session s, long appPk, String version) {
        if (!Identifier.BUNDLE_VERSION.matches(version)) {
            return null;
        }
        return s.createSelectionQuery("from BundleEntity where appPk = :pk and version = :v and deletedAt is null", BundleEntity.class)
                .setParameter("pk", appPk).setParameter("v", version).uniqueResult();
    }

    static BundleEntity bundle(Session s, long appPk, String version) {
        BundleEntity b = bundleOrNull(s, appPk, version);
        if (b == null) {
            throw ApiException.notFound("bundle_not_found", "No bundle '" + printable(version) + "' in this app");
        }
        return b;
    }

    static ChannelEntity channelOrNull(Session s, long appPk, String name) {
        if (!Identifier.CHANNEL_NAME.matches(name)) {
            return null;
        }
        return s.createSelectionQuery("from ChannelEntity where appPk = :pk and name = :n", ChannelEntity.class)
                .setParameter("pk", appPk).setParameter("n", name).uniqueResult();
    }

    static ChannelEntity channel(Session s, long appPk, String name) {
        ChannelEntity c = channelOrNull(s, appPk, name);
        if (c == null) {
            throw ApiException.notFound("channel_not_found", "No channel '" + printable(name) + "' in this app");
        }
        return c;
    }
}
