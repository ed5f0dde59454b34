package dev.updraft.sim.store;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault the {@link MockStore} injects into responses: a {@link FaultKind}, its argument, and how many requests
 * it applies to (one-shot for the next N requests, or persistent). Text form, for the command line:
 * {@code KIND[:ARG][#TIMES]}, e.g. {@code 404}, {@code 503:2}, {@code truncate:4096#1}, {@code slow:20000}.
 */
public final class Fault {
    /** {@link #times()} of a fault that never wears off. */
    public static final int PERSISTENT = -1;

    private final FaultKind kind;
    private final long arg;
    private final int times;
    private final AtomicInteger remaining;

    private Fault(FaultKind kind, long arg, int times) {
        if (times == 0 || times < PERSISTENT) {
            throw new IllegalArgumentException("a fault applies to at least one request (or is persistent)");
        }
        this.kind = kind;
        this.arg = arg;
        this.times = times;
        this.remaining = new AtomicInteger(times);
    }

    /** A persistent fault with the kind's default argument. */
    public static Fault of(FaultKind kind) {
        return new Fault(kind, kind.defaultArg(), PERSISTENT);
    }

    /** A persistent fault with an argument. */
    public static Fault of(FaultKind kind, long arg) {
        return new Fault(kind, arg, PERSISTENT);
    }

    /** The same fault for the next {@code n} matching requests only. */
    public Fault times(int n) {
        return new Fault(kind, arg, n);
    }

    /** Parses {@code KIND[:ARG][#TIMES]}. */
    public static Fault parse(String text) {
        String s = text.strip();
        int times = PERSISTENT;
        int hash = s.indexOf('#');
        if (hash >= 0) {
            times = parseInt(s.substring(hash + 1), "times");
            s = s.substring(0, hash);
        }
        int colon = s.indexOf(':');
        FaultKind kind = FaultKind.parse(colon < 0 ? s : s.substring(0, colon));
        long arg = colon < 0 ? kind.defaultArg() : parseLong(s.substring(colon + 1));
        return new Fault(kind, arg, times);
    }

    /** From the control endpoint's JSON: {@code {"kind":"truncate","arg":1000,"times":2}} (arg and times optional). */
    public static Fault fromJson(JsonObject o) {
        Object kindValue = o.getValue("kind");
        if (kindValue == null) {
            throw new IllegalArgumentException("a fault needs a kind");
        }
        FaultKind kind = FaultKind.parse(String.valueOf(kindValue));
        Object a = o.getValue("arg");
        long arg = a == null ? kind.defaultArg() : a instanceof Number n ? n.longValue() : parseLong(String.valueOf(a));
        Object t = o.getValue("times");
        int times =
                t == null ? PERSISTENT : t instanceof Number n ? n.intValue() : parseInt(String.valueOf(t), "times");
        return new Fault(kind, arg, times);
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("kind", kind.wire())
                .put("arg", arg)
                .put("times", times)
                .put("remaining", remaining());
    }

    public FaultKind kind() {
        return kind;
    }

    public long arg() {
        return arg;
    }

    /** How many requests it was set for; {@link #PERSISTENT} if it never wears off. */
    public int times() {
        return times;
    }

    /** Requests it will still apply to; {@link #PERSISTENT} if it never wears off. */
    public int remaining() {
        return times == PERSISTENT ? PERSISTENT : remaining.get();
    }

    /** Uses the fault for one request; false if it has worn off. */
    boolean take() {
        if (times == PERSISTENT) {
            return true;
        }
        while (true) {
            int r = remaining.get();
            if (r <= 0) {
                return false;
            }
            if (remaining.compareAndSet(r, r - 1)) {
                return true;
            }
        }
    }

    boolean wornOff() {
        return times != PERSISTENT && remaining.get() <= 0;
    }

    private static long parseLong(String s) {
        String v = s.strip();
        try {
            return Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a fault argument is a whole number, not '" + s + "'");
        }
    }

    private static int parseInt(String s, String what) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fault " + what + " must be a whole number, not '" + s + "'");
        }
    }

    @Override
    public String toString() {
        return kind.wire() + ":" + arg + (times == PERSISTENT ? "" : "#" + times);
    }
}
