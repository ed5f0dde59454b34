package dev.updraft.sim;

import java.util.Locale;

/** The platform a simulated device reports ({@code platform} in the info object, spec §1.4). */
public enum Platform {
    ANDROID,
    IOS;

    /** The wire value: {@code "android"} or {@code "ios"}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code android} or {@code ios} (any case). */
    public static Platform parse(String s) {
        for (Platform p : values()) {
            if (p.wire().equalsIgnoreCase(s.strip())) {
                return p;
            }
        }
        throw new IllegalArgumentException("platform must be android or ios, not '" + s + "'");
    }
}
