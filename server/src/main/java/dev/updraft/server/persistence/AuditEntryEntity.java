package dev.updraft.server.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One admin write: who (key name), what (method, route template, path parameters, status), when, from where. */
@Entity
@Table(name = "admin_audit")
public class AuditEntryEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public Instant at;

    @Column(name = "key_name", nullable = false)
    public String keyName;

    @Column(name = "client_address", nullable = false)
    public String clientAddress;

    @Column(nullable = false)
    public String method;

    @Column(nullable = false)
    public String route;
    /** A JSON object of the matched path parameters. */
    @Column(name = "path_params", nullable = false)
    public String pathParams;

    @Column(nullable = false)
    public int status;
}
