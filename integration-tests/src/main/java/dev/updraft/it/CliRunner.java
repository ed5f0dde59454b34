package dev.updraft.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    /**
     * The JVM options the launcher gives the CLI (./updraft, cli_jvm_options; docs/operations.md, "Start-up time"):
     * the class-data archive the package phase recorded beside the jar, when it is not older than the jar; the serial
     * collector; and the C1 compiler only, except for the commands that stream a bundle through AES, SHA-256 or
     * deflate. Integration tests start hundreds of CLI processes, so this is much of their time.
     */
    static List<String> jvmOptions(Path cliJar, List<String> args) {
        List<String> options = new ArrayList<>();
        Path archive = cliJar.resolveSibling("updraft-cli.jsa");
        try {
            if (Files.isRegularFile(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(cliJar)) >= 0) {
                options.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
            }
        } catch (IOException e) {
            // no archive to map: the CLI starts without it
        }
        options.add("-XX:+UseSerialGC");
        if (args.stream().noneMatch(STREAMING_COMMANDS::contains)) {
            options.add("-XX:TieredStopAtLevel=1");
        }
        return options;
    }

    private static final java.util.Set<String> STREAMING_COMMANDS =
            java.util.Set.of("zip", "encrypt", "decrypt", "upload");

    public Result run(String... args) throws IOException, InterruptedException {
        onRun.accept(List.of(args));
        List<String> cmd = new ArrayList<>();
        cmd.add(Repo.java());
        cmd.addAll(jvmOptions(Repo.cliJar(), List.of(args)));
        cmd.add("-jar");
        cmd.add(Repo.cliJar().toString());
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
