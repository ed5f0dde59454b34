package dev.updraft.server.decision;

import java.util.Locale;

/** A channel's semver gate of the target bundle against the device's native {@code version_build}. */
public enum DisableAutoUpdate {
    NONE,
    MAJOR,
    MINOR,
    PATCH,
    VERSION_NUMBER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value for a wire name, or {@code null}. */
    public static DisableAutoUpdate of(String s) {
        for (DisableAutoUpdate d : values()) {
            if (d.wire().equals(s)) {
                return d;
            }
        }
        return null;
    }
}
