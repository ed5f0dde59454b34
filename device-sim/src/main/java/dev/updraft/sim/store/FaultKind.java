package dev.updraft.sim.store;

import java.util.Locale;

/**
 * What a {@link Fault} does to a response. The argument each kind takes, and its default:
 * <table>
 *   <caption>fault kinds</caption>
 *   <tr><th>name</th><th>effect</th><th>argument (default)</th></tr>
 *   <tr><td>{@code 404}</td><td>404 Not Found</td><td>-</td></tr>
 *   <tr><td>{@code 500}</td><td>500 Internal Server Error</td><td>-</td></tr>
 *   <tr><td>{@code 503}</td><td>503 Service Unavailable with {@code Retry-After}</td><td>seconds (5)</td></tr>
 *   <tr><td>{@code slow}</td><td>the body is throttled</td><td>bytes per second (16384)</td></tr>
 *   <tr><td>{@code truncate}</td><td>the full {@code Content-Length} is announced, the connection is closed after N body bytes</td><td>N (1024)</td></tr>
 *   <tr><td>{@code wrong_length}</td><td>{@code Content-Length} is off by DELTA; the real body is sent, then the connection is closed</td><td>DELTA (-1)</td></tr>
 *   <tr><td>{@code flip}</td><td>one byte of the file, at an absolute offset, is XORed with 0xFF</td><td>offset (the middle of the file)</td></tr>
 *   <tr><td>{@code drop}</td><td>the connection is dropped after PERCENT of the body</td><td>percent (50)</td></tr>
 *   <tr><td>{@code hang}</td><td>N body bytes are sent, then nothing, and the connection stays open</td><td>N (0)</td></tr>
 *   <tr><td>{@code reset}</td><td>the connection is closed before any response (the client sees a reset)</td><td>-</td></tr>
 * </table>
 * Status faults (404, 500, 503) and {@code reset} also apply to HEAD; body faults apply to GET bodies only.
 */
public enum FaultKind {
    NOT_FOUND("404", 0),
    SERVER_ERROR("500", 0),
    UNAVAILABLE("503", 5),
    SLOW("slow", 16_384),
    TRUNCATE("truncate", 1024),
    WRONG_LENGTH("wrong_length", -1),
    FLIP_BYTE("flip", -1),
    DROP("drop", 50),
    HANG("hang", 0),
    RESET("reset", 0);

    private final String wire;
    private final long defaultArg;

    FaultKind(String wire, long defaultArg) {
        this.wire = wire;
        this.defaultArg = defaultArg;
    }

    /** The name used on the command line and in the control endpoint. */
    public String wire() {
        return wire;
    }

    public long defaultArg() {
        return defaultArg;
    }

    /** Whether the fault replaces the response with an error status (and so applies to HEAD too). */
    public boolean isStatus() {
        return this == NOT_FOUND || this == SERVER_ERROR || this == UNAVAILABLE;
    }

    /** Whether the fault replaces the whole response (a status, or no response at all), so applies to HEAD too. */
    public boolean replacesResponse() {
        return isStatus() || this == RESET;
    }

    public static FaultKind parse(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        for (FaultKind k : values()) {
            if (k.wire.equals(v) || k.name().toLowerCase(Locale.ROOT).equals(v)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + s
                + "'; use 404, 500, 503, slow, truncate, wrong_length, flip, drop, hang or reset");
    }
}
