package dev.updraft.sim.store;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 */
public final class MockStore implements AutoCloseable {
    /** The fault key that matches every path. */
    public static final String ALL_PATHS = "*";

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final int CHUNK = 64 * 1024;
    private static final int MAX_RECORDS = 100_000;
    /** Uploads in progress: never served, never a target. */
    private static final String TEMPORARY_PREFIX = ".upload-";

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Path root;
    private final Path realRoot;
    private final String uploadToken;
    private final HttpServer server;
    private final String host;
    private final Map<String, List<Fault>> faults = new ConcurrentHashMap<>();
    private final List<RequestRecord> requests = Collections.synchronizedList(new ArrayList<>());
    private final Object commitLock = new Object();
    private final AtomicLong throttled = new AtomicLong();

    private MockStore(Vertx vertx, boolean ownsVertx, Path dir, String host, int port, String uploadToken) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.host = host;
        try {
            Files.createDirectories(dir);
            this.root = dir.toAbsolutePath().normalize();
            this.realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve " + dir, e);
        }
        this.uploadToken = uploadToken == null || uploadToken.isEmpty() ? null : uploadToken;
        this.server = vertx.createHttpServer(
                        new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(false))
                .requestHandler(this::handle);
        await(server.listen());
    }

    /** Serves {@code dir} on 127.0.0.1:{@code port} (0 = any free port); PUT enabled only when {@code uploadToken} is set. */
    public static MockStore start(Path dir, int port, String uploadToken) {
        return new MockStore(Vertx.vertx(), true, dir, "127.0.0.1", port, uploadToken);
    }

    /** Serves {@code dir} on {@code host:port}. */
    public static MockStore start(Path dir, String host, int port, String uploadToken) {
        return new MockStore(Vertx.vertx(), true, dir, host, port, uploadToken);
    }

    /** Serves {@code dir} on an existing Vert.x instance (not closed by {@link #close()}). */
    public static MockStore start(Vertx vertx, Path dir, String host, int port, String uploadToken) {
        return new MockStore(vertx, false, dir, host, port, uploadToken);
    }

    /** The port listened on. */
    /** The time the {@code slow} fault has waited between body chunks so far, in ms: its schedule, for tests. */
    public long throttledMillis() {
        return throttled.get();
    }

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
        return "http://" + h + ":" + port();
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
        faults.computeIfAbsent(faultKey(path), k -> new CopyOnWriteArrayList<>())
                .add(fault);
    }

    /** Removes every fault. */
    public void clearFaults() {
        faults.clear();
    }

    /** Removes the faults of one path (or of {@link #ALL_PATHS}). */
    public void clearFaults(String path) {
        faults.remove(faultKey(path));
    }

    /** The faults set now, by path; worn-off one-shot faults are gone. */
    public Map<String, List<Fault>> faults() {
        Map<String, List<Fault>> m = new LinkedHashMap<>();
        faults.forEach((k, v) -> {
            List<Fault> live = v.stream().filter(f -> !f.wornOff()).toList();
            if (!live.isEmpty()) {
                m.put(k, live);
            }
        });
        return m;
    }

    private static String faultKey(String path) {
        return path.equals(ALL_PATHS) || path.startsWith("/") ? path : "/" + path;
    }

    /**
     * The keys whose faults apply to {@code path}, most specific first: the path itself, then the prefixes that end
     * in {@code *} (longest first: {@code /app/delta/*} before {@code /app/*}), then {@link #ALL_PATHS}.
     */
    private List<String> faultKeysFor(String path) {
        List<String> keys = new ArrayList<>();
        keys.add(path);
        faults.keySet().stream()
                .filter(k -> k.length() > 1 && k.endsWith(ALL_PATHS) && path.startsWith(k.substring(0, k.length() - 1)))
                .sorted((a, b) -> b.length() - a.length())
                .forEach(keys::add);
        keys.add(ALL_PATHS);
        return keys;
    }

    private Fault takeFault(String path, boolean wholeResponseOnly) {
        for (String key : faultKeysFor(path)) {
            List<Fault> list = faults.get(key);
            if (list == null) {
                continue;
            }
            for (Fault f : list) {
                if (wholeResponseOnly && !f.kind().replacesResponse()) {
                    continue;
                }
                if (f.take()) {
                    if (f.wornOff()) {
                        list.remove(f);
                    }
                    return f;
                }
                list.remove(f);
            }
        }
        return null;
    }

    // ---- request log ----

    /** Every request answered so far (the last 100 000), oldest first. */
    public List<RequestRecord> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The requests for one path ({@code "/a.zip"}). */
    public List<RequestRecord> requests(String path) {
        String p = faultKey(path);
        return requests().stream().filter(r -> r.path().equals(p)).toList();
    }

    public void clearRequests() {
        requests.clear();
    }

    private void record(HttpServerRequest req, int status, Fault fault) {
        synchronized (requests) {
            if (requests.size() >= MAX_RECORDS) {
                requests.remove(0);
            }
            requests.add(new RequestRecord(
                    System.currentTimeMillis(),
                    req.method().name(),
                    req.path(),
                    req.getHeader("Range"),
                    status,
                    fault == null ? null : fault.toString()));
        }
    }

    // ---- HTTP ----

    private void handle(HttpServerRequest req) {
        String path = req.path();
        try {
            if (path.equals("/_faults")) {
                control(req, this::faultsEndpoint);
            } else if (path.equals("/_requests")) {
                control(req, this::requestsEndpoint);
            } else if (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD) {
                serve(req);
            } else if (req.method() == HttpMethod.PUT) {
                upload(req);
            } else {
                reply(req, 405, "method_not_allowed", "the store answers GET, HEAD and PUT", null);
            }
        } catch (RuntimeException e) {
            reply(req, 500, "internal_error", String.valueOf(e.getMessage()), null);
        }
    }

    private void serve(HttpServerRequest req) {
        String rel = safeRelative(req.path());
        if (rel == null) {
            reply(req, 400, "bad_path", "the path is not allowed", null);
            return;
        }
        boolean head = req.method() == HttpMethod.HEAD;
        Fault fault = takeFault(req.path(), head);
        if (fault != null && fault.kind() == FaultKind.RESET) {
            record(req, 0, fault);
            req.connection().close(); // no status line at all: the client sees the connection go
            return;
        }
        if (fault != null && fault.kind().isStatus()) {
            switch (fault.kind()) {
                case NOT_FOUND:
                    reply(req, 404, "not_found", "no such file (injected fault)", fault);
                    return;
                case SERVER_ERROR:
                    reply(req, 500, "internal_error", "injected fault", fault);
                    return;
                default:
                    req.response().putHeader("Retry-After", String.valueOf(fault.arg()));
                    reply(req, 503, "unavailable", "try again later (injected fault)", fault);
                    return;
            }
        }
        Path file = rel.isEmpty() || isTemporary(rel) ? null : root.resolve(rel);
        if (file == null || !isServable(file)) {
            reply(req, 404, "not_found", "no such file", fault);
            return;
        }
        long total;
        try {
            total = Files.size(file);
        } catch (IOException e) {
            reply(req, 404, "not_found", "no such file", fault);
            return;
        }
        long start = 0;
        long end = total - 1;
        int status = 200;
        HttpServerResponse resp = req.response();
        Matcher m = req.getHeader("Range") == null
                ? null
                : RANGE.matcher(req.getHeader("Range").strip());
        if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
            if (m.group(1).isEmpty()) { // suffix: the last n bytes
                long n = Long.parseLong(m.group(2));
                start = Math.max(0, total - n);
                if (n == 0) {
                    start = total;
                }
            } else {
                start = Long.parseLong(m.group(1));
                if (!m.group(2).isEmpty()) {
                    end = Math.min(end, Long.parseLong(m.group(2)));
                }
            }
            if (start >= total
                    || (!m.group(1).isEmpty() && !m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start)) {
                if (start < total) { // last < first: malformed, ignore the header
                    start = 0;
                    end = total - 1;
                } else {
                    resp.putHeader("Content-Range", "bytes */" + total);
                    reply(req, 416, "range_not_satisfiable", "the file has " + total + " bytes", fault);
                    return;
                }
            } else {
                status = 206;
                resp.putHeader("Content-Range", "bytes " + start + "-" + end + "/" + total);
            }
        }
        long length = Math.max(0, end - start + 1);
        resp.setStatusCode(status).putHeader("Accept-Ranges", "bytes").putHeader("Content-Type", contentType(file));
        record(req, status, fault);
        if (head) {
            resp.putHeader("Content-Length", String.valueOf(length)).end();
            return;
        }
        if (fault == null) {
            resp.sendFile(file.toString(), start, length);
            return;
        }
        new FaultyBody(req, file, start, length, total, fault).begin();
    }

    /** Streams a byte range with a body fault applied. */
    private final class FaultyBody {
        private final HttpServerRequest req;
        private final HttpServerResponse resp;
        private final Path file;
        private final long start;
        private final long length;
        private final long total;
        private final Fault fault;
        private final long limit;
        private AsyncFile af;
        private long sent;

        FaultyBody(HttpServerRequest req, Path file, long start, long length, long total, Fault fault) {
            this.req = req;
            this.resp = req.response();
            this.file = file;
            this.start = start;
            this.length = length;
            this.total = total;
            this.fault = fault;
            switch (fault.kind()) {
                case TRUNCATE:
                case HANG:
                    limit = Math.min(Math.max(0, fault.arg()), length);
                    break;
                case DROP:
                    limit = length * Math.min(100, Math.max(0, fault.arg())) / 100;
                    break;
                default:
                    limit = length;
            }
        }

        void begin() {
            long announced = fault.kind() == FaultKind.WRONG_LENGTH ? Math.max(0, length + fault.arg()) : length;
            resp.putHeader("Content-Length", String.valueOf(announced));
            resp.closeHandler(v -> closeFile());
            vertx.fileSystem()
                    .open(
                            file.toString(),
                            new OpenOptions().setRead(true).setWrite(false).setCreate(false))
                    .onSuccess(f -> {
                        af = f;
                        pump();
                    })
                    .onFailure(e -> req.connection().close());
        }

        private void pump() {
            if (resp.closed()) {
                closeFile();
                return;
            }
            if (sent >= limit) {
                finish();
                return;
            }
            int chunk = (int) Math.min(CHUNK, limit - sent);
            long delay = 0;
            if (fault.kind() == FaultKind.SLOW) {
                long rate = Math.max(1, fault.arg());
                chunk = (int) Math.max(1, Math.min(chunk, rate / 10));
                delay = Math.max(1, chunk * 1000L / rate);
            }
            long position = start + sent;
            int n = chunk;
            long wait = delay;
            af.read(Buffer.buffer(n), 0, position, n)
                    .onSuccess(buf -> {
                        if (fault.kind() == FaultKind.FLIP_BYTE) {
                            long at = fault.arg() < 0 ? total / 2 : fault.arg();
                            if (at >= position && at < position + buf.length()) {
                                int i = (int) (at - position);
                                buf.setByte(i, (byte) (buf.getByte(i) ^ 0xFF));
                            }
                        }
                        sent += buf.length();
                        if (buf.length() == 0) {
                            sent = limit; // the file shrank under us: stop
                        }
                        resp.write(buf);
                        if (wait > 0) {
                            throttled.addAndGet(wait);
                            vertx.setTimer(wait, t -> pump());
                        } else if (resp.writeQueueFull()) {
                            resp.drainHandler(v -> pump());
                        } else {
                            pump();
                        }
                    })
                    .onFailure(e -> req.connection().close());
        }

        private void finish() {
            switch (fault.kind()) {
                case TRUNCATE:
                case DROP:
                    // everything written so far is flushed, then the connection goes: the client saw a short body
                    resp.write(Buffer.buffer()).onComplete(v -> req.connection().close());
                    closeFile();
                    break;
                case HANG:
                    closeFile(); // and never end: the connection stays open until the client gives up
                    break;
                case WRONG_LENGTH:
                    resp.end().onComplete(v -> req.connection().close());
                    closeFile();
                    break;
                default:
                    resp.end();
                    closeFile();
            }
        }

        private void closeFile() {
            if (af != null) {
                AsyncFile f = af;
                af = null;
                f.close();
            }
        }
    }

    /** How a PUT ended; decided under {@link #commitLock}, so two uploads to one path never both win. */
    private enum Commit {
        /** The object did not exist and now holds the uploaded bytes. */
        CREATED,
        /** The object already held exactly these bytes: nothing changed. */
        IDENTICAL,
        /** The object exists and the request said {@code If-None-Match: *}. */
        EXISTS_PRECONDITION,
        /** The object exists with other bytes: it is never replaced. */
        EXISTS_OTHER_BYTES
    }

    /**
     * PUT: the body goes to a temporary file beside the target; then, under one lock, the target is created by an
     * atomic rename only if it does not exist yet. An existing object is never replaced, so a device that is
     * downloading it (or will) always gets the bytes that were published (device-sim/README.md, "store").
     */
    private void upload(HttpServerRequest req) {
        if (uploadToken == null) {
            reply(req, 403, "uploads_disabled", "this store was started without an upload token", null);
            return;
        }
        if (!authorized(req)) {
            req.response().putHeader("WWW-Authenticate", "Bearer");
            reply(req, 401, "unauthorized", "PUT needs Authorization: Bearer <upload token>", null);
            return;
        }
        String rel = safeRelative(req.path());
        if (rel == null || rel.isEmpty() || rel.endsWith("/") || isTemporary(rel)) {
            reply(req, 400, "bad_path", "the path is not allowed", null);
            return;
        }
        Path target = root.resolve(rel).normalize();
        String ifNoneMatch = req.getHeader("If-None-Match");
        if (ifNoneMatch != null && !ifNoneMatch.strip().equals("*")) {
            reply(req, 400, "unsupported_precondition", "PUT understands If-None-Match: * only", null);
            return;
        }
        boolean onlyIfAbsent = ifNoneMatch != null;
        req.pause();
        vertx.<Path>executeBlocking(() -> temporaryFileFor(target)).onComplete(prepared -> {
            if (prepared.failed()) {
                reply(req, 500, "io_error", String.valueOf(prepared.cause().getMessage()), null);
                return;
            }
            Path tmp = prepared.result();
            if (tmp == null) {
                reply(req, 400, "bad_path", "the path is not allowed", null);
                return;
            }
            vertx.fileSystem()
                    .open(tmp.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
                    .compose(af -> req.pipeTo(af))
                    .compose(v -> vertx.executeBlocking(() -> commit(tmp, target, onlyIfAbsent)))
                    .onSuccess(outcome -> answerUpload(req, outcome))
                    .onFailure(e -> failUpload(req, tmp, e));
        });
    }

    /** Where the body of an upload to {@code target} is written first, or null when the path may not be written. */
    private Path temporaryFileFor(Path target) throws IOException {
        Path parent = target.getParent();
        Files.createDirectories(parent);
        if (!parent.toRealPath().startsWith(realRoot) || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return parent.resolve(TEMPORARY_PREFIX + UUID.randomUUID() + ".tmp");
    }

    private Commit commit(Path tmp, Path target, boolean onlyIfAbsent) throws IOException {
        try {
            try (FileChannel written = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                written.force(true); // on disk before it gets its name
            }
            synchronized (commitLock) {
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    if (onlyIfAbsent) {
                        return Commit.EXISTS_PRECONDITION;
                    }
                    boolean same = Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                            && Files.mismatch(tmp, target) == -1L;
                    return same ? Commit.IDENTICAL : Commit.EXISTS_OTHER_BYTES;
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                return Commit.CREATED;
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void answerUpload(HttpServerRequest req, Commit outcome) {
        switch (outcome) {
            case CREATED -> {
                record(req, 201, null);
                req.response().setStatusCode(201).end();
            }
            case IDENTICAL -> {
                record(req, 200, null);
                req.response().setStatusCode(200).end();
            }
            case EXISTS_PRECONDITION ->
                reply(
                        req,
                        412,
                        "precondition_failed",
                        "an object already exists at " + req.path() + " (If-None-Match: *); it was not replaced",
                        null);
            default ->
                reply(
                        req,
                        409,
                        "object_exists",
                        req.path()
                                + " already holds other bytes; the store never replaces an object: upload under a new name",
                        null);
        }
    }

    private static boolean isTemporary(String rel) {
        int slash = rel.lastIndexOf('/');
        return rel.substring(slash + 1).startsWith(TEMPORARY_PREFIX);
    }

    private void failUpload(HttpServerRequest req, Path tmp, Throwable e) {
        vertx.executeBlocking(() -> Files.deleteIfExists(tmp)).onComplete(deleted -> {
            if (!req.response().ended() && !req.response().closed()) {
                reply(req, 500, "io_error", String.valueOf(e.getMessage()), null);
            }
        });
    }

    private boolean authorized(HttpServerRequest req) {
        String auth = req.getHeader("Authorization");
        byte[] given = (auth == null ? "" : auth).getBytes(StandardCharsets.UTF_8);
        byte[] expected = ("Bearer " + uploadToken).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }

    // ---- control endpoints ----

    private interface Control {
        void handle(HttpServerRequest req, Buffer body);
    }

    private void control(HttpServerRequest req, Control c) {
        if (uploadToken != null && !authorized(req)) {
            req.response().putHeader("WWW-Authenticate", "Bearer");
            reply(req, 401, "unauthorized", "the control endpoints need Authorization: Bearer <upload token>", null);
            return;
        }
        req.body()
                .onSuccess(body -> c.handle(req, body))
                .onFailure(e -> req.connection().close());
    }

    private void faultsEndpoint(HttpServerRequest req, Buffer body) {
        if (req.method() == HttpMethod.GET) {
            replyJson(req, 200, faultsJson());
        } else if (req.method() == HttpMethod.DELETE) {
            String p = req.getParam("path");
            if (p == null) {
                clearFaults();
            } else {
                clearFaults(p);
            }
            replyJson(req, 200, faultsJson());
        } else if (req.method() == HttpMethod.POST) {
            try {
                Object json = io.vertx.core.json.Json.decodeValue(body);
                List<JsonObject> items = new ArrayList<>();
                if (json instanceof JsonObject o) {
                    items.add(o);
                } else if (json instanceof JsonArray a) {
                    for (Object x : a) {
                        if (!(x instanceof JsonObject o)) {
                            throw new IllegalArgumentException("each fault is a JSON object");
                        }
                        items.add(o);
                    }
                } else {
                    throw new IllegalArgumentException("send a fault object or an array of them");
                }
                List<Map.Entry<String, Fault>> parsed = new ArrayList<>();
                for (JsonObject o : items) {
                    String p = o.getValue("path") instanceof String s ? s : ALL_PATHS;
                    parsed.add(Map.entry(p, Fault.fromJson(o)));
                }
                parsed.forEach(e -> addFault(e.getKey(), e.getValue()));
                replyJson(req, 200, faultsJson());
            } catch (RuntimeException e) {
                reply(req, 400, "bad_fault", String.valueOf(e.getMessage()), null);
            }
        } else {
            reply(req, 405, "method_not_allowed", "GET, POST or DELETE /_faults", null);
        }
    }

    private void requestsEndpoint(HttpServerRequest req, Buffer body) {
        if (req.method() == HttpMethod.DELETE) {
            clearRequests();
            replyJson(req, 200, new JsonArray());
        } else if (req.method() == HttpMethod.GET) {
            JsonArray a = new JsonArray();
            requests().forEach(r -> a.add(r.toJson()));
            replyJson(req, 200, a);
        } else {
            reply(req, 405, "method_not_allowed", "GET or DELETE /_requests", null);
        }
    }

    private JsonObject faultsJson() {
        JsonObject o = new JsonObject();
        faults().forEach((k, v) -> {
            JsonArray a = new JsonArray();
            v.forEach(f -> a.add(f.toJson()));
            o.put(k, a);
        });
        return o;
    }

    // ---- helpers ----

    private void reply(HttpServerRequest req, int status, String error, String message, Fault fault) {
        record(req, status, fault);
        Buffer body =
                new JsonObject().put("error", error).put("message", message).toBuffer();
        HttpServerResponse r = req.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        if (req.method() == HttpMethod.HEAD) {
            r.putHeader("Content-Length", String.valueOf(body.length())).end();
        } else {
            r.end(body);
        }
    }

    private void replyJson(HttpServerRequest req, int status, Object json) {
        record(req, status, null);
        req.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(json instanceof JsonObject o ? o.toBuffer() : ((JsonArray) json).toBuffer());
    }

    private boolean isServable(Path file) {
        try {
            return Files.isRegularFile(file) && file.toRealPath().startsWith(realRoot);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The request path as a path relative to the folder, or null if it is not allowed: it must start with '/',
     * decode cleanly, and have no backslash, NUL, '..' or '.' segment, no empty segment inside, no absolute or
     * drive-letter form. {@code ""} is the root (never listed).
     */
    static String safeRelative(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return null;
        }
        String decoded = percentDecode(rawPath);
        if (decoded == null || decoded.indexOf('\\') >= 0 || decoded.indexOf('\0') >= 0) {
            return null;
        }
        String rel = decoded.substring(1);
        if (rel.isEmpty()) {
            return "";
        }
        if (rel.startsWith("/") || (rel.length() >= 2 && rel.charAt(1) == ':')) {
            return null;
        }
        String[] segments = rel.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.equals("..") || s.equals(".") || (s.isEmpty() && i < segments.length - 1)) {
                return null;
            }
        }
        return rel;
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%') {
                if (i + 2 >= in.length) {
                    return null;
                }
                int hi = Character.digit(in[i + 1], 16);
                int lo = Character.digit(in[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write((hi << 4) | lo);
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String contentType(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".zip")) {
            return "application/zip";
        }
        if (n.endsWith(".json")) {
            return "application/json";
        }
        if (n.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        return "application/octet-stream";
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
