package dev.updraft.it;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load balancer of the soak test: each request goes to the next instance in turn, without health checks or
 * retries, so a request that meets a dead instance fails (502) and is counted against that instance. It records,
 * per instance, the update checks answered and failed, and the body of every {@code /stats} request that an instance
 * acknowledged (2xx): what must then be in the database.
 */
final class RoundRobinProxy implements AutoCloseable {
    /** What one instance did with the requests it was given. */
    static final class Tally {
        final LongAdder checks = new LongAdder();
        final LongAdder failedChecks = new LongAdder();
        final LongAdder acknowledgedStats = new LongAdder();
        final LongAdder failedStats = new LongAdder();

        @Override
        public String toString() {
            return "checks " + checks.sum() + " (failed " + failedChecks.sum() + "), stats acknowledged "
                    + acknowledgedStats.sum() + " (failed " + failedStats.sum() + ")";
        }
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final HttpServer server;
    private final List<Integer> ports;
    private final AtomicLong next = new AtomicLong();
    private final Map<Integer, Tally> tallies = new ConcurrentHashMap<>();
    /** The bodies of the acknowledged /stats requests. */
    final ConcurrentLinkedQueue<Buffer> acknowledgedStatsBodies = new ConcurrentLinkedQueue<>();

    RoundRobinProxy(List<Integer> ports) throws Exception {
        this.ports = List.copyOf(ports);
        ports.forEach(p -> tallies.put(p, new Tally()));
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        client = vertx.createHttpClient(
                new HttpClientOptions().setMaxPoolSize(64).setKeepAlive(true).setConnectTimeout(2_000));
        server = vertx.createHttpServer()
                .requestHandler(this::forward)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    Tally tally(int port) {
        return tallies.get(port);
    }

    private void forward(HttpServerRequest in) {
        int port = ports.get((int) (next.getAndIncrement() % ports.size()));
        Tally tally = tallies.get(port);
        boolean check = in.path().equals("/updates");
        boolean stats = in.path().equals("/stats");
        in.body().onSuccess(body -> {
            RequestOptions out = new RequestOptions()
                    .setMethod(HttpMethod.valueOf(in.method().name()))
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setURI(in.uri())
                    .setIdleTimeout(10_000);
            in.headers().forEach(h -> {
                if (!h.getKey().equalsIgnoreCase("Host") && !h.getKey().equalsIgnoreCase("Content-Length")) {
                    out.addHeader(h.getKey(), h.getValue());
                }
            });
            client.request(out)
                    .compose(req -> req.send(body))
                    .compose(resp -> resp.body().map(b -> Map.entry(resp, b)))
                    .onComplete(ar -> {
                        if (ar.failed()) {
                            count(tally, check, stats, false);
                            in.response().setStatusCode(502).end();
                            return;
                        }
                        var resp = ar.result().getKey();
                        // a check is failed too when it is answered with kind "failed" (docs/protocol.md §2.2)
                        boolean ok = resp.statusCode() / 100 == 2
                                && !(check && ar.result().getValue().toString().contains("\"kind\":\"failed\""));
                        count(tally, check, stats, ok);
                        if (stats && ok) {
                            acknowledgedStatsBodies.add(body);
                        }
                        var answer = in.response().setStatusCode(resp.statusCode());
                        String type = resp.getHeader("Content-Type");
                        if (type != null) {
                            answer.putHeader("Content-Type", type);
                        }
                        answer.end(ar.result().getValue());
                    });
        });
    }

    private static void count(Tally t, boolean check, boolean stats, boolean ok) {
        if (check) {
            t.checks.increment();
            if (!ok) {
                t.failedChecks.increment();
            }
        } else if (stats) {
            (ok ? t.acknowledgedStats : t.failedStats).increment();
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
