package dev.updraft.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading JSON with the streaming parser: the shared factory, and a plain value tree for answers read as a client. */
final class JsonIn {
    /** Thread-safe; parsers made from it are not shared. */
    static final JsonFactory FACTORY = new JsonFactory();

    /** Stands for a body that is the JSON literal {@code null}: valid JSON, but no value to read. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private JsonIn() {}

    /**
     * The whole body as a value: {@link Map} (keys in order; a {@code null} value is a key present with JSON null),
     * {@link List}, {@link String}, {@link Boolean}, {@link Number}, or {@link #NULL}.
     *
     * @throws IOException when the body is not exactly one JSON value
     */
    static Object readTree(byte[] body) throws IOException {
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException("empty body");
            }
            Object v = value(p, t);
            if (p.nextToken() != null) {
                throw new IOException("content after the JSON value");
            }
            return v == null ? NULL : v;
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
                    l.add(value(p, n));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getNumberValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected " + t);
        }
    }
}
