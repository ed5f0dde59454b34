package dev.updraft.server.decision;

import dev.updraft.protocol.Platform;
import dev.updraft.protocol.UpdateError;

/**
 * Every answer the update check can give. {@link #UPDATE} and {@link #REVERT_TO_BUILTIN} are the two answers that
 * carry no {@code error}; every other outcome is an HTTP 200 {@code {error, message, kind, ...}}, whose wire form
 * (code, kind, message) is the protocol's {@link UpdateError}.
 */
public enum Outcome {
    UPDATE(null),
    REVERT_TO_BUILTIN(null),
    UNKNOWN_VERSION_BUILD(UpdateError.UNKNOWN_VERSION_BUILD),
    SEMVER_ERROR(UpdateError.SEMVER_ERROR),
    UNSUPPORTED_PLUGIN_VERSION(UpdateError.UNSUPPORTED_PLUGIN_VERSION),
    MISSING_INFO(UpdateError.MISSING_INFO),
    NO_CHANNEL(UpdateError.NO_CHANNEL),
    NO_BUNDLE(UpdateError.NO_BUNDLE),
    KEY_ID_MISMATCH(UpdateError.KEY_ID_MISMATCH),
    NO_NEW_VERSION(UpdateError.NO_NEW_VERSION_AVAILABLE),
    DISABLED_PLATFORM_IOS(UpdateError.DISABLED_PLATFORM_IOS),
    DISABLED_PLATFORM_ANDROID(UpdateError.DISABLED_PLATFORM_ANDROID),
    DISABLED_PLATFORM_ELECTRON(UpdateError.DISABLED_PLATFORM_ELECTRON),
    DISABLE_AUTO_UPDATE_TO_MAJOR(UpdateError.DISABLE_AUTO_UPDATE_TO_MAJOR),
    CANNOT_UPDATE_VIA_PRIVATE_CHANNEL(UpdateError.CANNOT_UPDATE_VIA_PRIVATE_CHANNEL),
    DISABLE_AUTO_UPDATE_TO_MINOR(UpdateError.DISABLE_AUTO_UPDATE_TO_MINOR),
    DISABLE_AUTO_UPDATE_TO_PATCH(UpdateError.DISABLE_AUTO_UPDATE_TO_PATCH),
    MISCONFIGURED_CHANNEL(UpdateError.MISCONFIGURED_CHANNEL),
    DISABLE_AUTO_UPDATE_TO_METADATA(UpdateError.DISABLE_AUTO_UPDATE_TO_METADATA),
    DISABLE_AUTO_UPDATE_UNDER_NATIVE(UpdateError.DISABLE_AUTO_UPDATE_UNDER_NATIVE),
    DISABLE_PROD_BUILD(UpdateError.DISABLE_PROD_BUILD),
    DISABLE_DEV_BUILD(UpdateError.DISABLE_DEV_BUILD),
    DISABLE_DEVICE(UpdateError.DISABLE_DEVICE),
    DISABLE_EMULATOR(UpdateError.DISABLE_EMULATOR),
    ALREADY_ON_BUILTIN(UpdateError.ALREADY_ON_BUILTIN),
    REVERT_TO_BUILTIN_PLUGIN_VERSION_TOO_OLD(UpdateError.REVERT_TO_BUILTIN_PLUGIN_VERSION_TOO_OLD),
    NO_BUNDLE_URL(UpdateError.NO_BUNDLE_URL);

    /** The wire answer of a refusal; {@code null} for the two answers without {@code error}. */
    public final UpdateError error;

    Outcome(UpdateError error) {
        this.error = error;
    }

    public boolean isRefusal() {
        return error != null;
    }

    static Outcome disabledPlatform(Platform p) {
        return switch (p) {
            case IOS -> DISABLED_PLATFORM_IOS;
            case ANDROID -> DISABLED_PLATFORM_ANDROID;
            case ELECTRON -> DISABLED_PLATFORM_ELECTRON;
        };
    }
}
