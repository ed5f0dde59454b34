package dev.updraft.server.admin;

import dev.updraft.protocol.Identifier;
import dev.updraft.server.decision.Rollout;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.server.persistence.Transactions;
import dev.updraft.server.snapshot.AppChanged;
import dev.updraft.server.web.ApiException;
import dev.updraft.server.webhook.WebhookOutbox;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;

/**
 * A channel's rollout (docs/protocol.md §2.11, docs/admin-api.md "Rollouts"): the rollout fields of a channel's
 * create and patch, and the actions pause, resume, promote and roll back.
 */
@ApplicationScoped
public class RolloutAdmin {
    /** Who paused a rollout. */
    public static final String BY_OPERATOR = "operator";

    public static final String BY_AUTO = "auto";

    /** What an operator can do to a running rollout. */
    public enum Action {
        /** No new device joins; devices on the rollout bundle keep it. */
        PAUSE,
        /** New devices of the share join again. */
        RESUME,
        /** The rollout bundle becomes the channel's stable bundle; the rollout ends. */
        PROMOTE,
        /** The rollout ends; every device gets the stable bundle on its next check. */
        ROLLBACK
    }

    @Inject
    Transactions tx;

    @Inject
    Event<AppChanged> changes;

    @Inject
    ReleaseEvents events;

    @Inject
    SecurityIdentity identity;

    /**
     * Applies the body's rollout fields to {@code c} (the row under the app's lock): a new rollout bundle starts a new
     * rollout (new id, not paused, enabled unless the body says otherwise); {@code rollout_version: null} ends it.
     */
    static void apply(long appPk, Body b, ChannelEntity c) {
        if (b.has("rollout_version")) {
            String version = b.raw("rollout_version").isNull() ? null : b.string("rollout_version", false);
            if (version == null) {
                clear(c);
            } else {
                b.identifier("rollout_version", version, Identifier.BUNDLE_VERSION);
                b.throwIfProblems();
                rollOut(c, Lookups.bundle(appPk, version).id, c.rolloutPercentageBps, version);
            }
        }
        c.rolloutPercentageBps = b.integer("rollout_percentage_bps", 0, Rollout.ALL_BPS, c.rolloutPercentageBps);
        boolean enabled = b.bool("rollout_enabled", c.rolloutEnabled);
        b.throwIfProblems();
        if (enabled && c.rolloutBundlePk == null) {
            throw ApiException.badRequest(
                    "no_rollout_bundle", "The channel has no rollout bundle; set rollout_version first");
        }
        c.rolloutEnabled = enabled;
        stableChanged(c);
    }

    /**
     * Makes {@code bundlePk} the channel's rollout bundle at {@code bps}, enabled: a bundle other than the current
     * rollout's starts a new rollout (a new id, so new buckets, and not paused).
     */
    static void rollOut(ChannelEntity c, long bundlePk, int bps, String version) {
        if (Long.valueOf(bundlePk).equals(c.bundlePk)) {
            throw ApiException.badRequest(
                    "rollout_is_stable",
                    "The bundle '" + version + "' is already the channel's stable bundle; a rollout needs another one");
        }
        if (!Long.valueOf(bundlePk).equals(c.rolloutBundlePk)) {
            c.rolloutBundlePk = bundlePk;
            c.rolloutId = UUID.randomUUID().toString();
            c.rolloutWarnedAt = null;
            resume(c);
        }
        c.rolloutPercentageBps = bps;
        c.rolloutEnabled = true;
    }

    /** Whether {@link #rollOut} would change the channel (an identical publish is a no-op). */
    static boolean wouldChange(ChannelEntity c, long bundlePk, int bps) {
        return !(Long.valueOf(bundlePk).equals(c.rolloutBundlePk) && c.rolloutEnabled && c.rolloutPercentageBps == bps);
    }

    /** The stable bundle changed: a rollout of that same bundle has nothing left to roll out. */
    static void stableChanged(ChannelEntity c) {
        if (c.rolloutBundlePk != null && c.rolloutBundlePk.equals(c.bundlePk)) {
            clear(c);
        }
    }

    /**
     * Pauses, resumes, promotes or rolls back the channel's rollout; a pause (the first), a promotion or a rollback is
     * queued for the app's webhook in the same transaction.
     */
    public Dtos.Channel act(String appId, String channel, Action a) {
        String actor = identity.getPrincipal().getName();
        return tx.write(() -> {
            AppEntity app = Lookups.appLocked(appId);
            ChannelEntity c = Lookups.channel(app.id, channel);
            if (c.rolloutBundlePk == null) {
                throw ApiException.conflict("no_rollout", "The channel '" + channel + "' has no rollout");
            }
            Instant now = Times.now();
            ReleaseEvents.Rollout before = ReleaseEvents.Rollout.of(appId, c);
            String event = null;
            switch (a) {
                case PAUSE ->
                    event = pause(c, BY_OPERATOR, "paused by an operator", now) ? WebhookOutbox.ROLLOUT_PAUSED : null;
                case RESUME -> resume(c);
                case PROMOTE -> {
                    c.bundlePk = c.rolloutBundlePk;
                    clear(c);
                    event = WebhookOutbox.ROLLOUT_PROMOTED;
                }
                case ROLLBACK -> {
                    rollBack(c);
                    event = WebhookOutbox.ROLLOUT_ROLLED_BACK;
                }
            }
            if (event != null) {
                events.rollout(
                        before,
                        event,
                        actor,
                        a == Action.PAUSE ? c.rolloutPauseReason : "by an operator",
                        AutoPauseFields.effective(c),
                        now);
            }
            c.updatedAt = now;
            changes.fire(AppChanged.app(appId, app.id));
            return ChannelAdmin.dto(c);
        });
    }

    /** Pauses the rollout unless it already is (the first pause and its reason are kept). */
    static boolean pause(ChannelEntity c, String by, String reason, Instant at) {
        if (c.rolloutPausedAt != null) {
            return false;
        }
        c.rolloutPausedAt = at;
        c.rolloutPausedBy = by;
        c.rolloutPauseReason = reason;
        return true;
    }

    /** Ends the rollout: every device gets the stable bundle on its next check. */
    static void rollBack(ChannelEntity c) {
        clear(c);
    }

    private static void resume(ChannelEntity c) {
        c.rolloutPausedAt = null;
        c.rolloutPausedBy = null;
        c.rolloutPauseReason = null;
    }

    private static void clear(ChannelEntity c) {
        c.rolloutBundlePk = null;
        c.rolloutId = null;
        c.rolloutWarnedAt = null;
        c.rolloutEnabled = false;
        c.rolloutPercentageBps = 0;
        resume(c);
    }
}
