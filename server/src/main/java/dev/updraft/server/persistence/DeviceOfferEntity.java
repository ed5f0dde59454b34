package dev.updraft.server.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A release the server offered a device (docs/protocol.md §3.7): one row per device and version. */
@Entity
@Table(name = "device_offers")
public class DeviceOfferEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "app_pk", nullable = false)
    public long appPk;

    @Column(name = "device_id", nullable = false)
    public String deviceId;

    @Column(nullable = false)
    public String version;

    @Column(nullable = false)
    public String channel;
    /** The rollout that offered it; {@code null}: the channel's stable bundle. */
    @Column(name = "rollout_id")
    public String rolloutId;

    @Column(name = "first_offered_at", nullable = false)
    public Instant firstOfferedAt;

    @Column(name = "last_offered_at", nullable = false)
    public Instant lastOfferedAt;
}
