package dev.updraft.server.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Queues an app's webhook events (docs/operations.md, "Webhooks"): the delivery row is written in the caller's
 * transaction, so it is committed with the action it reports or not at all, and {@link WebhookSender} sends it after
 * the commit. An app without a webhook gets no row.
 */
@ApplicationScoped
public class WebhookOutbox {
    /** The event types (docs/admin-api.md, "Webhooks"). */
    public static final String ROLLOUT_PAUSED = "rollout.paused";

    public static final String ROLLOUT_ROLLED_BACK = "rollout.rolled_back";
    public static final String ROLLOUT_PROMOTED = "rollout.promoted";
    public static final String FAILURE_RATE_WARNING = "release.failure_rate_warning";

    /** The body of every delivery: which event, when, of which app; {@code data} depends on the type. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Envelope(String id, String type, String createdAt, String appId, Object data) {}

    @Inject
    Session session;

    @Inject
    ObjectMapper mapper;

    /** Queues {@code type} with {@code data} for the app's webhook, if it has one; returns the event id if queued. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> enqueue(long appPk, String appId, String type, Object data, Instant at) {
        if (session.find(WebhookEntity.class, appPk) == null) {
            return Optional.empty();
        }
        String id = UUID.randomUUID().toString();
        WebhookDeliveryEntity d = new WebhookDeliveryEntity();
        d.appPk = appPk;
        d.eventId = id;
        d.eventType = type;
        try {
            d.body = mapper.writeValueAsString(new Envelope(id, type, at.toString(), appId, data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the " + type + " event as JSON", e);
        }
        d.state = WebhookDeliveryEntity.PENDING;
        d.attempts = 0;
        d.nextAttemptAt = at;
        d.createdAt = at;
        session.persist(d);
        return Optional.of(id);
    }
}
