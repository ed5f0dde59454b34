package dev.updraft.server.api;

import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook receiver on loopback, as a user would write one: it answers with the statuses it is given (then 200), and
 * checks each delivery's signature with its own HMAC-SHA256 and a five-minute replay window.
 */
final class Receiver implements AutoCloseable {
    /** One delivery as received. */
    record Delivery(String event, String deliveryId, String signature, String body, boolean signatureValid, int answered) {
    }

    private final HttpServer server;
    private volatile String secret;
    private final Deque<Integer> statuses = new ArrayDeque<>();
    final List<Delivery> received = new CopyOnWriteArrayList<>();

    Receiver(String secret, Integer... statuses) throws IOException {
        this.secret = secret;
        this.statuses.addAll(List.of(statuses));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst("X-Updraft-Signature");
            int status;
            synchronized (this.statuses) {
                status = this.statuses.isEmpty() ? 200 : this.statuses.poll();
            }
            received.add(new Delivery(exchange.getRequestHeaders().getFirst("X-Updraft-Event"),
                    exchange.getRequestHeaders().getFirst("X-Updraft-Delivery"), signature, new String(body, StandardCharsets.UTF_8),
                    valid(signature, body), status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The secret to check with (a generated one is known only once the webhook is set). */
    void secret(String secret) {
        this.secret = secret;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** {@code t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}, t within five minutes of now. */
    private boolean valid(String header, byte[] body) {
        if (header == null || !header.matches("t=\\d+,v1=[0-9a-f]{64}")) {
            return false;
        }
        String t = header.substring(2, header.indexOf(','));
        if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t)) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(header.substring(header.indexOf("v1=") + 3)));
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
