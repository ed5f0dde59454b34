package dev.updraft.cli;

/**
 * A failure to report to the user in one line: {@link #code()} is the stable machine-readable name used in
 * {@code --json} errors, {@link #exitCode()} is one of {@link ExitCode}'s values. Never carries a secret.
 */
public final class CliException extends RuntimeException {
    private final int exitCode;
    private final String code;

    public CliException(int exitCode, String code, String message) {
        super(message);
        this.exitCode = exitCode;
        this.code = code;
    }

    public CliException(int exitCode, String code, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.code = code;
    }

    /** An operation that failed on its input: a missing file, a bad key, a checksum that does not match. */
    public static CliException failed(String code, String message) {
        return new CliException(ExitCode.FAILED, code, message);
    }

    /** Something the user must add to the command line (or to the project) before the command can run. */
    public static CliException usage(String code, String message) {
        return new CliException(ExitCode.USAGE, code, message);
    }

    public int exitCode() {
        return exitCode;
    }

    public String code() {
        return code;
    }
}
