package dev.updraft.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A deliberate bug, for conformance-kit tests only: a device given one behaves like a broken port of the plugin in
 * exactly one way, so a test can show the kit catches it (a suite that cannot fail proves nothing). A device has none
 * unless {@link DeviceConfig.Builder#deviation(Deviation)} or {@code run --deviation NAME} asks (docs/simulator.md,
 * "Deviations"). The names are stable: the conformance kit's tests refer to them.
 */
public enum Deviation {
    /**
     * The zip's {@code checksum} is neither required nor compared: an answer without one is downloaded, and a zip
     * whose SHA-256 differs is installed (an encrypted one is still decrypted). Delta files keep their hash check.
     */
    SKIP_CHECKSUM,
    /**
     * The zip's entry-name rules, the symbolic-link and duplicate-entry checks and the zip-bomb limits are not
     * applied: every entry is written where its name points (the last one wins). The simulator still never writes
     * outside the device's state folder: an entry that would leave it is written under its last name segment.
     */
    IGNORE_PATH_RULES,
    /**
     * A version whose bundle is in {@code error} state (its folder kept, autoDeleteFailed off) is downloaded and
     * installed again when offered, instead of refused with {@code download_fail} (docs/protocol.md §2.3 step 5).
     */
    RETRY_FAILED_VERSION,
    /** A rollback (no {@code notifyAppReady} in time) happens, but sends no {@code update_fail} (§8.6). */
    NEVER_SEND_UPDATE_FAIL;

    /** The option's spelling: the enum name in any case, {@code -} or {@code _} between words. */
    public static Deviation parse(String name) {
        String n = name == null ? "" : name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Deviation d : values()) {
            if (d.name().equals(n)) {
                return d;
            }
        }
        throw new IllegalArgumentException("a deviation is one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")) + "; not '" + name + "'");
    }
}
