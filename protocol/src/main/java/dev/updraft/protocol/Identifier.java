package dev.updraft.protocol;

import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The one pattern for each kind of identifier that crosses a boundary: a URL path of the admin API, a JSON body, a
 * command-line argument. The server, the CLI and the simulator all validate with these, at the edge, before any
 * lookup; a value that does not match is refused with a clear message, never looked up or deleted
 * (docs/security-model.md, "Identifiers").
 *
 * <p>None of the patterns admits {@code .}, {@code ..}, an empty string, {@code /}, {@code \}, {@code %}, {@code ;},
 * whitespace or control characters, so a valid identifier is always one safe path segment.
 */
public enum Identifier {
    /** Reverse-domain app ids, as the official backend requires: {@code com.example.app}. */
    APP_ID(
            "app id",
            255,
            Pattern.compile("[a-z0-9]+(?:\\.[A-Za-z0-9_-]+)+", Pattern.CASE_INSENSITIVE),
            "a reverse-domain id such as com.example.app (letters, digits, '_' and '-', in at least two parts separated by '.')",
            Identifier::isAppId),
    /** Bundle version names: semantic versions (semver.org 2.0.0), as {@code bundle zip} and {@code bundle upload} require. */
    BUNDLE_VERSION("bundle version", 255, null, "a semantic version such as 1.0.1 or 2.0.0-beta.1"),
    /** Channel names: a letter or digit, then letters, digits, {@code .}, {@code _} or {@code -}. */
    CHANNEL_NAME(
            "channel name",
            128,
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*"),
            "1 to 128 characters: letters, digits, '.', '_' or '-', starting with a letter or digit"),
    /** Device ids: the lowercase random UUID the plugin creates once per install (accepted in any case). */
    DEVICE_ID(
            "device id",
            36,
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", Pattern.CASE_INSENSITIVE),
            "a UUID such as 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f",
            Identifier::isDeviceId),
    /** Names of admin API keys: lowercase letters, digits, {@code .}, {@code _} or {@code -}, starting with a letter or digit. */
    ADMIN_KEY_NAME(
            "admin key name",
            64,
            Pattern.compile("[a-z0-9][a-z0-9._-]*"),
            "1 to 64 characters: lowercase letters, digits, '.', '_' or '-', starting with a letter or digit"),
    /** Names of bundle files the server stores: the SHA-256 of the bytes, in lowercase hex, and {@code .zip}. */
    STORED_FILE(
            "stored file name", 68, Pattern.compile("[0-9a-f]{64}\\.zip"), "64 lowercase hex digits followed by .zip"),
    /** Upload tokens the server hands out for one upload: 32 random bytes, base64url without padding. */
    UPLOAD_TOKEN("upload token", 43, Pattern.compile("[A-Za-z0-9_-]{43}"), "43 base64url characters"),
    /** Names of the Capgo CLI's remote procedures ({@code /rest/v1/rpc/<name>}): lowercase words joined by '_'. */
    RPC_NAME(
            "procedure name",
            64,
            Pattern.compile("[a-z][a-z0-9_]*"),
            "1 to 64 characters: lowercase letters, digits or '_', starting with a letter");

    private final String label;
    private final int maxLength;
    private final Pattern pattern;
    private final String rule;
    /**
     * The same test as {@code pattern}, written out, for the two identifiers every device call carries: the regular
     * expressions were about a twentieth of the server's CPU under load (docs/performance.md). The pattern stays the
     * definition; IdentifierTest holds each scanner to it.
     */
    private final Predicate<String> scanner;

    Identifier(String label, int maxLength, Pattern pattern, String rule) {
        this(label, maxLength, pattern, rule, null);
    }

    Identifier(String label, int maxLength, Pattern pattern, String rule, Predicate<String> scanner) {
        this.label = label;
        this.maxLength = maxLength;
        this.pattern = pattern;
        this.rule = rule;
        this.scanner = scanner;
    }

    /** Whether {@code value} is a valid identifier of this kind. */
    public boolean matches(String value) {
        if (value == null || value.isEmpty() || value.length() > maxLength) {
            return false;
        }
        if (scanner != null) {
            return scanner.test(value);
        }
        return pattern == null ? Semver.isValid(value) : pattern.matcher(value).matches();
    }

    /** Whether {@code value} matches the pattern itself, without the scanner (for the scanners' tests). */
    boolean matchesPattern(String value) {
        return pattern.matcher(value).matches();
    }

    /** APP_ID's pattern: letters or digits, then one or more parts of '.' and letters, digits, '_' or '-'. */
    private static boolean isAppId(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isAsciiLetterOrDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0 || i == n) {
            return false;
        }
        while (i < n) {
            if (s.charAt(i++) != '.') {
                return false;
            }
            int start = i;
            while (i < n && (isAsciiLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '-')) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        return true;
    }

    /** DEVICE_ID's pattern: hex digits of either case in groups of 8-4-4-4-12, joined by '-'. */
    private static boolean isDeviceId(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean ok = (i == 8 || i == 13 || i == 18 || i == 23)
                    ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /**
     * Why {@code value} is not valid, as a sentence to show the user ("the channel name must be ..."), or empty when
     * it is valid. The value itself is not repeated: it may hold control characters or be very long.
     */
    public Optional<String> problem(String value) {
        if (matches(value)) {
            return Optional.empty();
        }
        if (value == null || value.isEmpty()) {
            return Optional.of("the " + label + " is missing; it must be " + rule);
        }
        if (value.length() > maxLength) {
            return Optional.of("the " + label + " is longer than " + maxLength + " characters");
        }
        return Optional.of("the " + label + " must be " + rule);
    }

    /** A short name for messages: {@code app id}, {@code channel name}, ... */
    public String label() {
        return label;
    }

    public int maxLength() {
        return maxLength;
    }

    /** What a valid value looks like, for error messages and {@code --help}. */
    public String rule() {
        return rule;
    }
}
