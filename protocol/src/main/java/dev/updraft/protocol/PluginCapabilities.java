package dev.updraft.protocol;

import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a given version of {@code @capgo/capacitor-updater} sends and understands, for every behaviour the plugin's
 * history changed (docs/protocol.md §11). The server gates its answers on it and the
 * simulator behaves by it, so a device on plugin 6 is treated, and simulated, as a plugin 6 is.
 *
 * <p>Majors above 8 behave as the newest 8.x; majors below 5 are not supported ({@link #supported()} is false and
 * the server answers {@code unsupported_plugin_version}).
 *
 * @param version the plugin version this describes, as sent in {@code plugin_version}
 */
public record PluginCapabilities(Semver version) {
    private static final BigInteger FIVE = BigInteger.valueOf(5);
    private static final BigInteger EIGHT = BigInteger.valueOf(8);
    private static final Map<String, Semver> THRESHOLDS = new ConcurrentHashMap<>();

    /** The plugin version the simulator follows by default, and the one docs/protocol.md was checked against. */
    public static final String REFERENCE_VERSION = "8.51.23";

    /** How the device's {@code key_id} looks on the wire. */
    public enum KeyIdFormat {
        /** No {@code key_id} at all (plugins before 5.50.1 / 6.50.1 / 7.50.1 / 8.2.0). */
        NONE,
        /** The first 4 characters of the key ({@code MIIB}, the same for every RSA-2048 key): nothing to compare. */
        SHORT,
        /** The first 20 characters of the public key's PEM body (plugins after 8.40.7). */
        FULL
    }

    public PluginCapabilities {
        if (version == null) {
            throw new IllegalArgumentException("a plugin version is required");
        }
    }

    /** The capabilities of a {@code plugin_version} string (semver, {@code 8} and {@code 8.1} padded), or empty. */
    public static Optional<PluginCapabilities> of(String pluginVersion) {
        return Semver.parseLenient(pluginVersion).map(PluginCapabilities::new);
    }

    /** The capabilities of {@link #REFERENCE_VERSION}. */
    public static PluginCapabilities reference() {
        return of(REFERENCE_VERSION).orElseThrow();
    }

    /** Plugin 5 and later; 4.x and older get {@code unsupported_plugin_version}. */
    public boolean supported() {
        return version.major().compareTo(FIVE) >= 0;
    }

    /** What the device sends as {@code key_id} when it has a public key. */
    public KeyIdFormat keyIdFormat() {
        if (!atLeast("5.50.1", "6.50.1", "7.50.1", "8.2.0")) {
            return KeyIdFormat.NONE;
        }
        return after("8.40.7") ? KeyIdFormat.FULL : KeyIdFormat.SHORT;
    }

    /**
     * Whether the server compares the device's key id with the bundle's: only when the device sends the full id
     * (plugins after 8.40.7). Older devices get the encrypted bundle and fail closed if their key is the wrong one.
     */
    public boolean keyIdCompared() {
        return keyIdFormat() == KeyIdFormat.FULL;
    }

    /**
     * Whether {@code setChannel()} is kept on the device and sent back as {@code defaultChannel} (from 5.34 / 6.34 /
     * 7.34 / 8.0; {@code unsetChannel()} is then local). Older plugins rely on the server to store the choice.
     */
    public boolean channelKeptOnDevice() {
        return atLeast("5.34.0", "6.34.0", "7.34.0", "8.0.0");
    }

    /** Whether the device reads {@code kind} in a no-update answer (from 8.45.11); older ones judge by {@code error}. */
    public boolean understandsKind() {
        return !before("8.45.11");
    }

    /** Whether the device can install a {@code manifest} (delta) answer (from 5.10.0 / 6.25.0 / 7.0.35 / 8.0). */
    public boolean understandsManifest() {
        return atLeast("5.10.0", "6.25.0", "7.0.35", "8.0.0");
    }

    /** Whether the device shows {@code link} and {@code comment} (from 5.35 / 6.35 / 7.35 / 8.35). */
    public boolean showsMetadata() {
        return atLeast("5.35.0", "6.35.0", "7.35.0", "8.35.0");
    }

    /** Whether {@code {"version":"builtin"}} makes the device reset to its built-in bundle (from 6.2.0). */
    public boolean revertsToBuiltin() {
        return atLeast(null, "6.2.0", "7.0.0", "8.0.0");
    }

    /**
     * Whether the device sends {@code download_fail} where nothing failed (below 6.14.25 / 7.17.0, and all of 5.x):
     * such events must not count as failures.
     */
    public boolean sendsSpuriousDownloadFail() {
        return !atLeast(null, "6.14.25", "7.17.0", "8.0.0");
    }

    /**
     * Whether the stats queue sends JSON arrays. The plugin's history does not say when batching came; Updraft assumes
     * it for 8.x. The server accepts an array and a single object from every version, so only the simulator's choice
     * of shape depends on this.
     */
    public boolean batchesStats() {
        return version.major().compareTo(EIGHT) >= 0;
    }

    /**
     * Whether this version is at least the threshold of its own major. {@code null} for a major means "never in that
     * major"; majors above 8 compare as 8 (and so satisfy every 8.x threshold).
     */
    private boolean atLeast(String v5, String v6, String v7, String v8) {
        int major = version.major().min(BigInteger.valueOf(9)).intValueExact();
        if (major > 8) {
            return true;
        }
        String threshold = switch (major) {
            case 5 -> v5;
            case 6 -> v6;
            case 7 -> v7;
            case 8 -> v8;
            default -> null;
        };
        return threshold != null && version.compareTo(threshold(threshold)) >= 0;
    }

    /** The thresholds are a few constants, parsed once: the server asks on every request. */
    private static Semver threshold(String v) {
        return THRESHOLDS.computeIfAbsent(v, k -> Semver.parse(k).orElseThrow());
    }

    /** Strictly after {@code v}, across majors (a 5.x is before every 8.x). */
    private boolean after(String v) {
        return version.compareTo(threshold(v)) > 0;
    }

    private boolean before(String v) {
        return version.compareTo(threshold(v)) < 0;
    }
}
