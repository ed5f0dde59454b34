package dev.updraft.server.persistence;

import dev.updraft.server.release.AutoPausePolicy;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A channel: which bundle a group of devices should run, and the rules of the update check. */
@Entity
@Table(name = "channels")
public class ChannelEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "app_pk", nullable = false)
    public long appPk;

    @Column(nullable = false)
    public String name;
    /** {@code null}: the built-in bundle. */
    @Column(name = "bundle_pk")
    public Long bundlePk;

    @Column(name = "is_public", nullable = false)
    public boolean isPublic;

    @Column(name = "allow_device_self_set", nullable = false)
    public boolean allowDeviceSelfSet;

    @Column(nullable = false)
    public boolean ios = true;

    @Column(nullable = false)
    public boolean android = true;

    @Column(nullable = false)
    public boolean electron = true;

    @Column(name = "allow_dev", nullable = false)
    public boolean allowDev = true;

    @Column(name = "allow_prod", nullable = false)
    public boolean allowProd = true;

    @Column(name = "allow_device", nullable = false)
    public boolean allowDevice = true;

    @Column(name = "allow_emulator", nullable = false)
    public boolean allowEmulator = true;

    @Column(name = "disable_auto_update", nullable = false)
    public String disableAutoUpdate = "none";

    @Column(name = "disable_auto_update_under_native", nullable = false)
    public boolean disableAutoUpdateUnderNative = true;
    /** On the built-in bundle: {@code reset} devices on a downloaded bundle, or {@code keep} them on it. */
    @Column(name = "builtin_target", nullable = false)
    public String builtinTarget = "reset";
    /** The rollout's bundle (docs/protocol.md §2.11); {@code null}: no rollout. */
    @Column(name = "rollout_bundle_pk")
    public Long rolloutBundlePk;
    /** The rollout's share, 0 to 10,000 basis points. */
    @Column(name = "rollout_percentage_bps", nullable = false)
    public int rolloutPercentageBps;

    @Column(name = "rollout_enabled", nullable = false)
    public boolean rolloutEnabled;
    /** Drawn anew for every rollout bundle; the devices' buckets depend on it. */
    @Column(name = "rollout_id")
    public String rolloutId;

    @Column(name = "rollout_paused_at")
    public Instant rolloutPausedAt;
    /** {@code operator} or {@code auto}. */
    @Column(name = "rollout_paused_by")
    public String rolloutPausedBy;

    @Column(name = "rollout_pause_reason")
    public String rolloutPauseReason;
    /** When the running rollout's failure-rate warning went out ({@code null}: not yet); once per rollout. */
    @Column(name = "rollout_warned_at")
    public Instant rolloutWarnedAt;
    /** The channel's automatic-pause policy; each {@code null} takes the server's setting. */
    @Column(name = "auto_pause_min_attempts")
    public Integer autoPauseMinAttempts;

    @Column(name = "auto_pause_min_failures")
    public Integer autoPauseMinFailures;

    @Column(name = "auto_pause_max_failure_rate")
    public Double autoPauseMaxFailureRate;

    @Column(name = "auto_pause_confidence")
    public Double autoPauseConfidence;
    /** {@code pause}, {@code rollback} or {@code notify}. */
    @Column(name = "auto_pause_action")
    public String autoPauseAction;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** What this channel sets of the automatic-pause policy. */
    public AutoPausePolicy.Overrides autoPauseOverrides() {
        return new AutoPausePolicy.Overrides(
                autoPauseMinAttempts,
                autoPauseMinFailures,
                autoPauseMaxFailureRate,
                autoPauseConfidence,
                AutoPausePolicy.Action.of(autoPauseAction));
    }
}
