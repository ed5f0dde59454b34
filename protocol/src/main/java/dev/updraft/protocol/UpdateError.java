package dev.updraft.protocol;

import static dev.updraft.protocol.NoUpdateKind.BLOCKED;
import static dev.updraft.protocol.NoUpdateKind.FAILED;
import static dev.updraft.protocol.NoUpdateKind.UP_TO_DATE;

import java.util.EnumMap;
import java.util.Map;

/**
 * The "no update" answers of {@code POST /updates}: HTTP 200 {@code {"error", "message", "kind", ...extras}}
 * (docs/protocol.md §2.2 C). The plugin acts on {@code kind}; the codes are those of the Capgo
 * cloud, so dashboards and apps that read them keep working. Which answer a device gets is the server's decision;
 * what it looks like on the wire is here.
 */
public enum UpdateError {
    UNKNOWN_VERSION_BUILD("unknown_version_build", FAILED, "The native version_build is unknown"),
    SEMVER_ERROR("semver_error", FAILED, "The native version_build is not a semantic version"),
    UNSUPPORTED_PLUGIN_VERSION("unsupported_plugin_version", FAILED, "This plugin version is too old for this server"),
    MISSING_INFO("missing_info", FAILED, "The request lacks version_name"),
    NO_CHANNEL("no_channel", FAILED, "No channel serves this device"),
    NO_BUNDLE("no_bundle", FAILED, "The channel's bundle cannot be served"),
    KEY_ID_MISMATCH("key_id_mismatch", BLOCKED, "The bundle is not encrypted for this device's public key"),
    NO_NEW_VERSION_AVAILABLE("no_new_version_available", UP_TO_DATE, "No new version available"),
    DISABLED_PLATFORM_IOS("disabled_platform_ios", BLOCKED, "The channel does not serve iOS"),
    DISABLED_PLATFORM_ANDROID("disabled_platform_android", BLOCKED, "The channel does not serve Android"),
    DISABLED_PLATFORM_ELECTRON("disabled_platform_electron", BLOCKED, "The channel does not serve Electron"),
    /** Also makes the plugin emit its breaking-update events. */
    DISABLE_AUTO_UPDATE_TO_MAJOR("disable_auto_update_to_major", BLOCKED, "Cannot upgrade major version"),
    CANNOT_UPDATE_VIA_PRIVATE_CHANNEL(
            "cannot_update_via_private_channel", BLOCKED, "The channel is private and cannot be chosen by devices"),
    DISABLE_AUTO_UPDATE_TO_MINOR("disable_auto_update_to_minor", BLOCKED, "Cannot upgrade minor version"),
    DISABLE_AUTO_UPDATE_TO_PATCH("disable_auto_update_to_patch", BLOCKED, "Cannot upgrade patch version"),
    MISCONFIGURED_CHANNEL(
            "misconfigured_channel", FAILED, "The channel gates on min_update_version but the bundle has none"),
    DISABLE_AUTO_UPDATE_TO_METADATA(
            "disable_auto_update_to_metadata", BLOCKED, "The bundle needs a newer native version"),
    DISABLE_AUTO_UPDATE_UNDER_NATIVE(
            "disable_auto_update_under_native", BLOCKED, "Cannot install a bundle older than the native version"),
    DISABLE_PROD_BUILD("disable_prod_build", BLOCKED, "The channel does not serve production builds"),
    DISABLE_DEV_BUILD("disable_dev_build", BLOCKED, "The channel does not serve development builds"),
    DISABLE_DEVICE("disable_device", BLOCKED, "The channel does not serve physical devices"),
    DISABLE_EMULATOR("disable_emulator", BLOCKED, "The channel does not serve emulators"),
    ALREADY_ON_BUILTIN("already_on_builtin", UP_TO_DATE, "The device already runs the built-in bundle"),
    REVERT_TO_BUILTIN_PLUGIN_VERSION_TOO_OLD(
            "revert_to_builtin_plugin_version_too_old",
            FAILED,
            "This plugin version cannot revert to the built-in bundle"),
    NO_BUNDLE_URL("no_bundle_url", FAILED, "The bundle has no usable download URL");

    private static final Map<UpdateError, byte[]> PLAIN = new EnumMap<>(UpdateError.class);

    static {
        for (UpdateError e : values()) {
            PLAIN.put(e, e.write(null, null, null, null));
        }
    }

    private final String code;
    private final NoUpdateKind kind;
    private final String message;

    UpdateError(String code, NoUpdateKind kind, String message) {
        this.code = code;
        this.kind = kind;
        this.message = message;
    }

    /** The wire {@code error}. */
    public String code() {
        return code;
    }

    public NoUpdateKind kind() {
        return kind;
    }

    /** The {@code message} Updraft sends. */
    public String message() {
        return message;
    }

    /** The platform switch's code for a platform. */
    public static UpdateError disabledPlatform(Platform p) {
        return switch (p) {
            case IOS -> DISABLED_PLATFORM_IOS;
            case ANDROID -> DISABLED_PLATFORM_ANDROID;
            case ELECTRON -> DISABLED_PLATFORM_ELECTRON;
        };
    }

    /**
     * Whether the answer carries {@code major:true}, as the Capgo cloud's semver gates do (the plugin passes it to the
     * app's JavaScript).
     */
    public boolean flagsMajor() {
        return this == DISABLE_AUTO_UPDATE_TO_MAJOR
                || this == DISABLE_AUTO_UPDATE_TO_MINOR
                || this == DISABLE_AUTO_UPDATE_TO_PATCH;
    }

    /** {@code {"error","message","kind"[,"major":true]}}, serialised once. Do not modify the array. */
    public byte[] toJson() {
        return PLAIN.get(this);
    }

    /**
     * With the extras the plugin passes on: {@code version} (the target) and {@code old} (the device's native
     * version); either may be {@code null} (then absent).
     */
    public byte[] toJson(String version, String old) {
        return version == null && old == null ? PLAIN.get(this) : write(version, old, null, null);
    }

    /** {@code key_id_mismatch} with {@code deviceKeyId} and {@code bundleKeyId} ({@code ""} for none). */
    public static byte[] keyIdMismatch(String deviceKeyId, String bundleKeyId) {
        return KEY_ID_MISMATCH.write(
                null, null, deviceKeyId == null ? "" : deviceKeyId, bundleKeyId == null ? "" : bundleKeyId);
    }

    private byte[] write(String version, String old, String deviceKeyId, String bundleKeyId) {
        JsonOut o = new JsonOut(160)
                .beginObject()
                .field("error", code)
                .field("message", message)
                .field("kind", kind.wire());
        if (flagsMajor()) {
            o.field("major", true);
        }
        o.fieldIfPresent("version", version).fieldIfPresent("old", old);
        if (deviceKeyId != null) {
            o.field("deviceKeyId", deviceKeyId).field("bundleKeyId", bundleKeyId);
        }
        return o.endObject().toBytes();
    }
}
