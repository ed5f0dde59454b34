package dev.updraft.server.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An admin API key, stored only as the SHA-256 hex of the key. */
@Entity
@Table(name = "admin_api_keys")
public class ApiKeyEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "key_hash", nullable = false)
    public String keyHash;
    @Column(nullable = false)
    public String label;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
