package dev.updraft.server.console;

import java.util.List;

/** What the console's templates show: plain values, formatted for reading. */
public final class Views {
    private Views() {}

    public record AppRow(String appId, String name, long channels, long releases, long devices) {}

    /** A channel's rollout state as an operator reads it (docs/console.md, "Channels"). */
    public enum RolloutState {
        NONE("no rollout", "none"),
        ACTIVE("active", "ok"),
        DISABLED("rollout disabled", "none"),
        PAUSED_BY_HAND("paused by hand", "warn"),
        PAUSED_AUTOMATICALLY("paused automatically", "bad");

        public final String label;
        /** The CSS class of its badge. */
        public final String tone;

        RolloutState(String label, String tone) {
            this.label = label;
            this.tone = tone;
        }

        public boolean paused() {
            return this == PAUSED_BY_HAND || this == PAUSED_AUTOMATICALLY;
        }

        public boolean running() {
            return this != NONE;
        }
    }

    public record ChannelRow(
            String name,
            boolean isPublic,
            String stable,
            String rollout,
            String share,
            RolloutState state,
            String pausedAt,
            String pauseReason,
            String policy) {}

    public record Stage(String name, long devices) {}

    public record FunnelView(
            long offered,
            long downloadStarted,
            long downloaded,
            long installed,
            long confirmed,
            long rolledBack,
            long failed,
            String failureRate,
            List<Stage> failedByStage) {}

    public record ReleaseRow(String version, String createdAt, String servedBy, FunnelView funnel) {}

    public record AppPage(
            String appId, String name, List<ChannelRow> channels, List<ReleaseRow> releases, List<String> versions) {}

    /** One hour of a release's funnel, for the table under the charts. */
    public record HourRow(
            String hour,
            long offered,
            long downloaded,
            long installed,
            long confirmed,
            long rolledBack,
            long failed,
            String failureRate) {}

    public record ReleasePage(
            String appId,
            String version,
            String servedBy,
            FunnelView funnel,
            int hours,
            String threshold,
            String thresholdSource,
            String funnelChart,
            String failureChart,
            List<HourRow> table) {}

    public record DeviceRow(
            String deviceId,
            String customId,
            String platform,
            String version,
            String channel,
            String channelSource,
            String lastSeen) {}

    public record EventRow(String receivedAt, String action, String version, String oldVersion) {}

    public record DevicePage(String appId, DeviceRow device, List<EventRow> events, List<String> channels) {}

    public record DeviceSearch(String appId, String query, List<DeviceRow> devices, boolean recent) {}

    public record AuditRow(
            long id,
            String at,
            String keyName,
            String clientAddress,
            String method,
            String route,
            String params,
            int status) {}

    public record AuditPage(List<AuditRow> entries, Long next) {}
}
