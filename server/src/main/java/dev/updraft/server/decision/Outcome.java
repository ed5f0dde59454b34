package dev.updraft.server.decision;

import static dev.updraft.server.decision.Kind.BLOCKED;
import static dev.updraft.server.decision.Kind.FAILED;
import static dev.updraft.server.decision.Kind.UP_TO_DATE;

/**
 * Every answer the update check can give. {@link #UPDATE} and {@link #REVERT_TO_BUILTIN} are the two answers that
 * carry no {@code error}; every other outcome is an HTTP 200 {@code {error, message, kind, ...}}.
 */
public enum Outcome {
    UPDATE(null, null, null),
    REVERT_TO_BUILTIN(null, null, null),
    UNKNOWN_VERSION_BUILD("unknown_version_build", FAILED, "The native version_build is unknown"),
    SEMVER_ERROR("semver_error", FAILED, "The native version_build is not a semantic version"),
    UNSUPPORTED_PLUGIN_VERSION("unsupported_plugin_version", FAILED, "This plugin version is too old for this server"),
    MISSING_INFO("missing_info", FAILED, "The request lacks version_name"),
    NO_CHANNEL("no_channel", FAILED, "No channel serves this device"),
    NO_BUNDLE("no_bundle", FAILED, "The channel's bundle cannot be served"),
    KEY_ID_MISMATCH("key_id_mismatch", BLOCKED, "The bundle is not encrypted for this device's public key"),
    NO_NEW_VERSION("no_new_version_available", UP_TO_DATE, "No new version available"),
    DISABLED_PLATFORM_IOS("disabled_platform_ios", BLOCKED, "The channel does not serve iOS"),
    DISABLED_PLATFORM_ANDROID("disabled_platform_android", BLOCKED, "The channel does not serve Android"),
    DISABLED_PLATFORM_ELECTRON("disabled_platform_electron", BLOCKED, "The channel does not serve Electron"),
    DISABLE_AUTO_UPDATE_TO_MAJOR("disable_auto_update_to_major", BLOCKED, "Cannot upgrade major version"),
    CANNOT_UPDATE_VIA_PRIVATE_CHANNEL("cannot_update_via_private_channel", BLOCKED, "The channel is private and cannot be chosen by devices"),
    DISABLE_AUTO_UPDATE_TO_MINOR("disable_auto_update_to_minor", BLOCKED, "Cannot upgrade minor version"),
    DISABLE_AUTO_UPDATE_TO_PATCH("disable_auto_update_to_patch", BLOCKED, "Cannot upgrade patch version"),
    MISCONFIGURED_CHANNEL("misconfigured_channel", FAILED, "The channel gates on min_update_version but the bundle has none"),
    DISABLE_AUTO_UPDATE_TO_METADATA("disable_auto_update_to_metadata", BLOCKED, "The bundle needs a newer native version"),
    DISABLE_AUTO_UPDATE_UNDER_NATIVE("disable_auto_update_under_native", BLOCKED, "Cannot install a bundle older than the native version"),
    DISABLE_PROD_BUILD("disable_prod_build", BLOCKED, "The channel does not serve production builds"),
    DISABLE_DEV_BUILD("disable_dev_build", BLOCKED, "The channel does not serve development builds"),
    DISABLE_DEVICE("disable_device", BLOCKED, "The channel does not serve physical devices"),
    DISABLE_EMULATOR("disable_emulator", BLOCKED, "The channel does not serve emulators"),
    ALREADY_ON_BUILTIN("already_on_builtin", UP_TO_DATE, "The device already runs the built-in bundle"),
    REVERT_TO_BUILTIN_PLUGIN_VERSION_TOO_OLD("revert_to_builtin_plugin_version_too_old", FAILED, "This plugin version cannot revert to the built-in bundle"),
    NO_BUNDLE_URL("no_bundle_url", FAILED, "The bundle has no usable download URL");

    /** The wire {@code error} code, {@code null} for the two answers without one. */
    public final String code;
    public final Kind kind;
    public final String message;

    Outcome(String code, Kind kind, String message) {
        this.code = code;
        this.kind = kind;
        this.message = message;
    }

    public boolean isRefusal() {
        return code != null;
    }

    static Outcome disabledPlatform(Platform p) {
        return switch (p) {
            case IOS -> DISABLED_PLATFORM_IOS;
            case ANDROID -> DISABLED_PLATFORM_ANDROID;
            case ELECTRON -> DISABLED_PLATFORM_ELECTRON;
        };
    }
}
