package dev.updraft.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged CLI ({@code cli/target/updraft-cli.jar}) as a real process. */
public final class CliRunner {
    private final Path workDir;
    private final Map<String, String> env = new HashMap<>();
    private java.util.function.Consumer<List<String>> onRun = args -> {};

    public CliRunner(Path workDir) {
        this.workDir = workDir;
    }

    /** Sets an environment variable for every later run (e.g. UPDRAFT_SERVER, UPDRAFT_API_KEY_FILE). */
    public CliRunner env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Called with the arguments of every run before it starts, e.g. to show the command being run. */
    public CliRunner onRun(java.util.function.Consumer<List<String>> listener) {
        this.onRun = listener;
        return this;
    }

    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("updraft " + String.join(" ", command) + " exited " + exitCode + "\nstdout: "
                        + stdout + "\nstderr: " + stderr);
            }
            return this;
        }
    }

    public Result run(String... args) throws IOException, InterruptedException {
        onRun.accept(List.of(args));
        // A short-lived command: the C1 compiler and the serial collector start fastest (as the launcher does).
        List<String> cmd = new ArrayList<>(List.of(
                Repo.java(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                Repo.cliJar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        // read both streams fully; outputs are small
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread t = new Thread(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.completeExceptionally(e);
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("updraft " + String.join(" ", args) + " did not finish within 5 minutes");
        }
        t.join();
        return new Result(List.of(args), p.exitValue(), out, err.join());
    }
}
