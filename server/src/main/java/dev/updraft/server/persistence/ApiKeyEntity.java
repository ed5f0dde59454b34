package dev.updraft.server.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A named admin API key, stored only as the SHA-256 hex of the key. A revoked key stays listed (with
 * {@code revokedAt}) so its name is never reused and the audit log keeps meaning what it said.
 */
@Entity
@Table(name = "admin_api_keys")
public class ApiKeyEntity extends PanacheEntityBase {
    /** How a key came to be: generated on first start, taken from updraft.admin-api-key, or created through the API. */
    public static final String GENERATED = "generated";

    public static final String CONFIGURED = "configured";
    public static final String CREATED = "api";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String name;

    @Column(name = "key_hash", nullable = false)
    public String keyHash;
    /** The key's origin: {@link #GENERATED}, {@link #CONFIGURED} or {@link #CREATED}. */
    @Column(nullable = false)
    public String label;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;
}
