package dev.updraft.sim;

import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.protocol.NoUpdateKind;
import dev.updraft.protocol.Platform;
import dev.updraft.protocol.PluginCapabilities;
import dev.updraft.protocol.Semver;
import dev.updraft.protocol.UpdateAnswer;
import dev.updraft.protocol.UpdateError;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The plugin version a simulated device plays, and every behaviour that depends on it (docs/simulator.md, "Plugin
 * versions"). Each method is one gate of the simulator, decided by the protocol's {@link PluginCapabilities}; no other
 * class of the simulator looks at the version. Immutable.
 */
public final class PluginBehaviour {
    /** The version the simulator plays unless told otherwise: the one docs/protocol.md was checked against. */
    public static final String DEFAULT_VERSION = PluginCapabilities.REFERENCE_VERSION;

    /** The {@code error} codes the protocol's catalogue calls "up to date": all a plugin without {@code kind} trusts. */
    private static final Set<String> UP_TO_DATE_CODES = Stream.of(UpdateError.values())
            .filter(e -> e.kind() == NoUpdateKind.UP_TO_DATE)
            .map(UpdateError::code)
            .collect(Collectors.toUnmodifiableSet());

    private static final PluginBehaviour DEFAULT = of(DEFAULT_VERSION);

    private final String version;
    private final PluginCapabilities capabilities;

    private PluginBehaviour(String version, PluginCapabilities capabilities) {
        this.version = version;
        this.capabilities = capabilities;
    }

    /**
     * The behaviour of a plugin version: strict semver ({@code 7.30.0}), major 5 or later (majors above 8 behave as
     * the newest 8.x).
     *
     * @throws IllegalArgumentException with a one-line reason when the version is not semver or older than 5
     */
    public static PluginBehaviour of(String version) {
        Semver v = Semver.parse(version)
                .orElseThrow(() -> new IllegalArgumentException(
                        "plugin version '" + version + "' is not a semantic version such as " + DEFAULT_VERSION));
        PluginCapabilities c = new PluginCapabilities(v);
        if (!c.supported()) {
            throw new IllegalArgumentException(
                    "plugin version " + version + " is not supported: the simulator plays plugins 5.0.0 and later");
        }
        return new PluginBehaviour(version, c);
    }

    /** The behaviour of {@link #DEFAULT_VERSION}. */
    public static PluginBehaviour defaultVersion() {
        return DEFAULT;
    }

    /** What the device sends as {@code plugin_version} and in its User-Agent. */
    public String version() {
        return version;
    }

    public PluginCapabilities capabilities() {
        return capabilities;
    }

    /**
     * {@code CapacitorUpdater/<plugin_version> (<app_id>) <platform>/<version_os>}, each value printable Latin-1 only,
     * {@code unknown} when nothing is left (docs/protocol.md, headers).
     */
    public String userAgent(String appId, Platform platform, String versionOs) {
        return "CapacitorUpdater/" + uaValue(version) + " (" + uaValue(appId) + ") " + platform.wire() + "/"
                + uaValue(versionOs);
    }

    private static String uaValue(String v) {
        StringBuilder sb = new StringBuilder();
        for (char ch : (v == null ? "" : v).toCharArray()) {
            if ((ch >= 0x20 && ch < 0x7f) || (ch >= 0xa0 && ch <= 0xff)) {
                sb.append(ch);
            }
        }
        return sb.length() == 0 ? "unknown" : sb.toString();
    }

    /**
     * Gate "key_id": what the device sends as {@code key_id} with this public key. None before 5.50.1 / 6.50.1 /
     * 7.50.1 / 8.2.0, the 4-character prefix ({@code MIIB}) up to 8.40.7, the 20-character id after; {@code null}
     * (the key is absent) without a public key or before key ids existed.
     */
    public String keyIdFor(BundlePublicKey publicKey) {
        if (publicKey == null) {
            return null;
        }
        return switch (capabilities.keyIdFormat()) {
            case NONE -> null;
            case SHORT -> publicKey.keyId().substring(0, 4);
            case FULL -> publicKey.keyId();
        };
    }

    /**
     * Gate "channel storage": true when {@code setChannel} is kept on the device and sent back as
     * {@code defaultChannel}, {@code getChannel} persists its answer and {@code unsetChannel} is local (from 5.34 /
     * 6.34 / 7.34 / 8.0); false when the device relies on the server's store: nothing is persisted and
     * {@code unsetChannel} sends {@code DELETE}.
     */
    public boolean keepsChannelOnDevice() {
        return capabilities.channelKeptOnDevice();
    }

    /**
     * Gates "kind" and "revert to built-in": the answer class this version acts on, from the protocol's reading of
     * the answer (which is the newest plugin's).
     * <ul>
     *   <li>From 8.45.11 the device acts on {@code kind} ({@link UpdateAnswer#kind()} as it is).</li>
     *   <li>Before, it judges a no-update answer by {@code error} alone: the codes the catalogue calls up to date
     *       ({@code no_new_version_available}, {@code already_on_builtin}) are no update, whatever the {@code kind};
     *       every other no-update answer, blocks included, is a failure (the device sends {@code download_fail}).
     *       The spec says only "by error alone"; that an older device knows no "blocked" is the simulator's reading
     *       (docs/simulator.md).</li>
     *   <li>Before 6.2.0 {@code {"version":"builtin"}} is no revert: the device reads it as an update without a
     *       {@code url}, which it refuses with {@code download_fail}.</li>
     * </ul>
     */
    public UpdateAnswer.Kind answerClass(UpdateAnswer answer) {
        UpdateAnswer.Kind k = answer.kind();
        if (k == UpdateAnswer.Kind.BUILTIN && !capabilities.revertsToBuiltin()) {
            return UpdateAnswer.Kind.UPDATE;
        }
        boolean noUpdateClass =
                k == UpdateAnswer.Kind.UP_TO_DATE || k == UpdateAnswer.Kind.BLOCKED || k == UpdateAnswer.Kind.FAILED;
        if (!noUpdateClass || capabilities.understandsKind()) {
            return k;
        }
        return UP_TO_DATE_CODES.contains(answer.error()) ? UpdateAnswer.Kind.UP_TO_DATE : UpdateAnswer.Kind.FAILED;
    }

    /**
     * Gate "manifest": whether the device installs a {@code manifest} (delta) answer (from 5.10.0 / 6.25.0 / 7.0.35 /
     * 8.0). Older devices ignore {@code manifest} and download the zip at {@code url}.
     */
    public boolean readsManifest() {
        return capabilities.understandsManifest();
    }

    /**
     * Gate "legacy download_fail": whether this version sends {@code download_fail} where nothing failed (below
     * 6.14.25 / 7.17.0, and all of 5.x). Simulated only when asked ({@link DeviceConfig#spuriousDownloadFail()}).
     */
    public boolean sendsSpuriousDownloadFail() {
        return capabilities.sendsSpuriousDownloadFail();
    }

    /** Gate "batched stats": the queue is sent as JSON arrays (8.x), else one JSON object per event. */
    public boolean batchesStats() {
        return capabilities.batchesStats();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PluginBehaviour p && p.version.equals(version);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version);
    }

    @Override
    public String toString() {
        return "plugin " + version;
    }
}
