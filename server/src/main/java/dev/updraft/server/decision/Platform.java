package dev.updraft.server.decision;

import java.util.Locale;

/** The {@code platform} values the plugin sends. */
public enum Platform {
    IOS("ios"), ANDROID("android"), ELECTRON("electron");

    public final String wire;

    Platform(String wire) {
        this.wire = wire;
    }

    /** The platform for a wire value, or {@code null}. */
    public static Platform of(String s) {
        if (s == null) {
            return null;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "ios" -> IOS;
            case "android" -> ANDROID;
            case "electron" -> ELECTRON;
            default -> null;
        };
    }
}
