package dev.updraft.server.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An app's webhook (docs/admin-api.md, "Webhooks"): where its events go and the secret that signs them. */
@Entity
@Table(name = "webhooks")
public class WebhookEntity extends PanacheEntityBase {
    @Id
    @Column(name = "app_pk")
    public Long appPk;

    @Column(nullable = false)
    public String url;
    /** Signs every delivery; shown once when set, never returned or logged. */
    @Column(nullable = false)
    public String secret;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Override
    public String toString() {
        return "webhook of app " + appPk + " to " + url; // never the secret
    }
}
