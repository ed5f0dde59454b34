package dev.updraft.server.decision;

import dev.updraft.protocol.Platform;
import dev.updraft.protocol.PluginCapabilities;
import dev.updraft.protocol.Semver;

/**
 * A validated update-check request (the plugin's info object, docs/protocol.md §1.4), normalised like the Capgo
 * backend does: {@code version_name "builtin"} becomes {@code version_build}, and {@code version_build} is parsed
 * leniently ({@code "1"} is {@code 1.0.0}).
 *
 * @param nativeVersion {@code version_build} as a semver, {@code null} when it is not one (or is {@code "unknown"})
 * @param versionName   the running bundle; {@code null} when the device did not send it
 * @param plugin        what the device's plugin version sends and understands
 * @param keyId         the device's {@code key_id}; {@code ""} when the device sent none
 */
public record UpdateRequest(
        String appId,
        String deviceId,
        Platform platform,
        String versionBuild,
        Semver nativeVersion,
        String versionName,
        PluginCapabilities plugin,
        boolean isEmulator,
        boolean isProd,
        String defaultChannel,
        String keyId) {

    /** The literal the plugin and the backend use for the bundle shipped inside the app. */
    public static final String BUILTIN = dev.updraft.protocol.UpdateAnswer.BUILTIN;

    public UpdateRequest {
        if (plugin == null) {
            throw new IllegalArgumentException("the plugin version is required (the device API's schema checks it)");
        }
        defaultChannel = defaultChannel == null ? "" : defaultChannel;
        keyId = keyId == null ? "" : keyId;
        if (BUILTIN.equals(versionName)) {
            versionName = versionBuild;
        }
    }

    /** The device runs the bundle shipped inside the app: the plugin then reports version_name == version_build. */
    public boolean runsBuiltin() {
        return versionName != null && versionName.equals(versionBuild);
    }
}
