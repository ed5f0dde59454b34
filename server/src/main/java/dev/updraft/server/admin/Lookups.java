package dev.updraft.server.admin;

import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.BundleEntity;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.protocol.Identifier;
import dev.updraft.server.web.ApiException;
import org.hibernate.LockMode;
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
        return app(s, appId, LockMode.NONE);
    }

    /**
     * The app, its row locked until the transaction ends. Every admin write under an app takes this lock first, so the
     * writes to one app run one after the other, always in the same lock order (no deadlocks between them); a write
     * that waited for the app's deletion finds no app (404) instead of adding rows to it; and a write that reads a row
     * to change it (a channel patch) never starts from a row another write is changing. On PostgreSQL the lock is
     * {@code FOR NO KEY UPDATE}, which does not hold up the device API's inserts (stats, devices) for the app.
     */
    static AppEntity appLocked(Session s, String appId) {
        return app(s, appId, LockMode.PESSIMISTIC_WRITE);
    }

    private static AppEntity app(Session s, String appId, LockMode lock) {
        if (!Identifier.APP_ID.matches(appId)) {
            throw ApiException.notFound("app_not_found", "No app '" + printable(appId) + "'");
        }
        AppEntity a = s.createSelectionQuery("from AppEntity where appId = :id", AppEntity.class).setParameter("id", appId)
                .setHibernateLockMode(lock).uniqueResult();
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
