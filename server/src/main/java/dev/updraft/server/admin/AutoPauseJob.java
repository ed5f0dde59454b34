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
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

    /** A running rollout to evaluate. */
    record Candidate(String appId, long appPk, String channel, String rolloutId, String version) {
    }

    /** What one evaluation did to one rollout. */
    public record Acted(String appId, String channel, String version, AutoPause.Verdict verdict, AutoPause.Counts counts) {
    }

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

    /** Rollouts already warned about (notify), so a warning is logged once per rollout. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    @Scheduled(every = "${updraft.rollouts.auto-pause.interval}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            evaluate(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("automatic pause: evaluation failed, will run again: %s", e.toString());
        }
    }

    /** One evaluation of every running rollout; returns the rollouts acted on (or warned about). */
    public List<Acted> evaluate(Instant now) {
        AutoPausePolicy policy = config.rollouts().autoPause().policy();
        List<Candidate> candidates = QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                        "select a.appId, a.id, c.name, c.rolloutId, b.version from ChannelEntity c, AppEntity a, BundleEntity b"
                                + " where a.id = c.appPk and b.id = c.rolloutBundlePk and c.rolloutEnabled = true"
                                + " and c.rolloutPausedAt is null and c.rolloutId is not null", Object[].class)
                .getResultList().stream()
                .map(r -> new Candidate((String) r[0], (Long) r[1], (String) r[2], (String) r[3], (String) r[4])).toList());
        List<Acted> acted = new ArrayList<>();
        for (Candidate c : candidates) {
            AutoPause.Counts counts = QuarkusTransaction.requiringNew().call(() -> ReleaseHealth.outcomes(session, c.appPk(), c.version()));
            AutoPause.Verdict verdict = AutoPause.decide(policy, counts);
            if (verdict == AutoPause.Verdict.ACT && policy.action() != AutoPausePolicy.Action.NOTIFY) {
                if (act(c, policy, counts, now)) {
                    acted.add(new Acted(c.appId(), c.channel(), c.version(), verdict, counts));
                }
            } else if ((verdict == AutoPause.Verdict.ACT || verdict == AutoPause.Verdict.WARN) && warned.add(c.rolloutId())) {
                LOG.warnf("rollout of %s on %s/%s: %d of %d devices failed (%.1f %%), above the %.1f %% threshold%s", c.version(),
                        c.appId(), c.channel(), counts.failed(), counts.attempts(), 100.0 * counts.failed() / counts.attempts(),
                        100 * policy.maxFailureRate(), verdict == AutoPause.Verdict.ACT ? "" : " as seen, not yet surely");
                acted.add(new Acted(c.appId(), c.channel(), c.version(), verdict, counts));
            }
        }
        return acted;
    }

    /** Pauses or rolls back the rollout, if it is still the same one and still running; true when this call did. */
    private boolean act(Candidate c, AutoPausePolicy policy, AutoPause.Counts counts, Instant now) {
        String reason = String.format(Locale.ROOT, "%d of %d devices failed %s (%.1f %%); the %.0f %% lower bound is above %.1f %%",
                counts.failed(), counts.attempts(), c.version(), 100.0 * counts.failed() / counts.attempts(),
                100 * policy.confidence(), 100 * policy.maxFailureRate());
        boolean done;
        try {
            done = tx.write(() -> {
                AppEntity app = Lookups.appLocked(c.appId());
                ChannelEntity ch = Lookups.channelOrNull(app.id, c.channel());
                if (ch == null || !c.rolloutId().equals(ch.rolloutId) || !ch.rolloutEnabled || ch.rolloutPausedAt != null) {
                    return false; // changed meanwhile, or another instance acted first
                }
                String action;
                if (policy.action() == AutoPausePolicy.Action.ROLLBACK) {
                    RolloutAdmin.rollBack(ch);
                    action = "rollback";
                } else {
                    RolloutAdmin.pause(ch, RolloutAdmin.BY_AUTO, reason, now);
                    action = "pause";
                }
                ch.updatedAt = now;
                changes.fire(AppChanged.app(c.appId(), app.id));
                Map<String, String> params = new LinkedHashMap<>();
                params.put("app_id", c.appId());
                params.put("channel", c.channel());
                audit.writeInCurrent(new AuditLog.Entry(null, now, ACTOR, "server", "POST",
                        "/api/v1/apps/{app_id}/channels/{channel}/rollout/" + action, params, 200));
                return true;
            });
        } catch (RuntimeException e) {
            LOG.warnf("automatic pause of %s on %s/%s failed, will try again: %s", c.version(), c.appId(), c.channel(), e.toString());
            return false;
        }
        if (done) {
            LOG.warnf("rollout of %s on %s/%s %s automatically: %s", c.version(), c.appId(), c.channel(),
                    policy.action() == AutoPausePolicy.Action.ROLLBACK ? "rolled back" : "paused", reason);
        }
        return done;
    }
}
