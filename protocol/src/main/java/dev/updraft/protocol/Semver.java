package dev.updraft.protocol;

import java.math.BigInteger;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version (semver.org 2.0.0). Bundle versions must be semver for {@code bundle zip} and
 * {@code bundle upload}, and the server's auto-update gates compare a target bundle with the device's native
 * {@code version_build} by semver. The plugin itself never orders versions: it only tests string equality.
 */
public record Semver(BigInteger major, BigInteger minor, BigInteger patch, String preRelease, String build)
        implements Comparable<Semver> {

    // The pattern published on semver.org, case-insensitive as the Capgo CLI uses it.
    private static final Pattern SEMVER = Pattern.compile(
            "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PARTIAL = Pattern.compile("^(0|[1-9]\\d*)(?:\\.(0|[1-9]\\d*))?$");

    /**
     * Lenient parses of recent texts. Every update check parses its device's version_build and plugin_version, and a
     * fleet sends only a handful of distinct ones: the regular expressions and BigIntegers were about a tenth of the
     * server's CPU under load (docs/performance.md). Bounded in entries and text length, and emptied when full, so a
     * client sending ever new versions costs what a parse costs, not memory. Semver is immutable: sharing is safe.
     */
    private static final ConcurrentHashMap<String, Optional<Semver>> LENIENT = new ConcurrentHashMap<>();

    static final int MEMO_ENTRIES = 1024;
    static final int MEMO_TEXT_LENGTH = 64;

    /** Strict parse: exactly semver 2.0.0, or empty. */
    public static Optional<Semver> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SEMVER.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Semver(
                new BigInteger(m.group(1)),
                new BigInteger(m.group(2)),
                new BigInteger(m.group(3)),
                m.group(4) == null ? "" : m.group(4),
                m.group(5) == null ? "" : m.group(5)));
    }

    /** Whether {@code text} is a valid semver 2.0.0 version. */
    public static boolean isValid(String text) {
        return parse(text).isPresent();
    }

    /**
     * Parses a native app version the way the Capgo backend does: a bare major or major.minor is padded
     * ({@code 1} to {@code 1.0.0}, {@code 1.2} to {@code 1.2.0}); anything else must be strict semver.
     */
    public static Optional<Semver> parseLenient(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Optional<Semver> known = LENIENT.get(text);
        if (known != null) {
            return known;
        }
        Optional<Semver> parsed = parseLenientOnce(text);
        if (text.length() <= MEMO_TEXT_LENGTH) {
            if (LENIENT.size() >= MEMO_ENTRIES) {
                LENIENT.clear();
            }
            LENIENT.put(text, parsed);
        }
        return parsed;
    }

    /** Entries of the lenient parses' memo (for its tests). */
    static int memoSize() {
        return LENIENT.size();
    }

    private static Optional<Semver> parseLenientOnce(String text) {
        String t = text.strip();
        Matcher m = PARTIAL.matcher(t);
        if (m.matches()) {
            t = m.group(1) + "." + (m.group(2) == null ? "0" : m.group(2)) + ".0";
        }
        return parse(t);
    }

    /** Semver precedence: numbers, then a pre-release sorts before its release; build metadata is ignored. */
    @Override
    public int compareTo(Semver o) {
        int c = major.compareTo(o.major);
        if (c == 0) {
            c = minor.compareTo(o.minor);
        }
        if (c == 0) {
            c = patch.compareTo(o.patch);
        }
        if (c != 0) {
            return c;
        }
        if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
        }
        String[] a = preRelease.split("\\.");
        String[] b = o.preRelease.split("\\.");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            boolean an = a[i].chars().allMatch(Character::isDigit);
            boolean bn = b[i].chars().allMatch(Character::isDigit);
            int d;
            if (an && bn) {
                d = new BigInteger(a[i]).compareTo(new BigInteger(b[i]));
            } else if (an || bn) {
                d = an ? -1 : 1; // numeric identifiers sort before alphanumeric ones
            } else {
                d = a[i].compareTo(b[i]);
            }
            if (d != 0) {
                return d;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (preRelease.isEmpty() ? "" : "-" + preRelease)
                + (build.isEmpty() ? "" : "+" + build);
    }
}
