package dev.updraft.server.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** One event posted to /stats. A sequence (not identity) id lets Hibernate batch the inserts of a request. */
@Entity
@Table(name = "stats_events")
public class StatsEventEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "stats_events_seq")
    @SequenceGenerator(name = "stats_events_seq", sequenceName = "stats_events_seq", allocationSize = 50)
    public Long id;

    @Column(name = "app_pk", nullable = false)
    public long appPk;

    @Column(name = "device_id", nullable = false)
    public String deviceId;

    @Column(nullable = false)
    public String action;

    @Column(name = "version_name")
    public String versionName;

    public String version;

    @Column(name = "old_version_name")
    public String oldVersionName;

    public String platform;

    @Column(name = "client_timestamp")
    public Long clientTimestamp;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
    /** JSON object of string values, or {@code null}. */
    public String metadata;
}
