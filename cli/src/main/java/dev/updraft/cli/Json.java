package dev.updraft.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON in and out, printed the way JavaScript's {@code JSON.stringify(value, null, indent)} prints it (which is
 * what the Capgo CLI prints and how Capacitor projects format their config): {@code "key": value}, one member per
 * line, {@code {}} and {@code []} for empty containers.
 */
public final class Json {
    public static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Pretty-prints like {@code JSON.stringify(value, null, indent)}, without a trailing newline. */
    public static String pretty(JsonNode value, String indent) {
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultIndenter indenter = new DefaultIndenter(indent, "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators)
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
        try {
            return MAPPER.writer(printer).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an in-memory JSON tree could not be written", e);
        }
    }

    /** Two-space pretty print, as the Capgo CLI's {@code --json} output. */
    public static String pretty(JsonNode value) {
        return pretty(value, "  ");
    }

    /** One line, for error objects on stderr. */
    public static String compact(JsonNode value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an in-memory JSON tree could not be written", e);
        }
    }
}
