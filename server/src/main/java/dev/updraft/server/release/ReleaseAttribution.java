package dev.updraft.server.release;

import dev.updraft.protocol.Platform;
import dev.updraft.protocol.StatsAction;

/**
 * Which release a stats event is about (docs/protocol.md §3.7): a pure function, one numbered rule per line,
 * checked row by row by {@code ReleaseAttributionTest}.
 *
 * <p>The plugin names the running bundle, not the one it failed to get, in many failure events ({@code unzip_fail},
 * a {@code checksum_fail} on Android, a {@code download_fail} of a check): counted by {@code version_name}, a corrupt
 * release shows no failures and the healthy running one is blamed. Such an event is about the release the server
 * last offered to that device.
 */
public final class ReleaseAttribution {
    private ReleaseAttribution() {}

    /**
     * Whether the release of an event with this action depends on what was last offered (rule 4): a failure whose
     * {@code version_name} names, or may name, the running bundle. Callers look the offer up only then.
     */
    public static boolean needsLastOffer(StatsAction action, Platform platform) {
        if (action == null || !action.isFailure()) {
            return false;
        }
        StatsAction.Ver ver = action.versionNameOn(platform);
        return ver == StatsAction.Ver.CURRENT || ver == StatsAction.Ver.EITHER;
    }

    /**
     * @param action       the event's action, {@code null} when the catalogue does not know it
     * @param versionName  the event's {@code version_name}
     * @param lastOffered  the version the server last offered this device, {@code null} when it offered none
     * @return the version the event counts for
     */
    public static String releaseOf(StatsAction action, Platform platform, String versionName, String lastOffered) {
        // 1: an action the catalogue does not know is about what it names.
        if (action == null) {
            return versionName;
        }
        StatsAction.Ver ver = action.versionNameOn(platform);
        // 2: a delta file's failure names "<release>:<file>".
        if (ver == StatsAction.Ver.TARGET_FILE) {
            int colon = versionName.indexOf(':');
            return colon < 0 ? versionName : versionName.substring(0, colon);
        }
        // 3: events that name the release being downloaded or installed are about it.
        if (ver == StatsAction.Ver.TARGET || ver == StatsAction.Ver.OTHER) {
            return versionName;
        }
        // 4: a failure that names the running bundle (or may) is about the release offered to the device.
        if (needsLastOffer(action, platform) && lastOffered != null) {
            return lastOffered;
        }
        // 5: everything else (the running bundle's own events, or no offer known) is about what it names.
        return versionName;
    }
}
