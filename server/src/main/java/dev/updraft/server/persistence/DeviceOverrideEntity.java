package dev.updraft.server.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A device's channel, forced by an operator ({@link #ADMIN}) or chosen by the device itself ({@link #SELF}). */
@Entity
@Table(name = "device_overrides")
public class DeviceOverrideEntity extends PanacheEntityBase {
    public static final String ADMIN = "admin";
    public static final String SELF = "self";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "app_pk", nullable = false)
    public long appPk;

    @Column(name = "device_id", nullable = false)
    public String deviceId;

    @Column(name = "channel_pk", nullable = false)
    public long channelPk;

    @Column(nullable = false)
    public String source;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The device's override, or {@code null}. */
    public static DeviceOverrideEntity of(long appPk, String deviceId) {
        return find("appPk = ?1 and deviceId = ?2", appPk, deviceId).firstResult();
    }
}
