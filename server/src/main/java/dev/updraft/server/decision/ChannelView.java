package dev.updraft.server.decision;

import dev.updraft.protocol.Platform;

/**
 * A channel as the update check sees it.
 *
 * @param bundle        the target bundle; {@code null} means the built-in bundle (unless {@code bundleMissing})
 * @param bundleMissing the channel names a bundle that the snapshot could not load (deleted or inconsistent data)
 * @param builtinTarget what the channel answers, when it points at the built-in bundle, a device on a downloaded one
 * @param rollout       the rollout bundle and its share, {@code null} when the channel has no rollout running
 */
public record ChannelView(
        long id,
        String name,
        BundleView bundle,
        boolean bundleMissing,
        boolean isPublic,
        boolean allowDeviceSelfSet,
        boolean ios,
        boolean android,
        boolean electron,
        boolean allowDev,
        boolean allowProd,
        boolean allowDevice,
        boolean allowEmulator,
        DisableAutoUpdate disableAutoUpdate,
        boolean disableAutoUpdateUnderNative,
        BuiltinTarget builtinTarget,
        Rollout rollout) {

    public ChannelView {
        builtinTarget = builtinTarget == null ? BuiltinTarget.RESET : builtinTarget;
    }

    public boolean serves(Platform p) {
        return switch (p) {
            case IOS -> ios;
            case ANDROID -> android;
            case ELECTRON -> electron;
        };
    }

    /** A device may pick it itself, with setChannel or its {@code defaultChannel}. */
    public boolean selectableByDevice() {
        return isPublic || allowDeviceSelfSet;
    }

    /** Whether it serves a device of this kind: physical or emulator, production or development build. */
    public boolean servesKind(boolean isEmulator, boolean isProd) {
        return (isEmulator ? allowEmulator : allowDevice) && (isProd ? allowProd : allowDev);
    }

    public boolean targetsBuiltin() {
        return bundle == null && !bundleMissing;
    }
}
