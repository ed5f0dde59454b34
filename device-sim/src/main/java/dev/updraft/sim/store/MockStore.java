package dev.updraft.sim.store;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mock enterprise store: serves a folder the way a company's storage or CDN would, for devices to download
 * bundles from, with faults on demand.
 * <ul>
 *   <li>GET and HEAD with the right {@code Content-Length} and {@code Accept-Ranges: bytes}. {@code Range:
 *       bytes=s-}, {@code s-e} and {@code -n} get 206 with {@code Content-Range: bytes s-e/total}; a range starting
 *       at or past the end gets 416 with {@code Content-Range: bytes *}{@code /total}; several ranges or a malformed
 *       header are ignored (200), as RFC 9110 allows. No directory listing.</li>
 *   <li>PUT uploads only when started with an upload token ({@code Authorization: Bearer <token>}); written to a
 *       temporary file and renamed into place atomically, so a download never sees half a file. An existing object
 *       is never replaced: the same bytes again are a no-op {@code 200}, other bytes {@code 409 object_exists}, and
 *       with {@code If-None-Match: *} any existing object is {@code 412 precondition_failed}; a new one is
 *       {@code 201}. Paths with {@code ..}, {@code .}, backslashes, NUL, absolute or drive
 *       paths (also percent-encoded) are refused with 400; nothing is ever read or written outside the folder
 *       (symbolic links that lead out are refused too).</li>
 *   <li>Faults ({@link FaultKind}) per path, per path prefix ({@code "/app/delta/*"}: every payload of a delta
 *       release) or for all paths ({@code "*"}), one-shot or persistent: through
 *       {@link #addFault}, the command line, or the control endpoint {@code /_faults} ({@code GET} lists,
 *       {@code POST} adds {@code {"path","kind","arg","times"}} or an array of them, {@code DELETE} clears all or
 *       {@code ?path=}). {@code GET /_requests} lists the requests seen ({@code DELETE} clears). When the store
 *       has an upload token, the control endpoints require it too.</li>
 * </ul>
 * A path's own faults come before its prefixes' (longest first) and those before the {@code "*"} faults; the first
 * fault that has not worn off applies.
 *
 * <p>The parts: {@link ByteRange} (the Range header), {@link FaultRegistry}, {@link FaultyBody} (a body fault),
 * {@link StoreUpload}, {@link ControlApi}, {@link RequestLog}; this class routes and serves. File calls run off the
 * event loop ({@code executeBlocking} or Vert.x's asynchronous file system).
 */
public final class MockStore implements AutoCloseable {
    /** The fault key that matches every path. */
    public static final String ALL_PATHS = "*";

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Path root;
    private final Path realRoot;
    private final HttpServer server;
    private final String host;
    private final FaultRegistry faults = new FaultRegistry();
    private final RequestLog requests = new RequestLog();
    private final StoreReplies replies;
    private final StoreUpload upload;
    private final ControlApi control;
    private final AtomicLong throttled = new AtomicLong();
    private final boolean tls;

    private MockStore(Vertx vertx, boolean ownsVertx, Path dir, String host, int port, String uploadToken) {
        this(vertx, ownsVertx, dir, host, port, uploadToken, null);
    }

    private MockStore(
            Vertx vertx,
            boolean ownsVertx,
            Path dir,
            String host,
            int port,
            String uploadToken,
            io.vertx.core.net.KeyCertOptions tls) {
        this.vertx = vertx;
        this.tls = tls != null;
        this.ownsVertx = ownsVertx;
        this.host = host;
        try {
            Files.createDirectories(dir);
            this.root = dir.toAbsolutePath().normalize();
            this.realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve " + dir, e);
        }
        this.replies = new StoreReplies(requests, uploadToken == null || uploadToken.isEmpty() ? null : uploadToken);
        this.upload = new StoreUpload(vertx, root, realRoot, replies);
        this.control = new ControlApi(faults, replies);
        this.server = vertx.createHttpServer(
                        tls(new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(false), tls))
                .requestHandler(this::handle);
        await(server.listen());
    }

    /** Serves {@code dir} on 127.0.0.1:{@code port} (0 = any free port); PUT enabled only when {@code uploadToken} is set. */
    public static MockStore start(Path dir, int port, String uploadToken) {
        return new MockStore(Vertx.vertx(), true, dir, "127.0.0.1", port, uploadToken);
    }

    /**
     * Serves {@code dir} on 127.0.0.1:{@code port} over TLS with the key and certificate of this PKCS#12 file: for
     * tests that need an https:// store (the certificate is then given to the devices' trust, DeviceHttp).
     */
    public static MockStore startTls(Path dir, int port, String uploadToken, Path pkcs12, String password) {
        return new MockStore(
                Vertx.vertx(),
                true,
                dir,
                "127.0.0.1",
                port,
                uploadToken,
                new io.vertx.core.net.PfxOptions().setPath(pkcs12.toString()).setPassword(password));
    }

    private static HttpServerOptions tls(HttpServerOptions options, io.vertx.core.net.KeyCertOptions keyCert) {
        return keyCert == null ? options : options.setSsl(true).setKeyCertOptions(keyCert);
    }

    /** Serves {@code dir} on {@code host:port}. */
    public static MockStore start(Path dir, String host, int port, String uploadToken) {
        return new MockStore(Vertx.vertx(), true, dir, host, port, uploadToken);
    }

    /** Serves {@code dir} on an existing Vert.x instance (not closed by {@link #close()}). */
    public static MockStore start(Vertx vertx, Path dir, String host, int port, String uploadToken) {
        return new MockStore(vertx, false, dir, host, port, uploadToken);
    }

    /** The time the {@code slow} fault has waited between body chunks so far, in ms: its schedule, for tests. */
    public long throttledMillis() {
        return throttled.get();
    }

    /** The port listened on. */
    public int port() {
        return server.actualPort();
    }

    /** The folder served. */
    public Path dir() {
        return root;
    }

    /** {@code http://host:port} with no trailing slash. */
    public String baseUrl() {
        String h = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        return (tls ? "https://" : "http://") + h + ":" + port();
    }

    /** The URL of a file: {@code url("bundles/a.zip")} → {@code http://127.0.0.1:P/bundles/a.zip}. */
    public String url(String path) {
        return baseUrl() + (path.startsWith("/") ? path : "/" + path);
    }

    // ---- faults ----

    /**
     * Adds a fault for a path ({@code "/a.zip"} or {@code "a.zip"}), for every path under a prefix
     * ({@code "/app/delta/*"}), or for all paths ({@link #ALL_PATHS}).
     */
    public void addFault(String path, Fault fault) {
        faults.add(path, fault);
    }

    /** Removes every fault. */
    public void clearFaults() {
        faults.clear();
    }

    /** Removes the faults of one path (or of {@link #ALL_PATHS}). */
    public void clearFaults(String path) {
        faults.clear(path);
    }

    /** The faults set now, by path; worn-off one-shot faults are gone. */
    public Map<String, List<Fault>> faults() {
        return faults.live();
    }

    // ---- request log ----

    /** Every request answered so far (the last 100 000), oldest first. */
    public List<RequestRecord> requests() {
        return requests.all();
    }

    /** The requests for one path ({@code "/a.zip"}). */
    public List<RequestRecord> requests(String path) {
        return requests.forPath(path);
    }

    public void clearRequests() {
        requests.clear();
    }

    // ---- HTTP ----

    private void handle(HttpServerRequest req) {
        try {
            if (ControlApi.handles(req.path())) {
                control.handle(req);
            } else if (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD) {
                serve(req);
            } else if (req.method() == HttpMethod.PUT) {
                upload.handle(req);
            } else {
                replies.error(req, 405, "method_not_allowed", "the store answers GET, HEAD and PUT", null);
            }
        } catch (RuntimeException e) {
            replies.error(req, 500, "internal_error", String.valueOf(e.getMessage()), null);
        }
    }

    /** GET and HEAD: a whole-response fault, else the file (its size looked up off the event loop), else 404. */
    private void serve(HttpServerRequest req) {
        String rel = StorePaths.safeRelative(req.path());
        if (rel == null) {
            replies.error(req, 400, "bad_path", "the path is not allowed", null);
            return;
        }
        boolean head = req.method() == HttpMethod.HEAD;
        Fault fault = faults.take(req.path(), head);
        if (fault != null && fault.kind() == FaultKind.RESET) {
            requests.record(req, 0, fault);
            req.connection().close(); // no status line at all: the client sees the connection go
            return;
        }
        if (fault != null && fault.kind().isStatus()) {
            switch (fault.kind()) {
                case NOT_FOUND:
                    replies.error(req, 404, "not_found", "no such file (injected fault)", fault);
                    return;
                case SERVER_ERROR:
                    replies.error(req, 500, "internal_error", "injected fault", fault);
                    return;
                default:
                    req.response().putHeader("Retry-After", String.valueOf(fault.arg()));
                    replies.error(req, 503, "unavailable", "try again later (injected fault)", fault);
                    return;
            }
        }
        Path file = rel.isEmpty() || StoreUpload.isTemporary(rel) ? null : root.resolve(rel);
        if (file == null) {
            replies.error(req, 404, "not_found", "no such file", fault);
            return;
        }
        vertx.executeBlocking(() -> servableSize(file), false).onComplete(size -> {
            try {
                if (size.failed() || size.result() < 0) {
                    replies.error(req, 404, "not_found", "no such file", fault);
                } else {
                    send(req, file, size.result(), fault, head);
                }
            } catch (RuntimeException e) {
                replies.error(req, 500, "internal_error", String.valueOf(e.getMessage()), null);
            }
        });
    }

    /** The size of a regular file inside the folder (symbolic links that lead out do not count), or -1. */
    private long servableSize(Path file) {
        try {
            return Files.isRegularFile(file) && file.toRealPath().startsWith(realRoot) ? Files.size(file) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private void send(HttpServerRequest req, Path file, long total, Fault fault, boolean head) {
        ByteRange range = ByteRange.of(req.getHeader("Range"), total);
        HttpServerResponse resp = req.response();
        if (range.contentRange() != null) {
            resp.putHeader("Content-Range", range.contentRange());
        }
        if (range.kind() == ByteRange.Kind.UNSATISFIABLE) {
            replies.error(req, 416, "range_not_satisfiable", "the file has " + total + " bytes", fault);
            return;
        }
        int status = range.kind() == ByteRange.Kind.PARTIAL ? 206 : 200;
        resp.setStatusCode(status)
                .putHeader("Accept-Ranges", "bytes")
                .putHeader("Content-Type", StorePaths.contentType(file));
        requests.record(req, status, fault);
        if (head) {
            resp.putHeader("Content-Length", String.valueOf(range.length())).end();
            return;
        }
        if (fault == null) {
            resp.sendFile(file.toString(), range.start(), range.length());
            return;
        }
        new FaultyBody(vertx, throttled, req, file, range, fault).begin();
    }

    private static <T> T await(io.vertx.core.Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the store could not start: " + e.getMessage(), e);
        }
    }

    /** Stops listening, closes every connection (hanging ones included), and closes its own Vert.x. */
    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort
        }
        if (ownsVertx) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // best effort
            }
        }
    }
}
