package dev.updraft.server.security;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The spelling rules for a request target, checked on the raw (undecoded) path before any routing. The HTTP layer
 * removes dot segments and decodes before the router sees the path, so {@code DELETE .../bundles/..} would reach the
 * app's own resource; one spelling per resource leaves nothing for such tricks (docs/security-model.md, "Paths").
 * Refused: a path not starting with {@code /}; longer than {@link #MAX_PATH}; dot segments ({@code .}, {@code ..},
 * raw or percent-encoded in any case); {@code /} or {@code \} encoded inside a segment, or a raw {@code \}; empty
 * segments ({@code //}) except one trailing slash; {@code ;} (matrix parameters); control characters, spaces and
 * non-ASCII, raw or encoded; invalid percent-encoding; encoded bytes that are not UTF-8. In the query, only invalid
 * percent-encoding and raw control characters are refused (parameters are validated where they are read).
 */
public final class RequestTarget {
    /** Longest accepted path, in characters; the HTTP layer refuses request lines over 4096 bytes before this. */
    public static final int MAX_PATH = 2048;

    /** Why a target is refused: the HTTP status, an error code, a message. */
    public record Problem(int status, String code, String message) {}

    private RequestTarget() {}

    /** The first problem of {@code rawPath} / {@code rawQuery} (null when absent), or empty when they are acceptable. */
    public static Optional<Problem> check(String rawPath, String rawQuery) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return bad("invalid_path", "The request path must start with '/'");
        }
        if (rawPath.length() > MAX_PATH) {
            return Optional.of(
                    new Problem(414, "uri_too_long", "The request path is longer than " + MAX_PATH + " characters"));
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == ';') {
                return bad("invalid_path", "Matrix parameters (';') are not accepted in paths");
            }
            if (c == '\\') {
                return bad("invalid_path", "Backslashes are not accepted in paths");
            }
            if (!isPathChar(c)) {
                return bad(
                        "invalid_path", "The path holds a character that must be percent-encoded, or is not accepted");
            }
        }
        String[] segments = rawPath.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String raw = segments[i];
            if (raw.isEmpty()) {
                if (i == segments.length - 1) {
                    continue; // "/" itself, or one trailing slash: routing decides
                }
                return bad("invalid_path", "Empty path segments ('//') are not accepted");
            }
            String decoded = decode(raw);
            if (decoded == null) {
                return bad("invalid_percent_encoding", "The path holds invalid percent-encoding");
            }
            if (decoded.equals(".") || decoded.equals("..")) {
                return bad("invalid_path", "Dot segments ('.', '..') are not accepted in paths, encoded or not");
            }
            for (int j = 0; j < decoded.length(); j++) {
                char c = decoded.charAt(j);
                if (c == '/' || c == '\\') {
                    return bad("invalid_path", "Encoded slashes and backslashes are not accepted in paths");
                }
                if (c < 0x20 || c == 0x7f) {
                    return bad("invalid_path", "Control characters are not accepted in paths");
                }
            }
        }
        if (rawQuery != null) {
            for (int i = 0; i < rawQuery.length(); i++) {
                char c = rawQuery.charAt(i);
                if (c < 0x21 || c >= 0x7f) {
                    return bad("invalid_query", "The query holds a character that must be percent-encoded");
                }
            }
            for (String part : rawQuery.split("[&=]", -1)) {
                if (decode(part) == null) {
                    return bad("invalid_percent_encoding", "The query holds invalid percent-encoding");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> bad(String code, String message) {
        return Optional.of(new Problem(400, code, message));
    }

    /** RFC 3986 pchar and '/', without ';' (refused above). */
    private static boolean isPathChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,=:@/%".indexOf(c) >= 0;
    }

    /** Percent-decodes {@code s} as UTF-8; null when an escape is malformed or the bytes are not UTF-8. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.put((byte) (hi * 16 + lo));
                i += 2;
            } else if (c > 0x7f) {
                return null;
            } else {
                bytes.put((byte) c);
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
