package dev.updraft.server.console;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One console session (V15): the SHA-256 of its id, never the id itself. */
@Entity
@Table(name = "console_sessions")
public class ConsoleSessionEntity extends PanacheEntityBase {
    @Id
    @Column(name = "id_hash")
    public String idHash;

    @Column(name = "key_pk", nullable = false)
    public long keyPk;

    @Column(name = "csrf_token", nullable = false)
    public String csrfToken;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
}
