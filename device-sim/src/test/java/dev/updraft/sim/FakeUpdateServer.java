package dev.updraft.sim;

import dev.updraft.protocol.ChannelSelfAnswers;
import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.ProtocolException;
import dev.updraft.protocol.StatsAnswers;
import dev.updraft.protocol.StatsEvent;
import dev.updraft.protocol.UpdateError;
import dev.updraft.protocol.UpdateOffer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A scripted stand-in for the update server on loopback: /updates, /stats and /channel_self answer what the test
 * says, and every request is recorded. (The device-sim module must not depend on the server module.) The default
 * answers are the protocol's, as the real server writes them; every body the device sends is also read with the
 * protocol's server-side parsers, and what they refuse is kept in {@link #protocolRefusals}.
 */
public final class FakeUpdateServer implements AutoCloseable {

    /** An answer: status, headers, body text. */
    public record Reply(int status, Map<String, String> headers, String body) {
        public static Reply json(int status, Object json) {
            return new Reply(status, Map.of("Content-Type", "application/json"), Json.encode(json));
        }

        /** A JSON body as the protocol writes it. */
        public static Reply wire(int status, byte[] json) {
            return new Reply(
                    status, Map.of("Content-Type", "application/json"), new String(json, StandardCharsets.UTF_8));
        }

        public static Reply raw(int status, String body) {
            return new Reply(status, Map.of(), body);
        }

        public Reply withHeader(String name, String value) {
            java.util.HashMap<String, String> h = new java.util.HashMap<>(headers);
            h.put(name, value);
            return new Reply(status, h, body);
        }
    }

    /** A recorded request. */
    public record Recorded(
            String method, String path, Map<String, String> query, Map<String, String> headers, String body) {
        public Object json() {
            return body.isEmpty() ? null : Json.decodeValue(body);
        }

        public JsonObject object() {
            return (JsonObject) json();
        }
    }

    public static final Reply NO_NEW_VERSION = Reply.wire(200, UpdateError.NO_NEW_VERSION_AVAILABLE.toJson());

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    public volatile Function<Recorded, Reply> updates = r -> NO_NEW_VERSION;
    public volatile Function<Recorded, Reply> stats = r -> Reply.wire(200, StatsAnswers.ok());
    public volatile Function<Recorded, Reply> channel = r -> Reply.wire(200, ChannelSelfAnswers.ok());
    public final List<Recorded> updateRequests = new CopyOnWriteArrayList<>();
    public final List<Recorded> statsRequests = new CopyOnWriteArrayList<>();
    public final List<Recorded> channelRequests = new CopyOnWriteArrayList<>();
    /** Requests whose body the protocol's parsers refuse: {@code "<path>: <code>: <message>"}. */
    public final List<String> protocolRefusals = new CopyOnWriteArrayList<>();

    public FakeUpdateServer() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle);
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Answers like a server whose channel points at this bundle: an update unless the device already runs it. */
    public void offer(String version, String url, String checksum, String sessionKey) {
        updates = r -> version.equals(r.object().getString("version_name"))
                ? NO_NEW_VERSION
                : Reply.wire(
                        200, UpdateOffer.of(version, url, sessionKey, checksum).toJson());
    }

    public void offer(TestBundles.Made bundle, String version, String url) {
        offer(version, url, bundle.checksum(), bundle.sessionKey());
    }

    /** Every stats event received, arrays flattened, in order. */
    public List<JsonObject> statsEvents() {
        List<JsonObject> out = new ArrayList<>();
        for (Recorded r : statsRequests) {
            Object j = r.json();
            if (j instanceof JsonArray a) {
                a.forEach(o -> out.add((JsonObject) o));
            } else if (j instanceof JsonObject o) {
                out.add(o);
            }
        }
        return out;
    }

    public List<String> statsActions() {
        return statsEvents().stream().map(e -> e.getString("action")).toList();
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            Map<String, String> query = new java.util.LinkedHashMap<>();
            req.params().forEach(e -> query.put(e.getKey(), e.getValue()));
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            req.headers().forEach(e -> headers.put(e.getKey(), e.getValue()));
            Recorded rec = new Recorded(
                    req.method().name(), req.path(), query, headers, body.toString(StandardCharsets.UTF_8));
            checkWithTheProtocol(req.path(), req.method().name(), body.getBytes());
            Reply reply;
            switch (req.path()) {
                case "/updates":
                    updateRequests.add(rec);
                    reply = updates.apply(rec);
                    break;
                case "/stats":
                    statsRequests.add(rec);
                    reply = stats.apply(rec);
                    break;
                case "/channel_self":
                    channelRequests.add(rec);
                    reply = channel.apply(rec);
                    break;
                default:
                    reply = Reply.raw(404, "");
            }
            var resp = req.response().setStatusCode(reply.status());
            reply.headers().forEach(resp::putHeader);
            resp.end(Buffer.buffer(reply.body(), "UTF-8"));
        });
    }

    private void checkWithTheProtocol(String path, String method, byte[] body) {
        try {
            if (path.equals("/stats")) {
                StatsEvent.parseBody(body);
            } else if ((path.equals("/updates") || path.equals("/channel_self")) && !method.equals("GET")) {
                InfoObject.parse(body);
            }
        } catch (ProtocolException e) {
            protocolRefusals.add(path + ": " + e.code() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
