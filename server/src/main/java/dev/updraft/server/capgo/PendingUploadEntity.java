package dev.updraft.server.capgo;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A version the Capgo CLI announced and whose zip it uploads through the server; not a bundle yet (V11). */
@Entity
@Table(name = "capgo_pending_uploads")
public class PendingUploadEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "app_pk", nullable = false)
    public long appPk;

    @Column(nullable = false)
    public String version;

    @Column(nullable = false)
    public String checksum;

    /** Never logged. */
    @Column(name = "session_key")
    public String sessionKey;

    public String link;
    public String comment;

    /** SHA-256 (hex) of the upload URL's token; null until the CLI asked for the URL. */
    @Column(name = "token_hash")
    public String tokenHash;

    /** The storage's name of the uploaded, verified file; null until then. */
    @Column(name = "stored_name")
    public String storedName;

    /** The manifest set_manifest gave it (JSON, the admin API's entries); null for a zip-only release. */
    public String manifest;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
