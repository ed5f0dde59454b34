package dev.updraft.server.persistence;

/**
 * A write lost its race with a concurrent transaction twice in a row: nothing was changed by it, and the caller may
 * simply try again. Answered {@code 409 concurrent_change}, never logged as an error: it is the callers' doing.
 */
public class ConcurrentChangeException extends RuntimeException {
    private final ConcurrencyFailure failure;

    public ConcurrentChangeException(ConcurrencyFailure failure) {
        super("a concurrent request changed the same data (" + failure + ")", null, false, false);
        this.failure = failure;
    }

    public ConcurrencyFailure failure() {
        return failure;
    }
}
