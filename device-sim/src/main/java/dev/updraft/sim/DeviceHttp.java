package dev.updraft.sim;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The network of one or many simulated devices: one Vert.x instance, one HTTP client pool, a Web Client on top for
 * JSON calls and the raw client for streaming downloads. Calls block the calling thread (a device runs on a plain
 * thread, as the plugin's code runs off the UI thread) and must not be made on a Vert.x thread. Share one instance
 * between many devices; {@link #close()} closes what it created.
 */
public final class DeviceHttp implements AutoCloseable {
    /**
     * The largest body piece a download hands over: 64 KB, what one socket read brings at most, where Vert.x's default
     * of 8 KB cut a 5 MB bundle into 641 pieces, each a hand-over to the device's thread (docs/performance.md).
     */
    static final int DOWNLOAD_CHUNK = 64 * 1024;

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final HttpClient client;
    private final WebClient web;
    private final HttpClient streamClient;
    private final Context streamContext;

    private DeviceHttp(Vertx vertx, boolean ownsVertx, int poolSize, java.nio.file.Path trustedCertificates) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.client = vertx.createHttpClient(trust(
                new HttpClientOptions()
                        .setMaxPoolSize(poolSize)
                        .setKeepAlive(true)
                        .setTryUseCompression(false),
                trustedCertificates));
        this.web = WebClient.wrap(
                client, new WebClientOptions().setUserAgentEnabled(false).setFollowRedirects(true));
        // Downloads use their own pool, always driven from one event-loop context: the response head then reaches
        // our callback on the connection's own thread, before any body chunk, so no byte (and no end) is missed.
        this.streamClient = vertx.createHttpClient(trust(
                new HttpClientOptions()
                        .setMaxPoolSize(poolSize)
                        .setKeepAlive(true)
                        .setTryUseCompression(false)
                        .setMaxChunkSize(DOWNLOAD_CHUNK),
                trustedCertificates));
        this.streamContext = vertx.getOrCreateContext();
    }

    /**
     * The headers of a JSON call (§1.3): {@code Content-Type} when there is a body, and the plugin's
     * {@code User-Agent} ({@code CapacitorUpdater/<plugin_version> (<app_id>) <platform>/<version_os>}).
     */
    static Map<String, String> jsonHeaders(DeviceConfig c, String contentType) {
        Map<String, String> h = new java.util.LinkedHashMap<>();
        if (contentType != null) {
            h.put("Content-Type", contentType);
        }
        h.put("User-Agent", c.plugin().userAgent(c.appId(), c.platform(), c.versionOs()));
        return h;
    }

    /** A network with its own Vert.x instance. */
    public static DeviceHttp create() {
        return new DeviceHttp(Vertx.vertx(), true, 32, null);
    }

    /**
     * A network with its own Vert.x instance that trusts, for https://, the certificates in this PEM file (a private CA,
     * or a test server's self-signed certificate) instead of the JVM's default trust store. Host names are still
     * verified; nothing is ever "trust all".
     */
    public static DeviceHttp create(java.nio.file.Path trustedCertificatesPem) {
        return new DeviceHttp(Vertx.vertx(), true, 32, java.util.Objects.requireNonNull(trustedCertificatesPem));
    }

    /** A network on an existing Vert.x instance (not closed by {@link #close()}). */
    public static DeviceHttp create(Vertx vertx, int poolSize) {
        return new DeviceHttp(vertx, false, poolSize, null);
    }

    private static HttpClientOptions trust(HttpClientOptions options, java.nio.file.Path pem) {
        if (pem == null) {
            return options;
        }
        return options.setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(pem.toString()))
                .setVerifyHost(true);
    }

    public Vertx vertx() {
        return vertx;
    }

    /**
     * One JSON call; never throws for network problems, which come back as {@link ApiResponse#isTransportError()}.
     *
     * @param query   query parameters (GET), or null
     * @param body    request body, or null
     * @param headers request headers
     */
    public ApiResponse call(
            HttpMethod method,
            String url,
            Map<String, String> query,
            Buffer body,
            Map<String, String> headers,
            long timeoutMs) {
        requireNotOnEventLoop();
        long start = System.nanoTime();
        Future<HttpResponse<Buffer>> future;
        try {
            HttpRequest<Buffer> req =
                    web.requestAbs(method, url).connectTimeout(timeoutMs).idleTimeout(timeoutMs);
            if (query != null) {
                query.forEach(req::addQueryParam);
            }
            headers.forEach(req::putHeader);
            future = body == null ? req.send() : req.sendBuffer(body);
        } catch (RuntimeException e) { // e.g. a malformed URL
            return ApiResponse.failed(e, elapsedMs(start));
        }
        try {
            HttpResponse<Buffer> resp = await(future, timeoutMs * 2 + 5_000);
            MultiMap h = MultiMap.caseInsensitiveMultiMap().addAll(resp.headers());
            return ApiResponse.of(resp.statusCode(), h, resp.body(), elapsedMs(start));
        } catch (ExecutionException e) {
            return ApiResponse.failed(e.getCause(), elapsedMs(start));
        } catch (java.util.concurrent.TimeoutException e) {
            return ApiResponse.failed(e, elapsedMs(start));
        }
    }

    /**
     * Starts a GET and returns once the response head has arrived; read the body with
     * {@link StreamingResponse#read}.
     *
     * @throws IOException when no response head arrives (connection refused, timeout, reset)
     */
    public StreamingResponse stream(String url, Map<String, String> headers, long timeoutMs) throws IOException {
        requireNotOnEventLoop();
        CompletableFuture<StreamingResponse> head = new CompletableFuture<>();
        RequestOptions options;
        try {
            options = new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    .setAbsoluteURI(url)
                    .setConnectTimeout(timeoutMs)
                    .setIdleTimeout(timeoutMs)
                    .setFollowRedirects(true);
        } catch (RuntimeException e) {
            throw new IOException("bad URL " + url + ": " + e.getMessage(), e);
        }
        headers.forEach(options::putHeader);
        streamContext.runOnContext(v -> streamClient
                .request(options)
                .compose(req -> req.send())
                .onComplete(ar -> {
                    if (ar.failed()) {
                        head.completeExceptionally(ar.cause());
                        return;
                    }
                    try {
                        StreamingResponse s = new StreamingResponse(ar.result(), Vertx.currentContext());
                        s.attach();
                        head.complete(s);
                    } catch (RuntimeException e) {
                        head.completeExceptionally(e);
                    }
                }));
        try {
            return head.get(timeoutMs * 2 + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io
                    ? io
                    : new IOException(c.getMessage() == null ? c.toString() : c.getMessage(), c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new java.net.SocketTimeoutException("no response from " + url);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceKilledException();
        }
    }

    private static <T> T await(Future<T> future, long maxMs)
            throws ExecutionException, java.util.concurrent.TimeoutException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(maxMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceKilledException();
        }
    }

    private static void requireNotOnEventLoop() {
        if (Context.isOnVertxThread()) {
            throw new IllegalStateException(
                    "simulated devices block: call them from a plain thread, not a Vert.x thread");
        }
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public void close() {
        web.close();
        streamClient.close();
        if (ownsVertx) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // closing is best effort
            }
        } else {
            client.close();
        }
    }
}
