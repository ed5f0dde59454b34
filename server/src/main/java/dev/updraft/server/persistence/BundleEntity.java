package dev.updraft.server.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A registered bundle version. Deleting only sets {@code deletedAt}: a version name is never reused. */
@Entity
@Table(name = "bundles")
public class BundleEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "app_pk", nullable = false)
    public long appPk;

    @Column(nullable = false)
    public String version;

    @Column(name = "external_url", nullable = false)
    public String externalUrl;

    @Column(nullable = false)
    public String checksum;
    /** {@code null} for an unencrypted bundle. Never logged. */
    @Column(name = "session_key")
    public String sessionKey;

    @Column(name = "key_id")
    public String keyId;

    @Column(name = "min_update_version")
    public String minUpdateVersion;

    public String link;
    public String comment;

    @Column(nullable = false)
    public boolean breaking;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    public boolean encrypted() {
        return sessionKey != null && !sessionKey.isEmpty();
    }
}
