package dev.updraft.sim.load;

import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.Platform;
import dev.updraft.protocol.StatsAction;
import dev.updraft.protocol.StatsEvent;
import dev.updraft.protocol.UpdateAnswer;
import dev.updraft.sim.ApiResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load mode: thousands of lightweight simulated devices in one process, for the server's benchmarks. A device here
 * is only an identity and a current version name (no disk state, no crypto): it POSTs the info object to
 * {@code /updates} exactly as a device does, classifies the answer as the plugin would (§2.2), and on "update
 * available" may download the bundle (size checked, not decrypted) and then report the new version, as a device that
 * installed it would.
 *
 * <p>One Vert.x instance and one HTTP client pool; the work is split over one verticle per event loop, each with its
 * share of the devices, the rate and the concurrency. The generator shares the machine with the server it measures,
 * so it is kept lean (docs/performance.md, load mode): one event loop per two cores, each device's info object
 * encoded once per version, one prepared request for every check (raw HTTP client, keep-alive, no pipelining), and an
 * answer byte-identical to the previous one classified once. With a target rate the checks follow an open schedule (checks
 * the concurrency limit does not allow are counted as "behind schedule", not queued); with rate 0 each worker keeps
 * its share of the concurrency busy (closed loop).
 */
public final class LoadGenerator {
    private static final long SWEEP_MS = 100; // how often a worker looks for checks past the timeout
    private static final long TICK_MS = 5;

    private final Vertx vertx;
    private final LoadConfig cfg;
    private final HttpClient client;
    private final WebClient web;
    private final VirtualDevice[] devices;
    private final String userAgent;
    /** Every check's request: method, address, headers and timeouts; only read after the constructor. */
    private final RequestOptions checkRequest;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger downloadsInFlight = new AtomicInteger();
    private final LongAdder behind = new LongAdder();
    private final Map<String, LongAdder> results = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failedCodes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> downloadErrors = new ConcurrentHashMap<>();
    private final LongAdder downloadsStarted = new LongAdder();
    private final LongAdder downloadsCompleted = new LongAdder();
    private final LongAdder downloadBytes = new LongAdder();
    private final LongAdder statsPosts = new LongAdder();
    private final LongAdder rolledBack = new LongAdder();
    private final LongAdder statsErrors = new LongAdder();
    private final LatencyRecorder latencies = new LatencyRecorder();
    private volatile long deadlineNanos;
    private final double warmupSeconds;

    private LoadGenerator(Vertx vertx, LoadConfig cfg, double warmupSeconds) {
        this.vertx = vertx;
        this.warmupSeconds = warmupSeconds;
        this.cfg = cfg;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setMaxPoolSize(cfg.concurrency() + cfg.downloadConcurrency())
                .setKeepAlive(true)
                .setPoolEventLoopSize(0)
                .setMaxWaitQueueSize(-1)
                .setConnectTimeout((int) cfg.timeoutMs()));
        this.web = WebClient.wrap(client, new WebClientOptions().setUserAgentEnabled(false));
        this.devices = new VirtualDevice[cfg.devices()];
        for (int i = 0; i < devices.length; i++) {
            devices[i] = new VirtualDevice(
                    cfg.sequentialIds()
                            ? sequentialId(i + 1)
                            : UUID.randomUUID().toString(),
                    cfg.versionBuild());
        }
        this.userAgent = cfg.plugin().userAgent(cfg.appId(), cfg.platform(), osVersion());
        this.checkRequest = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(cfg.updateUrl())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("User-Agent", userAgent)
                .setConnectTimeout(cfg.timeoutMs())
                .setIdleTimeout(cfg.timeoutMs());
    }

    /** The id of device {@code n} with {@link LoadConfig#sequentialIds()}: bench/updates.lua's fleet. */
    static String sequentialId(int n) {
        return String.format(Locale.ROOT, "00000000-0000-4000-8000-%012d", n);
    }

    /**
     * Event loops of the generator: one per two cores. The server under test runs on the same machine; more loops
     * than that only make the two fight over the cores (on 2 cores, 4 loops measured 295 µs of generator CPU a check).
     */
    static int eventLoops() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** Runs a load test on its own Vert.x instance and returns its report. */
    public static LoadReport run(LoadConfig cfg) {
        return run(cfg, null);
    }

    /**
     * Runs {@code warmup} first, then {@code cfg}, on one Vert.x instance in this process, and reports only
     * {@code cfg}: the warm-up's checks bring the generator's JIT to its steady state (wrk, native, needs none), so a
     * short measured run is not mostly the generator's own compilation (docs/simulator.md, "Load mode").
     */
    public static LoadReport run(LoadConfig cfg, LoadConfig warmup) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops()));
        try {
            if (warmup == null) {
                return run(vertx, cfg);
            }
            LoadReport w = run(vertx, warmup);
            return new LoadGenerator(vertx, cfg, w.seconds()).execute();
        } finally {
            vertx.close()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(e -> null)
                    .join();
        }
    }

    /** Runs a load test on an existing Vert.x instance (left open). */
    public static LoadReport run(Vertx vertx, LoadConfig cfg) {
        return new LoadGenerator(vertx, cfg, 0).execute();
    }

    private LoadReport execute() {
        int workers = Math.max(1, Math.min(Math.min(eventLoops(), cfg.concurrency()), devices.length));
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        deadlineNanos = start + cfg.duration().toNanos();
        AtomicInteger index = new AtomicInteger();
        String deployment;
        try {
            deployment = vertx.deployVerticle(
                            () -> new Worker(index.getAndIncrement(), workers),
                            new DeploymentOptions().setInstances(workers))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the load workers: " + e.getMessage(), e);
        }
        long hardStop = deadlineNanos + TimeUnit.MILLISECONDS.toNanos(cfg.timeoutMs() + 2_000);
        try {
            while (System.nanoTime() < deadlineNanos
                    || ((inFlight.get() > 0 || downloadsInFlight.get() > 0) && System.nanoTime() < hardStop)) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpuEnd = processCpuNanos();
        LoadReport report = report(
                Math.max(0.001, seconds),
                cpuStart < 0 || cpuEnd < 0 || completed.get() == 0
                        ? -1
                        : (cpuEnd - cpuStart) / 1000.0 / completed.get());
        vertx.undeploy(deployment)
                .toCompletionStage()
                .toCompletableFuture()
                .orTimeout(10, TimeUnit.SECONDS)
                .exceptionally(e -> null)
                .join();
        web.close();
        return report;
    }

    /** One event loop's share of the devices, rate and concurrency. */
    private final class Worker extends AbstractVerticle {
        private final int index;
        private final int workers;
        private final int maxInFlight;
        private final double rate;
        private int nextDevice;
        private int mine; // checks in flight of this worker (only touched on its event loop)
        private OpenSchedule schedule; // null: closed loop
        private long timer = -1;
        private HttpClient downloads;
        private CheckConnections checks; // plain http: the checks' own connections; null: the general client
        private long sweeper = -1;
        // The last answer and how it was read: the same bytes read the same way, so most checks skip the JSON parse.
        private int lastStatus = -1;
        private ByteBuf lastBody;
        private UpdateAnswer lastAnswer;

        Worker(int index, int workers) {
            this.index = index;
            this.workers = workers;
            this.maxInFlight = Math.max(1, cfg.concurrency() / workers + (index < cfg.concurrency() % workers ? 1 : 0));
            this.rate = cfg.rate() / workers;
            this.nextDevice = index;
        }

        @Override
        public void start() {
            // Its own pool, used only from this worker's event loop, so response bodies are never raced (see
            // DeviceHttp).
            downloads = vertx.createHttpClient(new HttpClientOptions()
                    .setMaxPoolSize(cfg.downloadConcurrency())
                    .setKeepAlive(true));
            URI updateUrl = URI.create(cfg.updateUrl());
            if ("http".equalsIgnoreCase(updateUrl.getScheme())) {
                checks = new CheckConnections(
                        ((ContextInternal) context).nettyEventLoop(),
                        ((VertxInternal) vertx).transport().channelFactory(false),
                        updateUrl,
                        userAgent,
                        cfg.timeoutMs());
                sweeper = vertx.setPeriodic(SWEEP_MS, t -> checks.sweep());
            }
            if (rate > 0) {
                schedule = new OpenSchedule(rate, System::nanoTime);
                timer = vertx.setPeriodic(TICK_MS, t -> tick());
            } else {
                for (int i = 0; i < maxInFlight; i++) {
                    issue();
                }
            }
        }

        @Override
        public void stop() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            if (checks != null) {
                vertx.cancelTimer(sweeper);
                checks.close();
            }
            downloads.close();
        }

        private void tick() {
            if (System.nanoTime() >= deadlineNanos) {
                vertx.cancelTimer(timer);
                timer = -1;
                return;
            }
            while (schedule.due() > 0 && mine < maxInFlight) {
                issue();
            }
            behind.add(schedule.skipDue()); // the open schedule does not wait: these checks are skipped
        }

        /** {@link UpdateAnswer#classify}, skipped when the answer is byte for byte the last one. */
        UpdateAnswer classify(int status, ByteBuf body) {
            if (status != lastStatus
                    || lastBody == null
                    || lastBody.readableBytes() != body.readableBytes()
                    || !ByteBufUtil.equals(lastBody, 0, body, body.readerIndex(), body.readableBytes())) {
                byte[] bytes = ByteBufUtil.getBytes(body);
                lastAnswer = UpdateAnswer.classify(status, bytes, cfg.platform());
                lastStatus = status;
                lastBody = Unpooled.wrappedBuffer(bytes);
            }
            return lastAnswer;
        }

        private VirtualDevice pick() {
            VirtualDevice d = devices[nextDevice];
            nextDevice += workers;
            if (nextDevice >= devices.length) {
                nextDevice = index;
            }
            return d;
        }

        private void issue() {
            if (System.nanoTime() >= deadlineNanos) {
                return;
            }
            VirtualDevice d = pick();
            if (schedule != null) {
                schedule.issued();
            }
            mine++;
            inFlight.incrementAndGet();
            sent.incrementAndGet();
            if (checks != null) {
                checks.send(d.body(), new CheckConnections.Exchange() {
                    @Override
                    public void answered(int status, ByteBuf body, long micros) {
                        latencies.record(micros);
                        onAnswer(Worker.this, d, status, body);
                        checkEnded();
                    }

                    @Override
                    public void failed(boolean timedOut, Throwable cause, long micros) {
                        transportFailed(timedOut);
                    }
                });
                return;
            }
            long t0 = System.nanoTime();
            client.request(checkRequest)
                    .compose(req -> req.send(Buffer.buffer(ByteBufUtil.getBytes(d.body()))))
                    .compose(resp -> resp.body().map(b -> ApiResponse.of(resp.statusCode(), resp.headers(), b, 0)))
                    .onComplete(ar -> {
                        long micros = (System.nanoTime() - t0) / 1000;
                        if (ar.failed()) {
                            transportFailed(ApiResponse.failed(ar.cause(), micros / 1000)
                                    .timedOut());
                            return;
                        }
                        latencies.record(micros);
                        onAnswer(
                                this,
                                d,
                                ar.result().status(),
                                ar.result().body().getByteBuf());
                        checkEnded();
                    });
        }

        /** A check that got no HTTP answer: the connection failed or the timeout passed. */
        private void transportFailed(boolean timedOut) {
            count(errors, timedOut ? "timeout" : "network_error");
            checkEnded();
        }

        private void checkEnded() {
            completed.incrementAndGet();
            inFlight.decrementAndGet();
            mine--;
            if (rate <= 0) {
                issue(); // closed loop
            }
        }
    }

    private void onAnswer(Worker w, VirtualDevice d, int status, ByteBuf body) {
        if (status == 429) {
            count(errors, "http_429");
            return;
        }
        UpdateAnswer a = w.classify(status, body);
        if (a.kind() == UpdateAnswer.Kind.FAILED && "response_error".equals(a.error())) {
            count(errors, "http_" + status);
            return;
        }
        if (a.kind() == UpdateAnswer.Kind.FAILED
                && ("parse_error".equals(a.error()) || "decode_error".equals(a.error()))) {
            count(errors, "parse_error");
            return;
        }
        UpdateAnswer.Kind judged = cfg.plugin().answerClass(a); // as the played version reads it (kind from 8.45.11)
        count(results, judged.name().toLowerCase(Locale.ROOT));
        if (judged == UpdateAnswer.Kind.FAILED) {
            count(failedCodes, a.error() == null || a.error().isEmpty() ? "(none)" : a.error());
        }
        if (judged == UpdateAnswer.Kind.UPDATE
                && cfg.download()
                && a.url() != null
                && !a.version().equals(d.version())
                && !d.hasFailed(a.version())
                && d.startDownload()) { // one download at a time per device, as the plugin's download worker
            if (downloadsInFlight.incrementAndGet() <= cfg.downloadConcurrency()) {
                download(w.downloads, d, a);
            } else {
                downloadsInFlight.decrementAndGet(); // busy: this device will get the offer again at its next check
                d.downloadEnded();
            }
        }
    }

    private void download(HttpClient dl, VirtualDevice d, UpdateAnswer a) {
        downloadsStarted.increment();
        RequestOptions ro;
        try {
            ro = new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    .setAbsoluteURI(a.url())
                    .setConnectTimeout(cfg.timeoutMs())
                    .setIdleTimeout(cfg.timeoutMs());
        } catch (RuntimeException e) {
            downloadDone(d, a, "bad_url", 0);
            return;
        }
        dl.request(ro).compose(req -> req.send()).onComplete(ar -> {
            if (ar.failed()) {
                downloadDone(
                        d, a, ar.cause().getClass().getSimpleName().contains("Timeout") ? "timeout" : "io_error", 0);
                return;
            }
            var resp = ar.result();
            long[] n = new long[1];
            resp.handler(b -> n[0] += b.length());
            resp.exceptionHandler(e -> downloadDone(
                    d, a, e.getClass().getSimpleName().contains("Timeout") ? "timeout" : "io_error", n[0]));
            resp.endHandler(v -> {
                if (resp.statusCode() != 200) {
                    downloadDone(d, a, "http_" + resp.statusCode(), n[0]);
                    return;
                }
                String cl = resp.getHeader("Content-Length");
                downloadDone(d, a, cl != null && Long.parseLong(cl.strip()) != n[0] ? "size_mismatch" : null, n[0]);
            });
        });
    }

    private void downloadDone(VirtualDevice d, UpdateAnswer a, String error, long bytes) {
        downloadsInFlight.decrementAndGet();
        d.downloadEnded();
        downloadBytes.add(bytes);
        if (error != null) {
            count(downloadErrors, error);
            return;
        }
        downloadsCompleted.increment();
        String old = d.version();
        d.install(a.version());
        List<StatsEvent> events = new java.util.ArrayList<>();
        long now = System.currentTimeMillis();
        events.add(StatsEvent.of(d.info(), StatsAction.SET.wire(), a.version(), old, now));
        if (cfg.neverReady().contains(a.version())) {
            // The app never calls notifyAppReady: the watchdog rolls back, the bundle is marked failed and never
            // installed again by this device (docs/protocol.md §8.6, §2.4).
            events.add(StatsEvent.of(d.info(), StatsAction.UPDATE_FAIL.wire(), a.version(), old, now));
            d.failed(a.version());
            d.install(old);
            rolledBack.increment();
        } else {
            events.add(StatsEvent.of(d.info(), StatsAction.APP_LAUNCH_READY.wire(), a.version(), "", now));
        }
        if (cfg.sendStats() && !cfg.statsUrl().isEmpty()) {
            for (StatsEvent e : cfg.plugin().batchesStats() ? List.of(events.get(0)) : events) {
                Buffer body = Buffer.buffer(cfg.plugin().batchesStats() ? StatsEvent.toJsonArray(events) : e.toJson());
                web.postAbs(cfg.statsUrl())
                        .putHeader("Content-Type", "application/json")
                        .putHeader("User-Agent", userAgent)
                        .idleTimeout(cfg.timeoutMs())
                        .sendBuffer(body)
                        .onComplete(
                                ar -> (ar.succeeded() && ar.result().statusCode() / 100 == 2 ? statsPosts : statsErrors)
                                        .increment());
            }
        }
    }

    private static void count(Map<String, LongAdder> m, String key) {
        m.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** CPU time of this whole process (every thread), in ns; -1 when the JVM does not say. */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
    }

    private LoadReport report(double seconds, double cpuMicrosPerCheck) {
        long[] sorted = latencies.sorted();
        double mean = 0;
        for (long v : sorted) {
            mean += v;
        }
        mean = sorted.length == 0 ? 0 : mean / sorted.length / 1000.0;
        long done = completed.get();
        return new LoadReport(
                devices.length,
                seconds,
                cfg.rate(),
                sent.get(),
                done,
                sent.get() - done,
                behind.sum(),
                done / seconds,
                LatencyRecorder.percentileMs(sorted, 0.50),
                LatencyRecorder.percentileMs(sorted, 0.90),
                LatencyRecorder.percentileMs(sorted, 0.99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0,
                mean,
                snapshot(results),
                snapshot(failedCodes),
                snapshot(errors),
                downloadsStarted.sum(),
                downloadsCompleted.sum(),
                downloadBytes.sum(),
                snapshot(downloadErrors),
                statsPosts.sum(),
                statsErrors.sum(),
                rolledBack.sum(),
                cpuMicrosPerCheck,
                warmupSeconds);
    }

    private String osVersion() {
        return cfg.platform() == Platform.IOS ? "17.5" : "14";
    }

    /** A device of the load run: an identity and the version it runs. Its info object is encoded once per version. */
    private final class VirtualDevice {
        private final String deviceId;
        private volatile String version;
        private volatile ByteBuf body; // the encoded info object, shared read-only by every check of this device
        /** Bundles this device rolled back from: never downloaded again (the plugin's error state, §2.4). */
        private volatile java.util.Set<String> failed =
                java.util.Set.of(); // copied on the rare write: 100,000 small sets cost heap
        /** A download in flight: a check meanwhile does not start another (the bug was 12 downloads by 10 devices). */
        private final java.util.concurrent.atomic.AtomicBoolean downloading =
                new java.util.concurrent.atomic.AtomicBoolean();

        VirtualDevice(String deviceId, String version) {
            this.deviceId = deviceId;
            install(version);
        }

        String version() {
            return version;
        }

        synchronized void failed(String v) {
            java.util.Set<String> more = new java.util.HashSet<>(failed);
            more.add(v);
            failed = java.util.Set.copyOf(more);
        }

        /** Whether this device may start a download now (none in flight); if so, one is in flight from now. */
        boolean startDownload() {
            return downloading.compareAndSet(false, true);
        }

        void downloadEnded() {
            downloading.set(false);
        }

        boolean hasFailed(String v) {
            return failed.contains(v);
        }

        ByteBuf body() {
            return body;
        }

        void install(String v) {
            version = v;
            body = Unpooled.wrappedBuffer(info().toJson());
        }

        /** The info object (§1.4) of this device. */
        InfoObject info() {
            return InfoObject.builder()
                    .platform(cfg.platform())
                    .deviceId(deviceId)
                    .appId(cfg.appId())
                    .customId("")
                    .versionBuild(cfg.versionBuild())
                    .versionCode("1")
                    .versionOs(osVersion())
                    .versionName(version)
                    .pluginVersion(cfg.plugin().version())
                    .isEmulator(false)
                    .isProd(true)
                    .installSource(
                            cfg.platform() == Platform.ANDROID ? "" : null) // iOS omits an unknown install source
                    .defaultChannel(cfg.defaultChannel())
                    .keyId(cfg.keyId())
                    .build();
        }
    }
}
