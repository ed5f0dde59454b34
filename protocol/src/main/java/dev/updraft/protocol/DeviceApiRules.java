package dev.updraft.protocol;

import java.util.List;

/**
 * The schema every device call is checked against before anything else (docs/protocol.md §1.6): which info-object
 * fields it requires, and the shape of every field that is present. A required field that is absent or empty, or a
 * field of the wrong shape, is {@code 400 invalid_json_body}; a {@code version_build} or {@code plugin_version} that is
 * not a semantic version is {@code 400 semver_error}. What passes is what the update check's decision table sees.
 */
public enum DeviceApiRules {
    /** {@code POST /updates}: everything the decision table reads. */
    UPDATES(List.of("app_id", "device_id", "platform", "version_build", "version_name", "plugin_version")),
    /** {@code /channel_self}, every method: the identity and the plugin version (where setChannel is kept depends on it). */
    CHANNEL_SELF(List.of("app_id", "device_id", "platform", "plugin_version")),
    /** One event of {@code POST /stats} (its {@code action} is checked by {@link StatsEvent}). */
    STATS_EVENT(List.of("app_id", "device_id", "platform", "version_name", "version_os"));

    /** Longest {@code key_id}: the plugin sends the first 20 characters of its public key. */
    public static final int MAX_KEY_ID = 20;
    /** Longest {@code custom_id}. */
    public static final int MAX_CUSTOM_ID = 36;
    /** Longest {@code install_source}. */
    public static final int MAX_INSTALL_SOURCE = 64;
    /** The {@code version_build} of a device that does not know its native version (answered {@code unknown_version_build}). */
    public static final String UNKNOWN_VERSION_BUILD = "unknown";

    private final List<String> required;

    DeviceApiRules(List<String> required) {
        this.required = required;
    }

    /** The info-object fields this call requires, present and not empty. */
    public List<String> required() {
        return required;
    }

    /**
     * Checks an info object for this call.
     *
     * @throws ProtocolException {@code invalid_json_body} or {@code semver_error}, naming the field
     */
    public void check(InfoObject info) {
        for (String field : required) {
            String v = value(info, field);
            if (v == null || v.isEmpty()) {
                throw invalid("The field '" + field + "' is required");
            }
        }
        if (present(info.appId()) && !Identifier.APP_ID.matches(info.appId())) {
            throw invalid("The field 'app_id' must be " + Identifier.APP_ID.rule());
        }
        if (present(info.deviceId()) && !Identifier.DEVICE_ID.matches(info.deviceId())) {
            throw invalid("The field 'device_id' must be " + Identifier.DEVICE_ID.rule());
        }
        if (present(info.platform()) && info.platformValue().isEmpty()) {
            throw invalid("The field 'platform' must be ios, android or electron");
        }
        longest(info.keyId(), "key_id", MAX_KEY_ID);
        longest(info.customId(), "custom_id", MAX_CUSTOM_ID);
        longest(info.installSource(), "install_source", MAX_INSTALL_SOURCE);
        if (this == UPDATES
                && !UNKNOWN_VERSION_BUILD.equals(info.versionBuild())
                && Semver.parseLenient(info.versionBuild()).isEmpty()) {
            throw new ProtocolException(
                    ProtocolException.SEMVER_ERROR,
                    "The field 'version_build' must be a semantic version such as 1.2.3");
        }
        if (present(info.pluginVersion())
                && PluginCapabilities.of(info.pluginVersion()).isEmpty()) {
            throw new ProtocolException(
                    ProtocolException.SEMVER_ERROR,
                    "The field 'plugin_version' must be a semantic version such as 8.51.23");
        }
    }

    /**
     * The capabilities of the checked info object's plugin: for a call that requires {@code plugin_version}, after
     * {@link #check}; the reference version when an event does not say.
     */
    public static PluginCapabilities pluginOf(InfoObject info) {
        return info.pluginVersion() == null
                ? PluginCapabilities.reference()
                : PluginCapabilities.of(info.pluginVersion()).orElseGet(PluginCapabilities::reference);
    }

    /** PostgreSQL cannot store NUL in text, so the device API refuses it in every string it would store. */
    static boolean hasNul(String s) {
        return s != null && s.indexOf('\0') >= 0;
    }

    private static boolean present(String s) {
        return s != null && !s.isEmpty();
    }

    private static void longest(String value, String field, int max) {
        if (value != null && value.length() > max) {
            throw invalid("The field '" + field + "' is longer than " + max + " characters");
        }
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(ProtocolException.INVALID_JSON_BODY, message);
    }

    private static String value(InfoObject info, String field) {
        return switch (field) {
            case "app_id" -> info.appId();
            case "device_id" -> info.deviceId();
            case "platform" -> info.platform();
            case "version_build" -> info.versionBuild();
            case "version_name" -> info.versionName();
            case "version_os" -> info.versionOs();
            case "plugin_version" -> info.pluginVersion();
            default -> throw new IllegalArgumentException(field);
        };
    }
}
