package dev.updraft.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The plugin's "info object" (docs/protocol.md §1.4): the device's identity, sent as the body of the
 * update check, inside every stats event and with every channel call, plus {@code channel} for setChannel.
 *
 * <p>Strict JSON types, as the plugin sends them: the known keys are strings, except {@code is_emulator} and
 * {@code is_prod}, which are booleans; {@code null} is the same as absent; unknown keys are skipped; key order does
 * not matter. Every string is at most {@link #MAX_STRING} characters and holds no NUL. A {@code null} component means
 * the key was absent. Written back ({@link #toJson()}) in the Android plugin's key order, absent keys omitted.
 */
public record InfoObject(
        String platform,
        String deviceId,
        String appId,
        String customId,
        String versionBuild,
        String versionCode,
        String versionOs,
        String versionName,
        String pluginVersion,
        Boolean isEmulator,
        Boolean isProd,
        String installSource,
        String defaultChannel,
        String keyId,
        String channel) {

    /** Longest value accepted for any string field. */
    public static final int MAX_STRING = 1024;

    /**
     * Parses a JSON object body.
     *
     * @throws ProtocolException {@code invalid_json_parse_body} (empty, not JSON, trailing content) or
     *                           {@code invalid_json_body} (not an object, a wrong type, too long, NUL)
     */
    public static InfoObject parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new ProtocolException(
                    ProtocolException.INVALID_JSON_PARSE_BODY, "The body is empty; send the info object as JSON");
        }
        try (JsonParser p = JsonIn.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ProtocolException(ProtocolException.INVALID_JSON_BODY, "The body must be a JSON object");
            }
            Builder b = new Builder();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                if (!b.accept(name, p.nextToken(), p)) {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new ProtocolException(
                        ProtocolException.INVALID_JSON_PARSE_BODY, "Unexpected content after the JSON object");
            }
            return b.build();
        } catch (IOException e) {
            throw new ProtocolException(ProtocolException.INVALID_JSON_PARSE_BODY, "The body is not valid JSON");
        }
    }

    /**
     * From query parameters: listChannels sends the info object that way, booleans as {@code "true"}/{@code "false"}.
     * A {@code null} value is an absent parameter.
     *
     * @throws ProtocolException {@code invalid_json_body} for a boolean that is neither, a value too long or with NUL
     */
    public static InfoObject fromQuery(Map<String, String> query) {
        Builder b = new Builder();
        query.forEach(b::acceptText);
        return b.build();
    }

    /** The JSON body, keys in the order of Android's {@code createInfoObject}, then {@code channel}. */
    public byte[] toJson() {
        return write(new JsonOut(384).beginObject(), versionName).endObject().toBytes();
    }

    /** The query parameters of listChannels: the same keys and order as {@link #toJson()}, booleans as text. */
    public Map<String, String> toQuery() {
        Map<String, String> q = new LinkedHashMap<>();
        put(q, "platform", platform);
        put(q, "device_id", deviceId);
        put(q, "app_id", appId);
        put(q, "custom_id", customId);
        put(q, "version_build", versionBuild);
        put(q, "version_code", versionCode);
        put(q, "version_os", versionOs);
        put(q, "version_name", versionName);
        put(q, "plugin_version", pluginVersion);
        put(q, "is_emulator", isEmulator == null ? null : isEmulator.toString());
        put(q, "is_prod", isProd == null ? null : isProd.toString());
        put(q, "install_source", installSource);
        put(q, "defaultChannel", defaultChannel);
        put(q, "key_id", keyId);
        put(q, "channel", channel);
        return q;
    }

    /** The members, without the braces, with {@code version_name} taken from the argument (a stats event's). */
    JsonOut write(JsonOut o, String versionNameToWrite) {
        return o.fieldIfPresent("platform", platform)
                .fieldIfPresent("device_id", deviceId)
                .fieldIfPresent("app_id", appId)
                .fieldIfPresent("custom_id", customId)
                .fieldIfPresent("version_build", versionBuild)
                .fieldIfPresent("version_code", versionCode)
                .fieldIfPresent("version_os", versionOs)
                .fieldIfPresent("version_name", versionNameToWrite)
                .fieldIfPresent("plugin_version", pluginVersion)
                .fieldIfPresent("is_emulator", isEmulator)
                .fieldIfPresent("is_prod", isProd)
                .fieldIfPresent("install_source", installSource)
                .fieldIfPresent("defaultChannel", defaultChannel)
                .fieldIfPresent("key_id", keyId)
                .fieldIfPresent("channel", channel);
    }

    /** {@code platform} as a known platform, or empty (absent or not one the plugin sends). */
    public Optional<Platform> platformValue() {
        return Platform.fromWire(platform);
    }

    public InfoObject withVersionName(String v) {
        return toBuilder().versionName(v).build();
    }

    public InfoObject withChannel(String v) {
        return toBuilder().channel(v).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .platform(platform)
                .deviceId(deviceId)
                .appId(appId)
                .customId(customId)
                .versionBuild(versionBuild)
                .versionCode(versionCode)
                .versionOs(versionOs)
                .versionName(versionName)
                .pluginVersion(pluginVersion)
                .isEmulator(isEmulator)
                .isProd(isProd)
                .installSource(installSource)
                .defaultChannel(defaultChannel)
                .keyId(keyId)
                .channel(channel);
    }

    private static void put(Map<String, String> q, String name, String value) {
        if (value != null) {
            q.put(name, value);
        }
    }

    /**
     * Collects the fields: through the setters (a client building its info object, no checks), or through the type-
     * and length-checked readers the parsers use.
     */
    public static final class Builder {
        private String platform;
        private String deviceId;
        private String appId;
        private String customId;
        private String versionBuild;
        private String versionCode;
        private String versionOs;
        private String versionName;
        private String pluginVersion;
        private Boolean isEmulator;
        private Boolean isProd;
        private String installSource;
        private String defaultChannel;
        private String keyId;
        private String channel;

        Builder() {}

        public Builder platform(String v) {
            platform = v;
            return this;
        }

        public Builder platform(Platform v) {
            platform = v == null ? null : v.wire();
            return this;
        }

        public Builder deviceId(String v) {
            deviceId = v;
            return this;
        }

        public Builder appId(String v) {
            appId = v;
            return this;
        }

        public Builder customId(String v) {
            customId = v;
            return this;
        }

        public Builder versionBuild(String v) {
            versionBuild = v;
            return this;
        }

        public Builder versionCode(String v) {
            versionCode = v;
            return this;
        }

        public Builder versionOs(String v) {
            versionOs = v;
            return this;
        }

        public Builder versionName(String v) {
            versionName = v;
            return this;
        }

        public Builder pluginVersion(String v) {
            pluginVersion = v;
            return this;
        }

        public Builder isEmulator(Boolean v) {
            isEmulator = v;
            return this;
        }

        public Builder isProd(Boolean v) {
            isProd = v;
            return this;
        }

        public Builder installSource(String v) {
            installSource = v;
            return this;
        }

        public Builder defaultChannel(String v) {
            defaultChannel = v;
            return this;
        }

        public Builder keyId(String v) {
            keyId = v;
            return this;
        }

        public Builder channel(String v) {
            channel = v;
            return this;
        }

        public InfoObject build() {
            return new InfoObject(
                    platform,
                    deviceId,
                    appId,
                    customId,
                    versionBuild,
                    versionCode,
                    versionOs,
                    versionName,
                    pluginVersion,
                    isEmulator,
                    isProd,
                    installSource,
                    defaultChannel,
                    keyId,
                    channel);
        }

        /**
         * Takes the value of a member whose value token the parser is on, if {@code name} is a field of the info
         * object; {@code false} for other names (the caller skips or reads them).
         */
        boolean accept(String name, JsonToken v, JsonParser p) throws IOException {
            if (isBoolean(name)) {
                Boolean value = switch (v) {
                    case VALUE_TRUE -> Boolean.TRUE;
                    case VALUE_FALSE -> Boolean.FALSE;
                    case VALUE_NULL -> null;
                    default -> throw wrongType(name, "a boolean");
                };
                setBoolean(name, value);
                return true;
            }
            if (!isString(name)) {
                return false;
            }
            if (v == JsonToken.VALUE_NULL) {
                return true;
            }
            if (v != JsonToken.VALUE_STRING) {
                throw wrongType(name, "a string");
            }
            setString(name, checked(name, p.getText()));
            return true;
        }

        void acceptText(String name, String value) {
            if (value == null) {
                return;
            }
            if (isBoolean(name)) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw wrongType(name, "true or false");
                }
                setBoolean(name, Boolean.valueOf(value));
            } else if (isString(name)) {
                setString(name, checked(name, value));
            }
        }

        private static boolean isBoolean(String name) {
            return "is_emulator".equals(name) || "is_prod".equals(name);
        }

        private static boolean isString(String name) {
            return switch (name) {
                case "platform",
                        "device_id",
                        "app_id",
                        "custom_id",
                        "version_build",
                        "version_code",
                        "version_os",
                        "version_name",
                        "plugin_version",
                        "install_source",
                        "defaultChannel",
                        "key_id",
                        "channel" -> true;
                default -> false;
            };
        }

        private void setBoolean(String name, Boolean value) {
            if ("is_emulator".equals(name)) {
                isEmulator = value;
            } else {
                isProd = value;
            }
        }

        private void setString(String name, String value) {
            switch (name) {
                case "platform" -> platform = value;
                case "device_id" -> deviceId = value;
                case "app_id" -> appId = value;
                case "custom_id" -> customId = value;
                case "version_build" -> versionBuild = value;
                case "version_code" -> versionCode = value;
                case "version_os" -> versionOs = value;
                case "version_name" -> versionName = value;
                case "plugin_version" -> pluginVersion = value;
                case "install_source" -> installSource = value;
                case "defaultChannel" -> defaultChannel = value;
                case "key_id" -> keyId = value;
                case "channel" -> channel = value;
                default -> throw new IllegalArgumentException(name);
            }
        }

        private static String checked(String name, String value) {
            if (value.length() > MAX_STRING) {
                throw new ProtocolException(
                        ProtocolException.INVALID_JSON_BODY,
                        "The field '" + name + "' is longer than " + MAX_STRING + " characters");
            }
            if (DeviceApiRules.hasNul(value)) {
                throw new ProtocolException(
                        ProtocolException.INVALID_JSON_BODY, "The field '" + name + "' contains a NUL character");
            }
            return value;
        }

        private static ProtocolException wrongType(String name, String expected) {
            return new ProtocolException(
                    ProtocolException.INVALID_JSON_BODY, "The field '" + name + "' must be " + expected);
        }
    }
}
