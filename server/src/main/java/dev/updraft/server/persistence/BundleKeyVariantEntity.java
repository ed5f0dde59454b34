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
 * A release encrypted for one more key (docs/admin-api.md, "Key variants"): the bundle row holds the first variant,
 * each of these another, with its own file, session key and signed checksum. One per key id and bundle.
 */
@Entity
@Table(name = "bundle_key_variants")
public class BundleKeyVariantEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "bundle_pk", nullable = false)
    public long bundlePk;

    @Column(name = "key_id", nullable = false)
    public String keyId;

    @Column(name = "external_url", nullable = false)
    public String externalUrl;

    @Column(nullable = false)
    public String checksum;

    /** Never logged. */
    @Column(name = "session_key", nullable = false)
    public String sessionKey;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
