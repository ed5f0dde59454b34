package dev.updraft.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The one JSON writer of the wire shapes: compact, keys in the order written, strings escaped so that any value
 * (control characters, U+2028/U+2029, quotes) stays one valid JSON string. Deliberately tiny: the answers are small,
 * and the hot ones are written once per bundle and kept as bytes.
 */
final class JsonOut {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder sb;
    private boolean needComma;

    JsonOut(int capacity) {
        sb = new StringBuilder(capacity);
    }

    JsonOut() {
        this(256);
    }

    JsonOut beginObject() {
        separate();
        sb.append('{');
        needComma = false;
        return this;
    }

    JsonOut endObject() {
        sb.append('}');
        needComma = true;
        return this;
    }

    JsonOut beginArray() {
        separate();
        sb.append('[');
        needComma = false;
        return this;
    }

    JsonOut endArray() {
        sb.append(']');
        needComma = true;
        return this;
    }

    /** A member name; the next call writes its value. */
    JsonOut name(String name) {
        separate();
        quote(name).append(':');
        needComma = false;
        return this;
    }

    /** A string value, or {@code null}. */
    JsonOut value(String s) {
        separate();
        if (s == null) {
            sb.append("null");
        } else {
            quote(s);
        }
        needComma = true;
        return this;
    }

    JsonOut value(boolean b) {
        separate();
        sb.append(b);
        needComma = true;
        return this;
    }

    JsonOut value(long n) {
        separate();
        sb.append(n);
        needComma = true;
        return this;
    }

    /** {@code "name":"value"}, even when the value is {@code null}. */
    JsonOut field(String name, String value) {
        return name(name).value(value);
    }

    JsonOut field(String name, boolean value) {
        return name(name).value(value);
    }

    JsonOut field(String name, long value) {
        return name(name).value(value);
    }

    /** {@code "name":"value"} only when the value is not {@code null}: the plugin tells "absent" from "null". */
    JsonOut fieldIfPresent(String name, String value) {
        return value == null ? this : field(name, value);
    }

    JsonOut fieldIfPresent(String name, Boolean value) {
        return value == null ? this : field(name, value.booleanValue());
    }

    JsonOut fieldIfPresent(String name, Long value) {
        return value == null ? this : field(name, value.longValue());
    }

    byte[] toBytes() {
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    private void separate() {
        if (needComma) {
            sb.append(',');
        }
    }

    private StringBuilder quote(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append("\\u")
                                .append(HEX[(c >> 12) & 0xF])
                                .append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF])
                                .append(HEX[c & 0xF]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }
}
