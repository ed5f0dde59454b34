package dev.updraft.server.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.Session;

import java.time.Instant;

/** A device's channel, forced by an operator ({@link #ADMIN}) or chosen by the device itself ({@link #SELF}). */
@Entity
@Table(name = "device_overrides")
public class DeviceOverrideEntity {
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
    public static DeviceOverrideEntity find(Session s, long appPk, String deviceId) {
        return s.createSelectionQuery("from DeviceOverrideEntity where appPk = :pk and deviceId = :d", DeviceOverrideEntity.class)
                .setParameter("pk", appPk).setParameter("d", deviceId).uniqueResult();
    }
}
