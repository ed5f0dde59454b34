package dev.updraft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the server's admin API (docs/admin-api.md) on a loopback port: it checks the bearer key as the
 * server does (401 missing_api_key / invalid_api_key), records every request, and answers each route with the
 * canned replies a test queued (the last one repeats). An unexpected route gets a 418 that no command accepts.
 * Routes outside {@code /api/v1} stand in for a store: any bytes, any status, HEAD without a body.
 */
final class FakeAdminApi implements AutoCloseable {
    static final String API_KEY = "test-admin-key-0123456789";

    record Request(
            String method,
            String path,
            String query,
            String authorization,
            String contentType,
            String ifNoneMatch,
            String rawBody,
            byte[] bytes) {
        JsonNode body() {
            try {
                return rawBody.isEmpty() ? null : Json.MAPPER.readTree(rawBody);
            } catch (IOException e) {
                throw new AssertionError("the CLI sent a body that is not JSON: " + rawBody, e);
            }
        }

        String route() {
            return method + " " + path;
        }
    }

    record Reply(int status, byte[] body, String contentType) {
        Reply(int status, String json) {
            this(status, json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8), "application/json");
        }
    }

    private final HttpServer server;
    private final Map<String, Deque<Reply>> routes = new HashMap<>();
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    FakeAdminApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues a reply for {@code METHOD /path} (the path as sent, percent-encoding included). */
    FakeAdminApi on(String method, String path, int status, String body) {
        routes.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).add(new Reply(status, body));
        return this;
    }

    /** Queues a reply of raw bytes, as a store serves a file. */
    FakeAdminApi onBytes(String method, String path, int status, byte[] body) {
        routes.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>())
                .add(new Reply(status, body, "application/zip"));
        return this;
    }

    /** {@code args} followed by {@code --server <this fake> --apikey <its key>}. */
    String[] withServer(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--server";
        all[args.length + 1] = url();
        all[args.length + 2] = "--apikey";
        all[args.length + 3] = API_KEY;
        return all;
    }

    /** A page of an admin API list: {@code {"entries": [...], "next_cursor": ...}}. */
    static String page(String next, String... entries) {
        return "{\"entries\":[" + String.join(",", entries) + "],\"next_cursor\":"
                + (next == null ? "null" : "\"" + next + "\"") + "}";
    }

    static String error(String code, String message) {
        return Json.compact(Json.object().put("error", code).put("message", message));
    }

    List<String> routesCalled() {
        synchronized (requests) {
            return requests.stream().map(Request::route).toList();
        }
    }

    Request request(String route) {
        synchronized (requests) {
            return requests.stream()
                    .filter(r -> r.route().equals(route))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no request " + route + " among " + routesCalled()));
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getRawPath();
        Request request = new Request(
                exchange.getRequestMethod(),
                path,
                exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("If-None-Match"),
                new String(bytes, StandardCharsets.UTF_8),
                bytes);
        requests.add(request);
        Reply reply;
        if (path.startsWith("/api/v1/") && request.authorization() == null) {
            reply = new Reply(
                    401, error("missing_api_key", "an admin API key is required (Authorization: Bearer <key>)"));
        } else if (path.startsWith("/api/v1/") && !("Bearer " + API_KEY).equals(request.authorization())) {
            reply = new Reply(401, error("invalid_api_key", "the API key is not valid"));
        } else if (!request.rawBody().isEmpty()
                && path.startsWith("/api/v1/")
                && !path.endsWith("/files") // the server's storage takes the file's bytes
                && !"application/json".equals(request.contentType())) {
            reply = new Reply(415, error("unsupported_media_type", "JSON only"));
        } else {
            Deque<Reply> queue = routes.get(request.route());
            if (queue == null || queue.isEmpty()) {
                reply = new Reply(418, error("unexpected_request", "the fake has no answer for " + request.route()));
            } else {
                reply = queue.size() > 1 ? queue.poll() : queue.peek();
            }
        }
        byte[] answer = reply.body();
        if (answer.length > 0) {
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
        }
        if (request.method().equals("HEAD")) {
            exchange.sendResponseHeaders(reply.status(), -1);
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(reply.status(), answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
