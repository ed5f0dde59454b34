package dev.updraft.server.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An app. {@code revision} goes up with every change that the update check depends on (see SnapshotStore). */
@Entity
@Table(name = "apps")
public class AppEntity extends PanacheEntityBase {
    public static final String PUBLIC = "public";
    public static final String PRESIGNED = "presigned";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "app_id", nullable = false)
    public String appId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public long revision;
    /** Goes up with every change of a device's own channel choice (a 'self' override), which leaves {@code revision} alone. */
    @Column(name = "choices_revision", nullable = false)
    public long choicesRevision;
    /** Whether update answers may carry the bundles' link and comment. */
    @Column(name = "expose_metadata", nullable = false)
    public boolean exposeMetadata;

    /**
     * The key whose variant of a release goes to devices that send no usable key id; {@code null}: the release's first
     * variant (docs/protocol.md §2.9 rule 7).
     */
    @Column(name = "default_key_id")
    public String defaultKeyId;

    /** {@code public} or {@code presigned} (V16): how devices get the bundle URLs. */
    @Column(name = "download_url_mode", nullable = false)
    public String downloadUrlMode = PUBLIC;

    /** The lifetime of a presigned URL, in seconds (1 to 604800). */
    @Column(name = "presigned_url_ttl_seconds", nullable = false)
    public int presignedUrlTtlSeconds = 3600;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
