package dev.updraft.protocol;

import java.util.Locale;

/**
 * The {@code kind} of a "no update" answer (docs/protocol.md §2.2 C): what the plugin does with
 * it. A missing or unknown {@code kind} counts as {@link #FAILED}, which the plugin reports as {@code download_fail}.
 */
public enum NoUpdateKind {
    /** Nothing to do: the device runs the channel's bundle. */
    UP_TO_DATE,
    /** A rule of the channel keeps the bundle from this device; no failure stat. */
    BLOCKED,
    /** The server could not serve the device; the plugin sends {@code download_fail}. */
    FAILED;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** {@code up_to_date}, {@code blocked} or {@code failed}. */
    public String wire() {
        return wire;
    }

    /**
     * The kind the plugin acts on for the value of {@code kind} in an answer (A-P {@code normalizedUpdateResponseKind}):
     * only the three exact strings are recognised; anything else, absent, {@code null} or not a string, is
     * {@link #FAILED}.
     */
    public static NoUpdateKind normalise(Object kindValue) {
        if (kindValue instanceof String k) {
            for (NoUpdateKind kind : values()) {
                if (kind.wire.equals(k)) {
                    return kind;
                }
            }
        }
        return FAILED;
    }
}
