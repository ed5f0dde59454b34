package dev.updraft.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * The kit's view of the device API: a loopback HTTP front that the client under test uses as its {@code updateUrl},
 * {@code statsUrl} and {@code channelUrl}. It records every request (method, path, headers, body) and what it
 * answered, and passes each one to the real Updraft server, unless the running scenario scripted an answer a real
 * server would not give (a 429 with a long {@code Retry-After}, a malformed body) or a change to the server's answer
 * (a field removed or replaced). One scenario runs at a time: {@link #reset()} starts the next one clean.
 */
final class DeviceFront implements AutoCloseable {
    /** The three device endpoints, as the front serves them. */
    enum Endpoint {
        UPDATES("/updates"),
        STATS("/stats"),
        CHANNEL_SELF("/channel_self");

        final String path;

        Endpoint(String path) {
            this.path = path;
        }
    }

    /** One request the front answered. {@code headers} keys are lowercase. */
    record Exchange(Endpoint endpoint, String method, Map<String, String> headers, String body, int status) {
        JsonNode json() {
            try {
                return ClientProcess.JSON.readTree(body);
            } catch (IOException e) {
                return ClientProcess.JSON.missingNode();
            }
        }
    }

    /** A scripted answer, instead of the server's. */
    record Canned(int status, Map<String, String> headers, String body) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final HttpClient upstream =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String upstreamBase;
    private final List<Exchange> exchanges = new ArrayList<>();
    private final Map<Endpoint, Deque<Canned>> canned = new java.util.EnumMap<>(Endpoint.class);
    private final Map<Endpoint, UnaryOperator<ObjectNode>> rewrites = new java.util.EnumMap<>(Endpoint.class);

    private DeviceFront(HttpServer server, String upstreamBase) {
        this.server = server;
        this.upstreamBase = upstreamBase;
    }

    /** A front on a free loopback port, passing requests to the server at {@code upstreamBase}. */
    static DeviceFront start(String upstreamBase) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        DeviceFront front = new DeviceFront(http, upstreamBase);
        for (Endpoint e : Endpoint.values()) {
            http.createContext(e.path, ex -> front.handle(e, ex));
        }
        http.setExecutor(front.executor);
        http.start();
        return front;
    }

    String url(Endpoint e) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + e.path;
    }

    /** Forgets the last scenario's requests and scripts. */
    synchronized void reset() {
        exchanges.clear();
        canned.clear();
        rewrites.clear();
    }

    /** Drops the scripted answers and changes that are left (the requests seen stay). */
    synchronized void clearScripts() {
        canned.clear();
        rewrites.clear();
    }

    /** The next {@code times} requests to {@code e} get this answer instead of the server's. */
    synchronized void answer(Endpoint e, int times, int status, Map<String, String> headers, String body) {
        Deque<Canned> q = canned.computeIfAbsent(e, k -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            q.addLast(new Canned(status, headers, body));
        }
    }

    /** Every JSON-object answer of the server to {@code e} is changed by {@code change} before the client gets it. */
    synchronized void rewrite(Endpoint e, UnaryOperator<ObjectNode> change) {
        rewrites.put(e, change);
    }

    synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    synchronized List<Exchange> exchanges(Endpoint e) {
        return exchanges.stream().filter(x -> x.endpoint() == e).toList();
    }

    private void handle(Endpoint endpoint, HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new java.util.TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            Canned scripted;
            UnaryOperator<ObjectNode> change;
            synchronized (this) {
                Deque<Canned> q = canned.get(endpoint);
                scripted = q == null ? null : q.pollFirst();
                change = rewrites.get(endpoint);
            }
            Canned answer = scripted != null ? scripted : forward(endpoint, ex, method, body, change);
            synchronized (this) {
                exchanges.add(new Exchange(
                        endpoint, method, headers, new String(body, StandardCharsets.UTF_8), answer.status()));
            }
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            answer.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            if (!answer.headers().containsKey("Content-Type")) {
                ex.getResponseHeaders().add("Content-Type", "application/json");
            }
            ex.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    private Canned forward(
            Endpoint endpoint, HttpExchange ex, String method, byte[] body, UnaryOperator<ObjectNode> change) {
        String query = ex.getRequestURI().getRawQuery();
        HttpRequest.Builder rb = HttpRequest.newBuilder(
                        URI.create(upstreamBase + endpoint.path + (query == null ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : List.of("Content-Type", "User-Agent")) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) {
                rb.header(h, v);
            }
        }
        try {
            HttpResponse<String> r = upstream.send(rb.build(), HttpResponse.BodyHandlers.ofString());
            String text = r.body();
            if (change != null) {
                JsonNode json = ClientProcess.JSON.readTree(text);
                if (json instanceof ObjectNode o) {
                    text = change.apply(o).toString();
                }
            }
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            r.headers().firstValue("Retry-After").ifPresent(v -> headers.put("Retry-After", v));
            return new Canned(r.statusCode(), headers, text);
        } catch (IOException e) {
            return new Canned(
                    502,
                    Map.of(),
                    "{\"error\":\"front_upstream\",\"message\":\""
                            + e.getClass().getSimpleName() + "\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Canned(503, Map.of(), "{\"error\":\"front_interrupted\",\"message\":\"interrupted\"}");
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
