package dev.updraft.server.admin;

import dev.updraft.protocol.Identifier;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.BundleEntity;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.server.web.ApiException;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Finding an app, bundle or channel, or the admin API's 404. */
final class Lookups {
    private Lookups() {}

    /** For messages: at most 100 characters, control characters replaced. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        String t = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }

    static AppEntity app(String appId) {
        return app(appId, LockModeType.NONE);
    }

    /**
     * The app, its row locked until the transaction ends. Every admin write under an app takes this lock first, so the
     * writes to one app run one after the other, always in the same lock order (no deadlocks between them); a write
     * that waited for the app's deletion finds no app (404) instead of adding rows to it; and a write that reads a row
     * to change it (a channel patch) never starts from a row another write is changing. On PostgreSQL the lock is
     * {@code FOR NO KEY UPDATE}, which does not hold up the device API's inserts (stats, devices) for the app.
     */
    static AppEntity appLocked(String appId) {
        return app(appId, LockModeType.PESSIMISTIC_WRITE);
    }

    private static AppEntity app(String appId, LockModeType lock) {
        if (!Identifier.APP_ID.matches(appId)) {
            throw ApiException.notFound("app_not_found", "No app '" + printable(appId) + "'");
        }
        AppEntity a = AppEntity.<AppEntity>find("appId", appId).withLock(lock).firstResult();
        if (a == null) {
            throw ApiException.notFound("app_not_found", "No app '" + appId + "'");
        }
        return a;
    }

    /** A live (not deleted) bundle, or {@code null}. */
    static BundleEntity bundleOrNull(long appPk, String version) {
        if (!Identifier.BUNDLE_VERSION.matches(version)) {
            return null;
        }
        return BundleEntity.<BundleEntity>find("appPk = ?1 and version = ?2 and deletedAt is null", appPk, version)
                .firstResult();
    }

    static BundleEntity bundle(long appPk, String version) {
        BundleEntity b = bundleOrNull(appPk, version);
        if (b == null) {
            throw ApiException.notFound("bundle_not_found", "No bundle '" + printable(version) + "' in this app");
        }
        return b;
    }

    static ChannelEntity channelOrNull(long appPk, String name) {
        if (!Identifier.CHANNEL_NAME.matches(name)) {
            return null;
        }
        return ChannelEntity.<ChannelEntity>find("appPk = ?1 and name = ?2", appPk, name)
                .firstResult();
    }

    static ChannelEntity channel(long appPk, String name) {
        ChannelEntity c = channelOrNull(appPk, name);
        if (c == null) {
            throw ApiException.notFound("channel_not_found", "No channel '" + printable(name) + "' in this app");
        }
        return c;
    }

    /**
     * The bundle version each channel serves and rolls out (absent: the built-in bundle), in one query for all of them rather than a
     * lookup per channel.
     */
    static Map<Long, String> bundleVersions(Collection<ChannelEntity> channels) {
        List<Long> ids = channels.stream()
                .flatMap(c -> java.util.stream.Stream.of(c.bundlePk, c.rolloutBundlePk))
                .filter(java.util.Objects::nonNull)
                .distinct()
                .toList();
        if (ids.isEmpty()) {
            return Map.of();
        }
        return BundleEntity.<BundleEntity>list("id in ?1", ids).stream()
                .collect(Collectors.toMap(b -> b.id, b -> b.version));
    }
}
