package dev.updraft.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a command runs: its working directory (the Capacitor project root), its environment, its two output
 * streams and whether a person is watching a terminal (progress is shown only then). Tests give their own.
 */
public record Context(Path cwd, Map<String, String> env, PrintWriter out, PrintWriter err, boolean interactive) {

    public Context {
        cwd = cwd.toAbsolutePath().normalize();
        env = Map.copyOf(env);
    }

    /** The real process: current directory, real environment, System.out/err, a terminal if there is a console. */
    public static Context system() {
        return new Context(
                Path.of("").toAbsolutePath(),
                System.getenv(),
                new PrintWriter(System.out, true),
                new PrintWriter(System.err, true),
                System.console() != null);
    }

    /** A path the user typed, resolved against the working directory. */
    public Path resolve(String path) {
        return cwd.resolve(path).normalize();
    }

    /** A path the user typed, resolved against the working directory. */
    public Path resolve(Path path) {
        return cwd.resolve(path).normalize();
    }

    /** An environment variable, or null when it is unset or blank. */
    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** How to show a path to the user: relative to the working directory when it is below it. */
    public String display(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
