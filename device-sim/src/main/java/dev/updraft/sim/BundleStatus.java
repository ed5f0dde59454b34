package dev.updraft.sim;

import java.util.Locale;

/** A bundle's status in the device's registry (spec §8.5). */
public enum BundleStatus {
    /** Registered when a download starts. */
    DOWNLOADING,
    /** Downloaded and unzipped, queued as next, or switched to but not yet confirmed by {@code notifyAppReady}. */
    PENDING,
    /** {@code notifyAppReady()} was called while this bundle ran. The built-in bundle is always success. */
    SUCCESS,
    /** Download, verify or set failed, or the bundle was rolled back. */
    ERROR,
    /** Persisted before the files are removed, so a kill mid-delete is finished at the next launch. */
    DELETING,
    /** Tombstone: the files are gone, the registry entry stays. */
    DELETED;

    /** The wire/registry value, e.g. {@code "pending"}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BundleStatus parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
