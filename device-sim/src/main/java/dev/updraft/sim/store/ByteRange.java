package dev.updraft.sim.store;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a GET's {@code Range} header asks of a file of {@code total} bytes (RFC 9110 §14), as the store answers it:
 * {@code bytes=s-}, {@code s-e} and {@code -n} are a part (206; the end is clipped to the file); a range starting at or
 * past the end is unsatisfiable (416); several ranges, a malformed header or {@code last < first} are ignored and the
 * whole file is served (200). Pure; {@code ByteRangeTest} checks it row by row.
 *
 * @param kind  how the store answers
 * @param start the first byte served
 * @param end   the last byte served ({@code start - 1} for an empty file)
 * @param total the file's size
 */
record ByteRange(Kind kind, long start, long end, long total) {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    enum Kind {
        /** 200: the whole file. */
        WHOLE,
        /** 206 with {@code Content-Range: bytes start-end/total}. */
        PARTIAL,
        /** 416 with {@code Content-Range: bytes *}{@code /total}. */
        UNSATISFIABLE
    }

    static ByteRange of(String header, long total) {
        ByteRange whole = new ByteRange(Kind.WHOLE, 0, total - 1, total);
        Matcher m = header == null ? null : RANGE.matcher(header.strip());
        if (m == null || !m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return whole;
        }
        long start;
        long end = total - 1;
        if (m.group(1).isEmpty()) { // suffix: the last n bytes
            long n = Long.parseLong(m.group(2));
            start = n == 0 ? total : Math.max(0, total - n);
        } else {
            start = Long.parseLong(m.group(1));
            if (!m.group(2).isEmpty()) {
                end = Math.min(end, Long.parseLong(m.group(2)));
            }
        }
        boolean lastBeforeFirst = !m.group(1).isEmpty() && !m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start;
        if (start >= total) {
            return new ByteRange(Kind.UNSATISFIABLE, start, end, total);
        }
        return lastBeforeFirst ? whole : new ByteRange(Kind.PARTIAL, start, end, total);
    }

    /** The bytes served (0 when unsatisfiable). */
    long length() {
        return kind == Kind.UNSATISFIABLE ? 0 : Math.max(0, end - start + 1);
    }

    /** The {@code Content-Range} header, or null for the whole file. */
    String contentRange() {
        return switch (kind) {
            case WHOLE -> null;
            case PARTIAL -> "bytes " + start + "-" + end + "/" + total;
            case UNSATISFIABLE -> "bytes */" + total;
        };
    }
}
