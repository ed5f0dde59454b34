package dev.updraft.server.admin;

import dev.updraft.server.config.UpdraftConfig;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.server.persistence.Transactions;
import dev.updraft.server.release.AutoPause;
import dev.updraft.server.release.AutoPausePolicy;
import dev.updraft.server.release.ReleaseHealth;
import dev.updraft.server.security.AuditLog;
import dev.updraft.server.snapshot.AppChanged;
import dev.updraft.server.webhook.WebhookOutbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * The automatic pause (docs/operations.md, "Automatic pause"): every {@code updraft.rollouts.auto-pause.interval},
 * each running rollout's devices are counted (failed, confirmed) and {@link AutoPause#decide} says whether to act.
 *
 * <p>Safe with several instances on one database: the action is taken under the app's row lock on the channel as it
 * is then, and only if the same rollout is still running unpaused, so exactly one instance acts and records it; the
 * audit entry is written in the same transaction as the change.
 */
@ApplicationScoped
public class AutoPauseJob {
    private static final Logger LOG = Logger.getLogger(AutoPauseJob.class);
    /** The name the audit log shows for what the server did by itself. */
    public static final String ACTOR = "auto-pause";

    /** A running rollout to evaluate, with its channel's policy. */
    record Candidate(
            String appId,
            long appPk,
            String channel,
            String rolloutId,
            String version,
            AutoPausePolicy policy,
            boolean warned) {}

    /** What one evaluation did to one rollout. */
    public record Acted(
            String appId,
            String channel,
            String version,
            AutoPause.Verdict verdict,
            AutoPause.Response response,
            AutoPause.Counts counts) {}

    @Inject
    Session session;

    @Inject
    Transactions tx;

    @Inject
    UpdraftConfig config;

    @Inject
    AuditLog audit;

    @Inject
    Event<AppChanged> changes;

    @Inject
    ReleaseEvents events;

    @Scheduled(
            every = "${updraft.rollouts.auto-pause.interval}",
            delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            evaluate(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("automatic pause: evaluation failed, will run again: %s", e.toString());
        }
    }

    /** One evaluation of every running rollout; returns the rollouts this call acted on or warned about. */
    public List<Acted> evaluate(Instant now) {
        AutoPausePolicy defaults = config.rollouts().autoPause().policy();
        List<Candidate> candidates = QuarkusTransaction.requiringNew()
                .call(() -> session
                        .createSelectionQuery(
                                "select a.appId, a.id, c, b.version from ChannelEntity c, AppEntity a, BundleEntity b"
                                        + " where a.id = c.appPk and b.id = c.rolloutBundlePk and c.rolloutEnabled = true"
                                        + " and c.rolloutPausedAt is null and c.rolloutId is not null",
                                Object[].class)
                        .getResultList()
                        .stream()
                        .map(r -> {
                            ChannelEntity c = (ChannelEntity) r[2];
                            return new Candidate(
                                    (String) r[0],
                                    (Long) r[1],
                                    c.name,
                                    c.rolloutId,
                                    (String) r[3],
                                    policyOf(defaults, c),
                                    c.rolloutWarnedAt != null);
                        })
                        .toList());
        List<Acted> acted = new ArrayList<>();
        for (Candidate c : candidates) {
            AutoPause.Counts counts = QuarkusTransaction.requiringNew()
                    .call(() -> ReleaseHealth.outcomes(session, c.appPk(), c.version()));
            AutoPause.Verdict verdict = AutoPause.decide(c.policy(), counts);
            AutoPause.Response response = AutoPause.respond(c.policy(), verdict, c.warned());
            if (response != AutoPause.Response.NOTHING && act(c, verdict, response, counts, now)) {
                acted.add(new Acted(c.appId(), c.channel(), c.version(), verdict, response, counts));
            }
        }
        return acted;
    }

    /** The channel's policy; a stored combination the policy refuses (never written by the API) falls back to the defaults. */
    private static AutoPausePolicy policyOf(AutoPausePolicy defaults, ChannelEntity c) {
        try {
            return defaults.with(c.autoPauseOverrides());
        } catch (IllegalArgumentException e) {
            LOG.warnf(
                    "channel %s: its automatic-pause policy is refused (%s); the server's settings apply",
                    c.name, e.getMessage());
            return defaults;
        }
    }

    /**
     * Pauses, rolls back or warns about the rollout, if it is still the same one, still running, and (for a warning)
     * not warned about yet; true when this call did. The audit entry and the webhook event are written in the same
     * transaction as the change.
     */
    private boolean act(
            Candidate c, AutoPause.Verdict verdict, AutoPause.Response response, AutoPause.Counts counts, Instant now) {
        AutoPausePolicy policy = c.policy();
        String reason = String.format(
                Locale.ROOT,
                "%d of %d devices failed %s (%.1f %%); %s %.1f %%",
                counts.failed(),
                counts.attempts(),
                c.version(),
                100.0 * counts.failed() / counts.attempts(),
                verdict == AutoPause.Verdict.WARN
                        ? "as seen above, but not yet surely above,"
                        : String.format(Locale.ROOT, "the %.0f %% lower bound is above", 100 * policy.confidence()),
                100 * policy.maxFailureRate());
        boolean done;
        try {
            done = tx.write(() -> {
                AppEntity app = Lookups.appLocked(c.appId());
                ChannelEntity ch = Lookups.channelOrNull(app.id, c.channel());
                if (ch == null
                        || !c.rolloutId().equals(ch.rolloutId)
                        || !ch.rolloutEnabled
                        || ch.rolloutPausedAt != null) {
                    return false; // changed meanwhile, or another instance acted first
                }
                ReleaseEvents.Rollout before = ReleaseEvents.Rollout.of(c.appId(), ch);
                if (response == AutoPause.Response.WARN) {
                    if (ch.rolloutWarnedAt != null) {
                        return false; // another instance warned first
                    }
                    ch.rolloutWarnedAt = now;
                    events.rollout(before, WebhookOutbox.FAILURE_RATE_WARNING, ACTOR, reason, policy, now);
                    return true;
                }
                String action;
                if (response == AutoPause.Response.ROLL_BACK) {
                    RolloutAdmin.rollBack(ch);
                    action = "rollback";
                    events.rollout(before, WebhookOutbox.ROLLOUT_ROLLED_BACK, ACTOR, reason, policy, now);
                } else {
                    RolloutAdmin.pause(ch, RolloutAdmin.BY_AUTO, reason, now);
                    action = "pause";
                    events.rollout(before, WebhookOutbox.ROLLOUT_PAUSED, ACTOR, reason, policy, now);
                }
                ch.updatedAt = now;
                changes.fire(AppChanged.app(c.appId(), app.id));
                Map<String, String> params = new LinkedHashMap<>();
                params.put("app_id", c.appId());
                params.put("channel", c.channel());
                audit.writeInCurrent(new AuditLog.Entry(
                        null,
                        now,
                        ACTOR,
                        "server",
                        "POST",
                        "/api/v1/apps/{app_id}/channels/{channel}/rollout/" + action,
                        params,
                        200));
                return true;
            });
        } catch (RuntimeException e) {
            LOG.warnf(
                    "automatic pause of %s on %s/%s failed, will try again: %s",
                    c.version(), c.appId(), c.channel(), e.toString());
            return false;
        }
        if (!done) {
            return false;
        }
        if (response == AutoPause.Response.WARN) {
            LOG.warnf("rollout of %s on %s/%s: %s", c.version(), c.appId(), c.channel(), reason);
        } else {
            LOG.warnf(
                    "rollout of %s on %s/%s %s automatically: %s",
                    c.version(),
                    c.appId(),
                    c.channel(),
                    response == AutoPause.Response.ROLL_BACK ? "rolled back" : "paused",
                    reason);
        }
        return true;
    }
}
