package dev.updraft.server.it;

import java.io.IOException;
import java.net.ServerSocket;
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
 * The packaged server ({@code target/quarkus-app/quarkus-run.jar}, after {@code package}) as a child process on loopback
 * ports of its own: the public port and the management port (health, metrics, OpenAPI). Its stdout and stderr go to
 * separate files beside its data folder (one pair per process).
 */
final class PackagedServer implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicInteger STARTS = new AtomicInteger();

    final int port;
    final int managementPort;
    final Path dataDir;
    final Path stdout;
    final Path stderr;
    private final Process process;

    private PackagedServer(Builder b) throws IOException {
        this.port = b.port;
        this.managementPort = b.managementPort;
        this.dataDir = b.dataDir;
        Files.createDirectories(dataDir.toAbsolutePath().getParent());
        // One pair of files per process: two servers on one data folder must not write into the same file.
        String name = dataDir.getFileName() + "-" + STARTS.incrementAndGet();
        this.stdout = dataDir.resolveSibling(name + ".out");
        this.stderr = dataDir.resolveSibling(name + ".err");
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port, "-Dupdraft.management.port=" + managementPort,
                "-Dupdraft.data-dir=" + dataDir));
        b.properties.forEach((k, v) -> java.add("-D" + k + "=" + v));
        java.addAll(List.of("-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().toString()));
        List<String> cmd = java;
        if (b.umask != null) {
            // Java cannot set its own umask; a shell sets it and then becomes the JVM.
            cmd = new ArrayList<>(List.of("sh", "-c", "umask " + b.umask + " && exec \"$@\"", "sh"));
            cmd.addAll(java);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().putAll(b.env);
        process = pb.start();
    }

    static Builder on(Path dataDir) throws IOException {
        return new Builder(dataDir);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    String managementUrl(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }

    /** Waits until the management port reports ready; fails with the server's output if it exits or takes too long. */
    PackagedServer awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited with " + process.exitValue() + " while starting:\n" + stdout() + stderr());
            }
            try {
                if (get(managementUrl("/q/health/ready")).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the server did not become ready within 120 s:\n" + stdout() + stderr());
    }

    /** Waits for the process to end by itself (a failed start) and returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the server was expected to stop by itself, but kept running");
        }
        return process.exitValue();
    }

    static HttpResponse<String> get(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            r.headers(headers);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    String stdout() throws IOException {
        return Files.exists(stdout) ? Files.readString(stdout) : "";
    }

    String stderr() throws IOException {
        return Files.exists(stderr) ? Files.readString(stderr) : "";
    }

    /** Kills the JVM at once (SIGKILL, as {@code kill -9}): no shutdown hook or observer runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not die on SIGKILL");
        }
    }

    /** Stops it gracefully (SIGTERM), forcibly after 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static final class Builder {
        private final Path dataDir;
        private int port;
        private int managementPort;
        private String umask;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();

        private Builder(Path dataDir) throws IOException {
            this.dataDir = dataDir.toAbsolutePath();
            this.port = freePort();
            this.managementPort = freePort();
        }

        Builder port(int p) {
            port = p;
            return this;
        }

        Builder managementPort(int p) {
            managementPort = p;
            return this;
        }

        Builder umask(String mask) {
            umask = mask;
            return this;
        }

        Builder property(String name, String value) {
            properties.put(name, value);
            return this;
        }

        Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        PackagedServer start() throws IOException {
            return new PackagedServer(this);
        }
    }
}
