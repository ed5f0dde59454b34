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

/**
 * The packaged Updraft server ({@code server/target/quarkus-app/quarkus-run.jar}) as a real child process on two
 * loopback ports, the public one (devices, admin API) and the management one (health, metrics, OpenAPI), with its own
 * data folder. It can be stopped and started again on the same ports and data.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path dataDir;
    private final int port;
    private final int managementPort;
    private final Map<String, String> properties;
    private final Path log;
    private Process process;

    private ServerProcess(Path dataDir, int port, int managementPort, Map<String, String> properties) {
        this.dataDir = dataDir;
        this.port = port;
        this.managementPort = managementPort;
        this.properties = properties;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
    }

    /** Starts a server on its embedded PostgreSQL in {@code dataDir}. */
    public static ServerProcess start(Path dataDir) throws IOException, InterruptedException {
        return start(dataDir, FreePort.find(), Map.of());
    }

    /** Starts a server with extra system properties (for example an external PostgreSQL); any free management port. */
    public static ServerProcess start(Path dataDir, int port, Map<String, String> properties) throws IOException, InterruptedException {
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
        Files.createDirectories(dataDir);
        List<String> cmd = new ArrayList<>(List.of(Repo.java(), "-Xmx512m", "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1", "-Dupdraft.management.port=" + managementPort, "-Dupdraft.data-dir=" + dataDir));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(Repo.serverJar().toString());
        process = new ProcessBuilder(cmd).directory(dataDir.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitReady();
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the server exited with " + process.exitValue() + " while starting; see " + log + ":\n" + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(managementUrl("/q/health/ready"))).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        stop();
        throw new IOException("the server did not become ready within " + START_TIMEOUT.toSeconds() + " s; see " + log + ":\n" + tail());
    }

    private String tail() throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
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

    /**
     * Kills the process without a graceful shutdown, as a crash would. Its embedded PostgreSQL keeps running until the
     * next start on the same data folder stops it ({@link #restart}); {@link #close} after a kill does that too.
     */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
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
        stopLeftPostgres();
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
        } catch (IOException | RuntimeException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // best effort: the pid file was removed meanwhile, or the process is gone
        }
    }
}
