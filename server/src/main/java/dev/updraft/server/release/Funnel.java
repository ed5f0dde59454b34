package dev.updraft.server.release;

import dev.updraft.protocol.StatsAction;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A release's funnel, counted in devices (docs/operations.md, "Release health"): offered, download started,
 * downloaded, installed ({@code set}), confirmed ({@code app_launch_ready} naming it), rolled back
 * ({@code update_fail}), failed at any stage, and failed by stage. Events count for the release they are about
 * (docs/protocol.md §3.7).
 */
public record Funnel(
        long offered,
        long downloadStarted,
        long downloaded,
        long installed,
        long confirmed,
        long rolledBack,
        long failed,
        Map<StatsAction.FailureStage, Long> failedByStage) {

    /** The actions that say a device started downloading a release. */
    public static final Set<StatsAction> DOWNLOAD_STARTED = EnumSet.of(
            StatsAction.DOWNLOAD_ZIP_START,
            StatsAction.DOWNLOAD_MANIFEST_START,
            StatsAction.DOWNLOAD_10,
            StatsAction.DOWNLOAD_20,
            StatsAction.DOWNLOAD_30,
            StatsAction.DOWNLOAD_40,
            StatsAction.DOWNLOAD_50,
            StatsAction.DOWNLOAD_60,
            StatsAction.DOWNLOAD_70,
            StatsAction.DOWNLOAD_80,
            StatsAction.DOWNLOAD_90);

    public static final Funnel EMPTY = new Funnel(0, 0, 0, 0, 0, 0, 0, Map.of());

    /** Failed ÷ (failed + confirmed), 0 with neither. */
    public double failureRate() {
        long n = failed + confirmed;
        return n == 0 ? 0 : (double) failed / n;
    }
}
