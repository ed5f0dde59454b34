package dev.updraft.server.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A device seen by the device API (written in coalesced batches by DeviceSeenRecorder). */
@Entity
@Table(name = "devices")
public class DeviceEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "app_pk", nullable = false)
    public long appPk;

    @Column(name = "device_id", nullable = false)
    public String deviceId;

    public String platform;

    @Column(name = "version_name")
    public String versionName;

    @Column(name = "version_build")
    public String versionBuild;

    @Column(name = "plugin_version")
    public String pluginVersion;

    @Column(name = "is_prod")
    public Boolean isProd;

    @Column(name = "is_emulator")
    public Boolean isEmulator;

    @Column(name = "custom_id")
    public String customId;

    @Column(name = "last_seen", nullable = false)
    public Instant lastSeen;
}
