package dev.updraft.server.capgo;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One TUS upload of a delta payload by the Capgo CLI (V17); its bytes become a stored file when complete. */
@Entity
@Table(name = "capgo_tus_uploads")
public class TusUploadEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** SHA-256 (hex) of the upload id in the URL. */
    @Column(name = "token_hash", nullable = false)
    public String tokenHash;

    /** The name of the admin key that created it: only that key may continue it or name it in a manifest. */
    @Column(name = "key_name", nullable = false)
    public String keyName;

    @Column(name = "app_pk", nullable = false)
    public long appPk;

    /** The object path the CLI chose (its manifest's {@code s3_path}). */
    @Column(name = "object_path", nullable = false)
    public String objectPath;

    @Column(name = "path_hash", nullable = false)
    public String pathHash;

    @Column(name = "upload_length", nullable = false)
    public long length;

    @Column(name = "upload_offset", nullable = false)
    public long offset;

    /** The storage's name of the complete upload's bytes; null until complete. */
    @Column(name = "stored_name")
    public String storedName;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
