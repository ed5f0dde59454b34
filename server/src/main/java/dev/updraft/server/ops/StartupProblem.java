package dev.updraft.server.ops;

/**
 * A reason the server cannot start, already worded for the operator as one line: what failed and what to do.
 * {@link StartupFailure} prints its message as it is.
 */
public class StartupProblem extends RuntimeException {
    public StartupProblem(String line, Throwable cause) {
        super(line, cause);
    }
}
