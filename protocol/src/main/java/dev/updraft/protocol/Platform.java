package dev.updraft.protocol;

import java.util.Locale;
import java.util.Optional;

/** The {@code platform} values the plugin sends in its info object (docs/protocol.md §1.4). */
public enum Platform {
    IOS("ios"),
    ANDROID("android"),
    ELECTRON("electron");

    private final String wire;

    Platform(String wire) {
        this.wire = wire;
    }

    /** The value on the wire: {@code ios}, {@code android} or {@code electron}. */
    public String wire() {
        return wire;
    }

    /** The platform for a wire value (case-insensitive), or empty. */
    public static Optional<Platform> fromWire(String s) {
        if (s == null) {
            return Optional.empty();
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "ios" -> Optional.of(IOS);
            case "android" -> Optional.of(ANDROID);
            case "electron" -> Optional.of(ELECTRON);
            default -> Optional.empty();
        };
    }

    @Override
    public String toString() {
        return wire;
    }
}
