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

/**
 * Runs the packaged CLI ({@code cli/target/updraft-cli.jar}): as a real process (the demo, and the tests that are about
 * the process), or {@linkplain Mode#IN_PROCESS in this JVM} from the same jar.
 */
public final class CliRunner {
    /** How a command runs. */
    public enum Mode {
        /** {@code java -jar updraft-cli.jar} with the launcher's JVM options, as a user runs it. */
        PROCESS,
        /**
         * The jar's {@code Updraft.run(Context, args)} in this JVM, in a class loader of its own (so the tests' class
         * path cannot change what the CLI runs), with the same working folder, environment and output as a process.
         * The CLI's whole behaviour goes through that entry point ({@code main} only adds {@code System.exit}); what
         * only a process shows (the exit status, the JVM options, the launcher) is tested by CliRunnerTest, DemoIT,
         * DistributionIT and the process-mode scenarios. Integration tests run a few hundred commands, and a JVM start
         * for each was most of their time.
         */
        IN_PROCESS
    }

    private final Path workDir;
    private final Mode mode;
    private final Map<String, String> env = new HashMap<>();
    private java.util.function.Consumer<List<String>> onRun = args -> {};

    public CliRunner(Path workDir) {
        this(workDir, Mode.PROCESS);
    }

    public CliRunner(Path workDir, Mode mode) {
        this.workDir = workDir;
        this.mode = mode;
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
        if (mode == Mode.IN_PROCESS) {
            return InProcess.get().run(workDir, env, args);
        }
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

    /** The CLI's classes, loaded once per JVM from the packaged jar. */
    private static final class InProcess {
        private static InProcess instance;
        private final ClassLoader loader;
        private final java.lang.reflect.Constructor<?> context;
        private final java.lang.reflect.Method run;

        private InProcess(Path jar) throws ReflectiveOperationException, IOException {
            // The platform loader as parent: only the JDK is shared with the tests, not their copies of the CLI's
            // dependencies (protocol, crypto-core, Jackson).
            loader = new java.net.URLClassLoader(
                    "updraft-cli", new java.net.URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> contextClass = loader.loadClass("dev.updraft.cli.Context");
            context = contextClass.getConstructor(
                    Path.class, Map.class, java.io.PrintWriter.class, java.io.PrintWriter.class, boolean.class);
            run = loader.loadClass("dev.updraft.cli.Updraft").getMethod("run", contextClass, String[].class);
        }

        static synchronized InProcess get() throws IOException {
            if (instance == null) {
                try {
                    instance = new InProcess(Repo.cliJar());
                } catch (ReflectiveOperationException e) {
                    throw new IOException("cli/target/updraft-cli.jar has no Updraft.run(Context, String...)", e);
                }
            }
            return instance;
        }

        Result run(Path workDir, Map<String, String> overrides, String... args)
                throws IOException, InterruptedException {
            Map<String, String> environment = new HashMap<>(System.getenv()); // a child process inherits it
            environment.putAll(overrides);
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            var exit = new java.util.concurrent.CompletableFuture<Integer>();
            Thread t = new Thread(
                    () -> {
                        try (java.io.PrintWriter o = new java.io.PrintWriter(out, true);
                                java.io.PrintWriter e = new java.io.PrintWriter(err, true)) {
                            Object ctx = context.newInstance(workDir, environment, o, e, false);
                            exit.complete((Integer) run.invoke(null, ctx, args));
                        } catch (Throwable e) {
                            exit.completeExceptionally(e);
                        }
                    },
                    "updraft-cli");
            t.setContextClassLoader(loader);
            t.setDaemon(true);
            t.start();
            int code;
            try {
                code = exit.get(5, TimeUnit.MINUTES);
            } catch (java.util.concurrent.TimeoutException e) {
                t.interrupt();
                throw new IOException("updraft " + String.join(" ", args) + " did not finish within 5 minutes");
            } catch (java.util.concurrent.ExecutionException e) {
                // Updraft.run turns every error into a message and an exit code; anything else is a CLI bug
                throw new IOException("updraft " + String.join(" ", args) + " threw instead of exiting", e.getCause());
            }
            return new Result(List.of(args), code, out.toString(), err.toString());
        }
    }
}
