package dev.updraft.server.device;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.updraft.server.web.ApiException;
import dev.updraft.server.web.Ids;

import java.io.IOException;
import java.util.Map;

/**
 * The plugin's "info object" (spec §1.4), sent with every device call, plus {@code channel} for setChannel. Parsed
 * with a streaming parser: known keys must have the JSON type the plugin sends (strings, booleans), unknown keys are
 * skipped, key order does not matter, {@code null} counts as absent.
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
    static final int MAX_STRING = 1024;

    /** Parses a JSON object body; a 400 for anything else. */
    static InfoObject parse(JsonFactory json, byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("invalid_json_parse_body", "The body is empty; send the info object as JSON");
        }
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("invalid_json_body", "The body must be a JSON object");
            }
            InfoObject info = read(p);
            if (p.nextToken() != null) {
                throw ApiException.badRequest("invalid_json_parse_body", "Unexpected content after the JSON object");
            }
            return info;
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_json_parse_body", "The body is not valid JSON");
        }
    }

    /** Reads the fields of an object whose START_OBJECT the parser is on; leaves it on the END_OBJECT. */
    static InfoObject read(JsonParser p) throws IOException {
        Builder b = new Builder();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (!b.accept(name, v, p)) {
                p.skipChildren();
            }
        }
        return b.build();
    }

    /** From query parameters (listChannels sends the info object that way; booleans are "true"/"false"). */
    static InfoObject fromQuery(Map<String, String> q) {
        Builder b = new Builder();
        q.forEach((k, v) -> b.acceptText(k, v));
        return b.build();
    }

    /** Collects known fields with type checks. */
    static final class Builder {
        private final String[] s = new String[13];
        private Boolean isEmulator;
        private Boolean isProd;

        private static int index(String name) {
            return switch (name) {
                case "platform" -> 0;
                case "device_id" -> 1;
                case "app_id" -> 2;
                case "custom_id" -> 3;
                case "version_build" -> 4;
                case "version_code" -> 5;
                case "version_os" -> 6;
                case "version_name" -> 7;
                case "plugin_version" -> 8;
                case "install_source" -> 9;
                case "defaultChannel" -> 10;
                case "key_id" -> 11;
                case "channel" -> 12;
                default -> -1;
            };
        }

        boolean accept(String name, JsonToken v, JsonParser p) throws IOException {
            if ("is_emulator".equals(name) || "is_prod".equals(name)) {
                Boolean value = switch (v) {
                    case VALUE_TRUE -> Boolean.TRUE;
                    case VALUE_FALSE -> Boolean.FALSE;
                    case VALUE_NULL -> null;
                    default -> throw wrongType(name, "a boolean");
                };
                set(name, value);
                return true;
            }
            int i = index(name);
            if (i < 0) {
                return false;
            }
            if (v == JsonToken.VALUE_NULL) {
                return true;
            }
            if (v != JsonToken.VALUE_STRING) {
                throw wrongType(name, "a string");
            }
            s[i] = checkLength(name, p.getText());
            return true;
        }

        void acceptText(String name, String value) {
            if (value == null) {
                return;
            }
            if ("is_emulator".equals(name) || "is_prod".equals(name)) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw wrongType(name, "true or false");
                }
                set(name, Boolean.valueOf(value));
                return;
            }
            int i = index(name);
            if (i >= 0) {
                s[i] = checkLength(name, value);
            }
        }

        private void set(String name, Boolean value) {
            if ("is_emulator".equals(name)) {
                isEmulator = value;
            } else {
                isProd = value;
            }
        }

        private static String checkLength(String name, String value) {
            if (value.length() > MAX_STRING) {
                throw ApiException.badRequest("invalid_json_body", "The field '" + name + "' is longer than " + MAX_STRING + " characters");
            }
            if (Ids.hasNul(value)) {
                throw ApiException.badRequest("invalid_json_body", "The field '" + name + "' contains a NUL character");
            }
            return value;
        }

        private static ApiException wrongType(String name, String expected) {
            return ApiException.badRequest("invalid_json_body", "The field '" + name + "' must be " + expected);
        }

        InfoObject build() {
            return new InfoObject(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], isEmulator, isProd, s[9], s[10], s[11], s[12]);
        }
    }
}
