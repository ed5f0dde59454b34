package dev.updraft.sim;

import dev.updraft.protocol.UpdateAnswer;

/**
 * What one update check came to.
 *
 * @param at        device time (ms) when the check started
 * @param latencyMs time until the answer arrived (0 when blocked locally)
 * @param trigger   what started it
 * @param answer    the classified answer (§2.2), as the protocol reads it (the newest plugin's reading); what this
 *                  device's plugin version made of it is the {@code outcome} (before 8.45.11 a block is a failure)
 * @param outcome   what the device did with it
 * @param detail    a line for a person: why, which stat, ...
 */
public record CheckResult(
        long at, long latencyMs, Trigger trigger, UpdateAnswer answer, Outcome outcome, String detail) {

    /** What started a check. */
    public enum Trigger {
        /** The foreground transition of a cold start ({@code onLaunch}/{@code atInstall} may apply at once). */
        LAUNCH,
        /** A later foreground transition (§1.2). */
        FOREGROUND,
        /** {@link SimulatedDevice#checkForUpdate()} or {@code setChannel(..., triggerAutoUpdate)}. */
        MANUAL
    }

    /** What the device did. */
    public enum Outcome {
        /** Up to date, same version, or already the next bundle. */
        NO_UPDATE,
        /** The server said {@code kind:"blocked"}. */
        BLOCKED,
        /** The check failed ({@code kind:"failed"}, transport, non-2xx, not JSON, local 429 block): {@code download_fail} queued. */
        CHECK_FAILED,
        /** Refused before downloading: bad URL, version in error state, session key or checksum missing or invalid, manifest. */
        REFUSED,
        /** The download, verification or unzip failed; the device keeps its bundle. */
        DOWNLOAD_FAILED,
        /** Downloaded and kept ({@code onlyDownload}, or {@code off} with a manual check). */
        DOWNLOADED,
        /** Set as the next bundle ({@code set_next}), applied at the next background. */
        SCHEDULED,
        /** Applied at once ({@code set}, or {@code reset} to built-in). */
        APPLIED,
        /** The process was killed during the check. */
        KILLED
    }
}
