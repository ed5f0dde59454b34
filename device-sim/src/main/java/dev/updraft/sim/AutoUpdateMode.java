package dev.updraft.sim;

/**
 * The plugin's {@code autoUpdate} setting (spec §8.4): when a downloaded bundle is applied.
 */
public enum AutoUpdateMode {
    /** {@code true} / {@code "atBackground"} (default): check on every foreground, apply the next bundle at background. */
    AT_BACKGROUND("atBackground"),
    /** Apply immediately whenever an update is found. */
    ALWAYS("always"),
    /** Apply immediately only when the update is found during a cold start, otherwise like {@link #AT_BACKGROUND}. */
    ON_LAUNCH("onLaunch"),
    /** Apply immediately only on the first launch after a fresh install or a store update, otherwise like {@link #AT_BACKGROUND}. */
    AT_INSTALL("atInstall"),
    /** Download, never set or apply (the plugin only emits {@code updateAvailable}). */
    ONLY_DOWNLOAD("onlyDownload"),
    /** {@code false} / {@code "off"}: no automatic checks; {@code checkForUpdate()} still works and only downloads. */
    OFF("off");

    private final String wire;

    AutoUpdateMode(String wire) {
        this.wire = wire;
    }

    /** The config value, as written in {@code capacitor.config.json}. */
    public String wire() {
        return wire;
    }

    /** Parses a config value: the mode names above, or {@code true}/{@code false}. */
    public static AutoUpdateMode parse(String s) {
        String v = s.strip();
        if (v.equalsIgnoreCase("true")) {
            return AT_BACKGROUND;
        }
        if (v.equalsIgnoreCase("false")) {
            return OFF;
        }
        for (AutoUpdateMode m : values()) {
            if (m.wire.equalsIgnoreCase(v) || m.name().equalsIgnoreCase(v)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "autoUpdate must be one of atBackground, always, onLaunch, atInstall, onlyDownload, off; not '" + s
                        + "'");
    }
}
