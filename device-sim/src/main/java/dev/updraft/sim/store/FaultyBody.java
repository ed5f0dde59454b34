package dev.updraft.sim.store;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams a byte range of a file with a body fault applied ({@link FaultKind}: truncate, drop, hang, wrong length,
 * slow, flipped byte), reading through Vert.x's asynchronous file system, never blocking the event loop.
 */
final class FaultyBody {
    private static final int CHUNK = 64 * 1024;

    private final Vertx vertx;
    private final AtomicLong throttled;
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

    /** @param throttled adds up the waits of the {@code slow} fault (its schedule, for tests) */
    FaultyBody(Vertx vertx, AtomicLong throttled, HttpServerRequest req, Path file, ByteRange range, Fault fault) {
        this.vertx = vertx;
        this.throttled = throttled;
        this.req = req;
        this.resp = req.response();
        this.file = file;
        this.start = range.start();
        this.length = range.length();
        this.total = range.total();
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
