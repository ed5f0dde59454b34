package dev.updraft.cli;

/** The exit codes of every {@code updraft} command; listed in the top-level help. */
public final class ExitCode {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The operation failed: missing or unreadable file, bad PEM, wrong key type, checksum mismatch, invalid bundle folder. */
    public static final int FAILED = 1;
    /** Usage error: unknown option, missing argument, invalid value, nothing to work on. */
    public static final int USAGE = 2;
    /** The server refused the request (4xx): unknown app, bundle or channel, conflict, validation error. */
    public static final int REFUSED = 3;
    /** No API key was found, or the server rejected it (401/403). */
    public static final int AUTH = 4;
    /** The server could not be reached, timed out, or failed (5xx, or an answer that is not the Updraft admin API). */
    public static final int UNREACHABLE = 5;

    private ExitCode() {}
}
