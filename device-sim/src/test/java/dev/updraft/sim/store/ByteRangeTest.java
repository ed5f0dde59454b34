package dev.updraft.sim.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.sim.store.ByteRange.Kind;
import org.junit.jupiter.api.Test;

/** {@link ByteRange}, row by row: what the store serves of a 100-byte file for each kind of {@code Range} header. */
class ByteRangeTest {

    private static void row(String header, long total, Kind kind, long start, long length, String contentRange) {
        ByteRange r = ByteRange.of(header, total);
        assertThat(r.kind()).as(header + " kind").isEqualTo(kind);
        assertThat(r.length()).as(header + " length").isEqualTo(length);
        if (kind != Kind.UNSATISFIABLE) {
            assertThat(r.start()).as(header + " start").isEqualTo(start);
        }
        assertThat(r.contentRange()).as(header + " Content-Range").isEqualTo(contentRange);
    }

    @Test
    void partsOfTheFile() {
        row("bytes=10-", 100, Kind.PARTIAL, 10, 90, "bytes 10-99/100");
        row("bytes=10-19", 100, Kind.PARTIAL, 10, 10, "bytes 10-19/100");
        row("bytes=10-500", 100, Kind.PARTIAL, 10, 90, "bytes 10-99/100"); // the end is clipped
        row("bytes=-30", 100, Kind.PARTIAL, 70, 30, "bytes 70-99/100"); // the last 30 bytes
        row("bytes=-500", 100, Kind.PARTIAL, 0, 100, "bytes 0-99/100");
        row(" bytes=0-0 ", 100, Kind.PARTIAL, 0, 1, "bytes 0-0/100");
    }

    @Test
    void atOrPastTheEndIsUnsatisfiable() {
        row("bytes=100-", 100, Kind.UNSATISFIABLE, 0, 0, "bytes */100");
        row("bytes=150-160", 100, Kind.UNSATISFIABLE, 0, 0, "bytes */100");
        row("bytes=-0", 100, Kind.UNSATISFIABLE, 0, 0, "bytes */100");
        row("bytes=0-", 0, Kind.UNSATISFIABLE, 0, 0, "bytes */0"); // an empty file has no byte 0
    }

    @Test
    void whatTheStoreIgnoresServesTheWholeFile() {
        row(null, 100, Kind.WHOLE, 0, 100, null);
        row(null, 0, Kind.WHOLE, 0, 0, null);
        row("bytes=20-10", 100, Kind.WHOLE, 0, 100, null); // last < first: malformed
        row("bytes=-", 100, Kind.WHOLE, 0, 100, null);
        row("bytes=0-10,20-30", 100, Kind.WHOLE, 0, 100, null); // several ranges
        row("items=0-10", 100, Kind.WHOLE, 0, 100, null);
        row("bytes=a-b", 100, Kind.WHOLE, 0, 100, null);
    }
}
