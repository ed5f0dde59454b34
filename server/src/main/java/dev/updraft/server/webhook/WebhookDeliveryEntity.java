package dev.updraft.server.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One event for an app's webhook: the outbox row written with the action it reports, and its delivery log entry
 * (docs/operations.md, "Webhooks").
 */
@Entity
@Table(name = "webhook_deliveries")
public class WebhookDeliveryEntity extends PanacheEntityBase {
    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "app_pk", nullable = false)
    public long appPk;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(name = "event_type", nullable = false)
    public String eventType;
    /** The exact bytes (UTF-8) that are signed and sent. */
    @Column(nullable = false)
    public String body;
    /** {@link #PENDING}, {@link #DELIVERED} or {@link #FAILED}. */
    @Column(nullable = false)
    public String state;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "last_status")
    public Integer lastStatus;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_attempt_at")
    public Instant lastAttemptAt;

    @Column(name = "delivered_at")
    public Instant deliveredAt;
}
