package dev.updraft.cli;

import dev.updraft.protocol.Identifier;
import java.util.Locale;

/**
 * Every app id, bundle version, channel name and device id a command is given is checked here, against the one
 * pattern the server uses too ({@link Identifier}), before any request is sent (docs/security-model.md): a value
 * such as {@code ..} is a usage error (exit 2), never a path segment.
 */
public final class Identifiers {
    private Identifiers() {}

    /** {@code value} when it is a valid identifier of {@code kind}; otherwise a usage error naming {@code where}. */
    public static String require(Identifier kind, String value, String where) {
        kind.problem(value).ifPresent(problem -> {
            throw CliException.usage(
                    "invalid_" + kind.name().toLowerCase(Locale.ROOT),
                    where + ": " + problem
                            + (value == null || value.isEmpty() ? "" : " (got '" + printable(value) + "')"));
        });
        return value;
    }

    /** For messages: at most 60 characters, control characters shown as '?'. */
    public static String printable(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
