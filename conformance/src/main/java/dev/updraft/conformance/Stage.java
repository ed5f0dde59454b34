package dev.updraft.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.it.ServerProcess;
import dev.updraft.sim.store.MockStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a conformance run plays against, started once per run: the packaged Updraft server (a child process on
 * loopback with its embedded PostgreSQL in {@code work/server-data}, started the way the integration tests start
 * it), the mock enterprise store (device-sim's {@link MockStore}, in-process) and the {@link DeviceFront} the client
 * talks to. Scenarios do not share apps: each makes its own through the admin API, so one server serves the run.
 */
final class Stage implements AutoCloseable {
    static final String UPLOAD_TOKEN = "conformance-upload-token";

    private final Path work;
    private final ServerProcess server;
    private final MockStore store;
    private final DeviceFront front;
    private final String adminKey;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Stage(Path work, ServerProcess server, MockStore store, DeviceFront front) throws IOException {
        this.work = work;
        this.server = server;
        this.store = store;
        this.front = front;
        this.adminKey = server.adminKey();
    }

    /** Starts the server, the store and the front under {@code work}. */
    static Stage start(Path work) throws IOException, InterruptedException {
        Files.createDirectories(work);
        ServerProcess server = ServerProcess.start(work.resolve("server-data"));
        MockStore store = null;
        DeviceFront front = null;
        try {
            store = MockStore.start(Files.createDirectories(work.resolve("store")), 0, UPLOAD_TOKEN);
            front = DeviceFront.start(server.url());
            return new Stage(work, server, store, front);
        } catch (IOException | RuntimeException e) {
            if (front != null) {
                front.close();
            }
            if (store != null) {
                store.close();
            }
            server.stop();
            throw e;
        }
    }

    Path work() {
        return work;
    }

    MockStore store() {
        return store;
    }

    DeviceFront front() {
        return front;
    }

    /** Calls the admin API; a status other than {@code expected} is an {@link IOException} with the answer. */
    JsonNode admin(String method, String path, ObjectNode body, int... expected) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url("/api/v1" + path)))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminKey)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body.toString()));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            for (int e : expected) {
                if (r.statusCode() == e) {
                    return r.body().isEmpty()
                            ? ClientProcess.JSON.createObjectNode()
                            : ClientProcess.JSON.readTree(r.body());
                }
            }
            throw new IOException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during " + method + " " + path, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        front.close();
        store.close();
        server.stop();
    }
}
