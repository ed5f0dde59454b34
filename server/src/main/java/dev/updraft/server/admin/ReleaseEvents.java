package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.updraft.server.persistence.BundleEntity;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.server.release.AutoPause;
import dev.updraft.server.release.AutoPausePolicy;
import dev.updraft.server.release.Funnel;
import dev.updraft.server.release.ReleaseHealth;
import dev.updraft.server.webhook.WebhookOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.hibernate.Session;

/**
 * The webhook events of rollouts (docs/admin-api.md, "Webhooks"): what happened to which rollout, by whom and why,
 * with the rollout release's funnel. Queued in the transaction of the change, under the app's lock.
 */
@ApplicationScoped
class ReleaseEvents {
    /** A rollout as it was before the action (a rollback or promotion clears the channel's rollout fields). */
    record Rollout(
            long appPk,
            String appId,
            String channel,
            String version,
            String stableVersion,
            String rolloutId,
            int percentageBps) {
        static Rollout of(String appId, ChannelEntity c) {
            return new Rollout(
                    c.appPk,
                    appId,
                    c.name,
                    version(c.rolloutBundlePk),
                    version(c.bundlePk),
                    c.rolloutId,
                    c.rolloutPercentageBps);
        }

        private static String version(Long bundlePk) {
            return bundlePk == null ? null : BundleEntity.<BundleEntity>findById(bundlePk).version;
        }
    }

    /** The devices the automatic pause counts for the rollout release. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Outcomes(long failed, long confirmed, double failureRate) {}

    /** The {@code data} of a rollout event. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RolloutEvent(
            String channel,
            String version,
            String stableVersion,
            String rolloutId,
            int rolloutPercentageBps,
            String actor,
            String reason,
            Outcomes outcomes,
            Dtos.Funnel funnel,
            Dtos.AutoPausePolicy policy) {}

    @Inject
    Session session;

    @Inject
    WebhookOutbox outbox;

    /** Queues {@code type} about {@code r} (taken before the change) for the app's webhook, if it has one. */
    void rollout(Rollout r, String type, String actor, String reason, AutoPausePolicy policy, Instant at) {
        AutoPause.Counts counts = ReleaseHealth.outcomes(session, r.appPk(), r.version());
        Funnel funnel = ReleaseHealth.funnel(session, r.appPk(), r.version());
        double rate = counts.attempts() == 0 ? 0 : (double) counts.failed() / counts.attempts();
        outbox.enqueue(
                r.appPk(),
                r.appId(),
                type,
                new RolloutEvent(
                        r.channel(),
                        r.version(),
                        r.stableVersion(),
                        r.rolloutId(),
                        r.percentageBps(),
                        actor,
                        reason,
                        new Outcomes(counts.failed(), counts.confirmed(), rate),
                        Dtos.Funnel.of(funnel),
                        Dtos.AutoPausePolicy.of(policy)),
                at);
    }
}
