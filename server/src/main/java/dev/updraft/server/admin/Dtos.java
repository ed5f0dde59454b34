package dev.updraft.server.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/** The admin API's JSON answers (docs/admin-api.md), snake_case. */
final class Dtos {
    private Dtos() {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record App(
            String appId,
            String name,
            boolean exposeMetadata,
            String defaultKeyId,
            String downloadUrlMode,
            int presignedUrlTtlSeconds,
            String createdAt) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ManifestEntry(String fileName, String fileHash, String downloadUrl, Long size) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Bundle(
            String version,
            String externalUrl,
            String checksum,
            String sessionKey,
            String keyId,
            List<ManifestEntry> manifest,
            String minUpdateVersion,
            String link,
            String comment,
            boolean breaking,
            boolean encrypted,
            List<KeyVariant> variants,
            String createdAt) {}

    /** The release encrypted for one more key: its own file, session key and signed checksum (docs/admin-api.md). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KeyVariant(String keyId, String externalUrl, String checksum, String sessionKey) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Channel(
            String name,
            String bundle,
            @JsonProperty("public") boolean isPublic,
            boolean allowDeviceSelfSet,
            boolean ios,
            boolean android,
            boolean electron,
            boolean allowDev,
            boolean allowProd,
            boolean allowDevice,
            boolean allowEmulator,
            String disableAutoUpdate,
            boolean disableAutoUpdateUnderNative,
            String builtinTarget,
            String rolloutVersion,
            int rolloutPercentageBps,
            boolean rolloutEnabled,
            String rolloutId,
            String rolloutPausedAt,
            String rolloutPausedBy,
            String rolloutPauseReason,
            Integer autoPauseMinAttempts,
            Integer autoPauseMinFailures,
            Double autoPauseMaxFailureRate,
            Double autoPauseConfidence,
            String autoPauseAction,
            AutoPausePolicy autoPause,
            String createdAt,
            String updatedAt) {}

    /** The automatic-pause policy in force on a channel: its own values, the server's for the others. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record AutoPausePolicy(int minAttempts, int minFailures, double maxFailureRate, double confidence, String action) {
        static AutoPausePolicy of(dev.updraft.server.release.AutoPausePolicy p) {
            return new AutoPausePolicy(
                    p.minAttempts(),
                    p.minFailures(),
                    p.maxFailureRate(),
                    p.confidence(),
                    p.action().wire());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Device(
            String deviceId,
            String platform,
            String versionName,
            String versionBuild,
            String pluginVersion,
            Boolean isProd,
            Boolean isEmulator,
            String customId,
            String channelOverride,
            String lastSeen) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Override(String deviceId, String channel) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record VersionStats(
            String version, long installs, long failures, long devices, Map<String, Long> actions, Funnel funnel) {}

    /** A release's funnel in devices (docs/operations.md, "Release health"). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Funnel(
            long offered,
            long downloadStarted,
            long downloaded,
            long installed,
            long confirmed,
            long rolledBack,
            long failed,
            double failureRate,
            Map<String, Long> failedByStage) {
        static Funnel of(dev.updraft.server.release.Funnel f) {
            Map<String, Long> stages = new java.util.TreeMap<>();
            f.failedByStage().forEach((stage, n) -> stages.put(stage.name().toLowerCase(java.util.Locale.ROOT), n));
            return new Funnel(
                    f.offered(),
                    f.downloadStarted(),
                    f.downloaded(),
                    f.installed(),
                    f.confirmed(),
                    f.rolledBack(),
                    f.failed(),
                    f.failureRate(),
                    stages);
        }
    }

    /** A release's funnel per UTC hour (docs/admin-api.md, "Hourly funnel"). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record HourlyFunnel(String version, String channel, String since, List<Hour> hours) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Hour(
            String hour,
            long offered,
            long downloadStarted,
            long downloaded,
            long installed,
            long confirmed,
            long rolledBack,
            long failed) {
        static Hour of(dev.updraft.server.release.ReleaseHealth.Hour h) {
            return new Hour(
                    h.start().toString(),
                    h.offered(),
                    h.downloadStarted(),
                    h.downloaded(),
                    h.installed(),
                    h.confirmed(),
                    h.rolledBack(),
                    h.failed());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ChannelStats(String channel, String version, long installs, long failures, long devices) {}

    record Stats(List<VersionStats> versions, List<ChannelStats> channels) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Event(
            String deviceId,
            String action,
            String versionName,
            String oldVersionName,
            String platform,
            Long timestamp,
            String receivedAt,
            Map<String, String> metadata) {}
}
