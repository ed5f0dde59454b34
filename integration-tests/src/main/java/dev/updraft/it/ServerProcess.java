package dev.updraft.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The packaged Updraft server ({@code server/target/quarkus-app/quarkus-run.jar}) as a real child process on two
 * loopback ports, the public one (devices, admin API) and the management one (health, metrics, OpenAPI), with its own
 * data folder. It can be stopped and started again on the same ports and data. The one harness of every test that
 * runs the packaged server; {@link #on(Path)} also sets its environment (an external PostgreSQL), a umask, and starts
 * servers that are expected to fail.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final AtomicInteger LAUNCHES = new AtomicInteger();

    private final Path dataDir;
    private final int port;
    private final int managementPort;
    private final Map<String, String> properties;
    private final Map<String, String> env;
    private final String umask;
    /** Standard output, with standard error too unless {@link #err} is set. */
    private final Path log;

    private final Path err;
    /** A launcher script to start the server with ({@code <launcher> server -D...}), or null: this JVM's java -jar. */
    private final Path launcher;

    private Process process;
    /** Killed since its last start: its embedded PostgreSQL may still run, and {@link #close} stops it. */
    private boolean killed;

    private ServerProcess(Path dataDir, int port, int managementPort, Map<String, String> properties) {
        this(
                dataDir,
                port,
                managementPort,
                properties,
                Map.of(),
                null,
                dataDir.resolveSibling(dataDir.getFileName() + "-server.log"),
                null,
                null);
    }

    private ServerProcess(
            Path dataDir,
            int port,
            int managementPort,
            Map<String, String> properties,
            Map<String, String> env,
            String umask,
            Path log,
            Path err,
            Path launcher) {
        this.dataDir = dataDir;
        this.port = port;
        this.managementPort = managementPort;
        this.properties = properties;
        this.env = env;
        this.umask = umask;
        this.log = log;
        this.err = err;
        this.launcher = launcher;
    }

    /**
     * A server on {@code dataDir} to be configured: free ports unless given, extra system properties and environment
     * variables, a umask. Its standard output and standard error go to files of their own, one pair per launch, so
     * that two servers on one data folder never write into the same file.
     */
    public static Builder on(Path dataDir) throws IOException {
        return new Builder(dataDir.toAbsolutePath());
    }

    /** Starts a server on its embedded PostgreSQL in {@code dataDir}. */
    public static ServerProcess start(Path dataDir) throws IOException, InterruptedException {
        return start(dataDir, FreePort.find(), Map.of());
    }

    /** Starts a server with extra system properties (for example an external PostgreSQL); any free management port. */
    public static ServerProcess start(Path dataDir, int port, Map<String, String> properties)
            throws IOException, InterruptedException {
        return start(dataDir, port, FreePort.find(), properties);
    }

    /** Starts a server on the given public and management ports. */
    public static ServerProcess start(Path dataDir, int port, int managementPort, Map<String, String> properties)
            throws IOException, InterruptedException {
        ServerProcess server = new ServerProcess(dataDir, port, managementPort, new LinkedHashMap<>(properties));
        server.startProcess();
        return server;
    }

    private void startProcess() throws IOException, InterruptedException {
        launch();
        awaitReady();
    }

    private void launch() throws IOException {
        // The server makes its data folder itself (owner-only); the harness only makes where it goes.
        Files.createDirectories(dataDir.getParent());
        List<String> java = new ArrayList<>(
                launcher == null
                        ? List.of(Repo.java(), "-Xmx512m")
                        : List.of(launcher.toString(), "server")); // its JVM options: UPDRAFT_JAVA_OPTS
        java.addAll(List.of(
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dupdraft.management.port=" + managementPort,
                "-Dupdraft.data-dir=" + dataDir));
        properties.forEach((k, v) -> java.add("-D" + k + "=" + v));
        if (launcher == null) {
            java.add("-jar");
            java.add(Repo.serverJar().toString());
        }
        List<String> cmd = java;
        if (umask != null) {
            // Java cannot set its own umask; a shell sets it and then becomes the JVM.
            cmd = new ArrayList<>(List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
            cmd.addAll(java);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dataDir.getParent().toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (err == null) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        }
        pb.environment().putAll(env);
        process = pb.start();
        killed = false;
    }

    /** Waits until the management port reports ready; fails with the end of the server's output if it exits or takes too long. */
    public ServerProcess awaitReady() throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the server exited with " + process.exitValue() + " while starting; see " + log
                        + ":\n" + tail());
            }
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(managementUrl("/q/health/ready")))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        stop();
        throw new IOException("the server did not become ready within " + START_TIMEOUT.toSeconds() + " s; see " + log
                + ":\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = new ArrayList<>(stdout().lines().toList());
        lines.addAll(stderr().lines().toList());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Waits for the process to end by itself (a start that must fail) and returns its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("the server was expected to stop by itself, but kept running");
        }
        return process.exitValue();
    }

    /** What the server wrote to standard output (and to standard error, unless started through {@link #on(Path)}). */
    public String stdout() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** What the server wrote to standard error, when started through {@link #on(Path)}; else empty (it is in {@link #stdout()}). */
    public String stderr() throws IOException {
        return err != null && Files.exists(err) ? Files.readString(err) : "";
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String url(String path) {
        return url() + path;
    }

    public int port() {
        return port;
    }

    /** The management interface (loopback only): {@code /q/health}, {@code /q/metrics}, {@code /q/openapi}. */
    public String managementUrl(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }

    public int managementPort() {
        return managementPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path log() {
        return log;
    }

    /** The admin API key the server generated on first start. */
    public String adminKey() throws IOException {
        return Files.readString(adminKeyFile()).strip();
    }

    public Path adminKeyFile() {
        return dataDir.resolve("admin-api-key");
    }

    /** Stops the process gracefully (SIGTERM), forcibly after 20 s. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The executable of the running process (the JVM), as the operating system reports it. */
    public String command() {
        return process.info().command().orElseThrow();
    }

    /** Whether the process is running. */
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * Kills the process without a graceful shutdown, as a crash would. Its embedded PostgreSQL keeps running until the
     * next start on the same data folder stops it ({@link #restart}); {@link #close} after a kill does that too.
     */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            killed = true;
        }
    }

    /** Starts the server again on the same ports and data folder. */
    public void restart() throws IOException, InterruptedException {
        stop();
        startProcess();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        // Only after a kill: otherwise the PostgreSQL of the data folder may be another, running server's (a second
        // server started on the same folder to see it refused).
        if (killed) {
            stopLeftPostgres();
        }
    }

    /** After a kill, the embedded PostgreSQL of the data folder still runs: stop it (SIGTERM, its smart shutdown). */
    private void stopLeftPostgres() throws InterruptedException {
        Path pid = dataDir.resolve("pg").resolve("postmaster.pid");
        try {
            if (Files.exists(pid)) {
                long postmaster = Long.parseLong(Files.readAllLines(pid).get(0).strip());
                java.util.Optional<ProcessHandle> left = ProcessHandle.of(postmaster);
                if (left.isPresent() && left.get().info().command().orElse("").contains("postgres")) {
                    left.get().destroy();
                    left.get().onExit().get(30, TimeUnit.SECONDS);
                }
            }
        } catch (IOException
                | RuntimeException
                | java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            // best effort: the pid file was removed meanwhile, or the process is gone
        }
    }

    /** The settings of a server to start; see {@link ServerProcess#on(Path)}. */
    public static final class Builder {
        private final Path dataDir;
        private int port;
        private int managementPort;
        private String umask;
        private Path launcher;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();

        private Builder(Path dataDir) throws IOException {
            this.dataDir = dataDir;
            this.port = FreePort.find();
            this.managementPort = FreePort.find();
        }

        public Builder port(int p) {
            port = p;
            return this;
        }

        public Builder managementPort(int p) {
            managementPort = p;
            return this;
        }

        /** A umask for the server process (as an operator's shell might have), e.g. {@code 000}. */
        public Builder umask(String mask) {
            if (!mask.matches("[0-7]{3,4}")) {
                throw new IllegalArgumentException("a umask is three or four octal digits, not " + mask);
            }
            umask = mask;
            return this;
        }

        /**
         * Starts the server through a launcher script, {@code <launcher> server -Dname=value ...} (the distribution's
         * {@code bin/updraft}, with its bundled runtime), instead of this JVM's {@code java -jar}.
         */
        public Builder launcher(Path script) {
            launcher = script.toAbsolutePath();
            return this;
        }

        /** A system property ({@code -Dname=value}). */
        public Builder property(String name, String value) {
            properties.put(name, value);
            return this;
        }

        /** An environment variable, e.g. {@code UPDRAFT_DB_URL} for an external PostgreSQL. */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Starts the server and waits until it is ready. */
        public ServerProcess start() throws IOException, InterruptedException {
            return launch().awaitReady();
        }

        /** Starts the server without waiting: for a start that must fail ({@link ServerProcess#awaitExit()}). */
        public ServerProcess launch() throws IOException {
            String name = dataDir.getFileName() + "-" + LAUNCHES.incrementAndGet();
            ServerProcess server = new ServerProcess(
                    dataDir,
                    port,
                    managementPort,
                    new LinkedHashMap<>(properties),
                    new LinkedHashMap<>(env),
                    umask,
                    dataDir.resolveSibling(name + ".out"),
                    dataDir.resolveSibling(name + ".err"),
                    launcher);
            server.launch();
            return server;
        }
    }
}
