package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.protocol.Identifier;
import dev.updraft.server.web.ApiException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A JSON request body of the admin API, read field by field with strict types. Problems are collected and thrown
 * together as one {@code 400 validation_failed} with {@code details}; malformed JSON is {@code 400 invalid_json}.
 */
public final class Body {
    private final ObjectNode node;
    private final List<ApiException.Detail> problems = new ArrayList<>();

    private Body(ObjectNode node) {
        this.node = node;
    }

    public static Body parse(ObjectMapper mapper, String text, Set<String> allowed) {
        JsonNode n;
        try {
            n = text == null || text.isBlank() ? null : mapper.readTree(text);
        } catch (Exception e) {
            throw ApiException.badRequest("invalid_json", "The body is not valid JSON");
        }
        if (n == null) {
            throw ApiException.badRequest("invalid_json", "The body is empty; send a JSON object");
        }
        if (!n.isObject()) {
            throw ApiException.badRequest("invalid_json", "The body must be a JSON object");
        }
        Body b = new Body((ObjectNode) n);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                b.problem(f, "unknown field");
            }
        }
        return b;
    }

    boolean has(String field) {
        return node.has(field);
    }

    void problem(String field, String message) {
        problems.add(new ApiException.Detail(field, message));
    }

    /** A string, or {@code null} when absent or JSON null (a problem if {@code required}). */
    String string(String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problem(field, "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            problem(field, "must be a string");
            return null;
        }
        if (v.textValue().indexOf('\0') >= 0) {
            problem(field, "must not contain NUL characters");
            return null;
        }
        return v.textValue();
    }

    /** Records a problem when {@code value} (if present) is not a valid {@code kind}. */
    void identifier(String field, String value, Identifier kind) {
        if (value != null) {
            kind.problem(value).ifPresent(p -> problem(field, p));
        }
    }

    /** A boolean, or {@code fallback} when absent (JSON null is a problem: these fields are not nullable). */
    boolean bool(String field, boolean fallback) {
        JsonNode v = node.get(field);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            problem(field, "must be true or false");
            return fallback;
        }
        return v.booleanValue();
    }

    /** A whole number from {@code min} to {@code max}, or {@code fallback} when absent. */
    int integer(String field, int min, int max, int fallback) {
        JsonNode v = node.get(field);
        if (v == null) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            problem(field, "must be a whole number from " + min + " to " + max);
            return fallback;
        }
        return v.intValue();
    }

    int problemCount() {
        return problems.size();
    }

    /** The whole body. */
    JsonNode raw() {
        return node;
    }

    JsonNode raw(String field) {
        return node.get(field);
    }

    void throwIfProblems() {
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
    }
}
