package dev.updraft.server.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One file of a bundle's delta manifest. */
@Entity
@Table(name = "bundle_manifest_entries")
public class ManifestEntryEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "bundle_pk", nullable = false)
    public long bundlePk;

    @Column(nullable = false)
    public int position;

    @Column(name = "file_name", nullable = false)
    public String fileName;

    @Column(name = "file_hash", nullable = false)
    public String fileHash;

    @Column(name = "download_url", nullable = false)
    public String downloadUrl;
    /** The payload's size in bytes as stored; null when it was registered without one. */
    @Column(name = "size")
    public Long size;
}
