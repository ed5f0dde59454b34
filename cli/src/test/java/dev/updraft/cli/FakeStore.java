package dev.updraft.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store on a loopback port that keeps what is put: {@code HEAD} answers the stored size (404 when absent),
 * {@code PUT} with {@code If-None-Match: *} never replaces an object (412), {@code GET} serves the bytes. It
 * records every request as {@code METHOD path}.
 */
final class FakeStore implements AutoCloseable {
    private final HttpServer server;
    final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    FakeStore() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long count(String method) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.startsWith(method + " ")).count();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        requests.add(method + " " + path);
        byte[] body = exchange.getRequestBody().readAllBytes();
        byte[] stored = objects.get(path);
        switch (method) {
            case "HEAD" -> {
                if (stored == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    exchange.getResponseHeaders().add("Content-Length", Long.toString(stored.length));
                    exchange.sendResponseHeaders(200, -1);
                }
            }
            case "PUT" -> {
                if (stored != null && "*".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                    exchange.sendResponseHeaders(412, -1);
                } else {
                    objects.put(path, body);
                    exchange.sendResponseHeaders(201, -1);
                }
            }
            case "GET" -> {
                if (stored == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    exchange.sendResponseHeaders(200, stored.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(stored);
                    }
                }
            }
            default -> exchange.sendResponseHeaders(405, -1);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
