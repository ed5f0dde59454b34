package dev.updraft.sim;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A response body read by a plain (non-Vert.x) thread, chunk by chunk, with back-pressure: the event loop queues
 * what arrives and pauses the connection when the reader falls behind. This is how a device writes a download to
 * disk and through the decrypting, hashing sink without blocking an event loop.
 */
public final class StreamingResponse implements AutoCloseable {
    private static final Object END = new Object();
    // Bytes queued, not chunks: chunks are up to DeviceHttp.DOWNLOAD_CHUNK (64 KB) on plain HTTP, smaller over TLS,
    // and a fleet's parallel downloads each hold at most about this much.
    static final int HIGH_WATER_BYTES = 512 * 1024;
    private static final int LOW_WATER_BYTES = 128 * 1024;
    private static final long POLL_MS = 50;

    private final HttpClientResponse response;
    private final Context context;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicInteger queuedBytes = new AtomicInteger();
    private volatile boolean finished;
    private volatile boolean ended; // the whole body has arrived (the connection may already serve another request)

    StreamingResponse(HttpClientResponse response, Context context) {
        this.response = response;
        this.context = context;
    }

    /** Installs the handlers; called on the event loop as soon as the response head arrives. */
    void attach() {
        response.handler(buf -> {
            queue.add(buf);
            if (queuedBytes.addAndGet(buf.length()) > HIGH_WATER_BYTES && paused.compareAndSet(false, true)) {
                response.pause();
            }
        });
        response.endHandler(v -> {
            ended = true;
            queue.add(END);
        });
        response.exceptionHandler(queue::add);
    }

    /** Bytes that arrived and are not read yet (bounded by the back-pressure: about HIGH_WATER_BYTES and a chunk). */
    int queuedBytes() {
        return queuedBytes.get();
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.getHeader(name);
    }

    /**
     * The next chunk of the body, or null at its end.
     *
     * @param idleTimeoutMs fail when no byte arrives for this long
     * @param cancelled     checked while waiting; when true, throws {@link DeviceKilledException}
     * @throws IOException when the connection fails or is closed early, or on the idle timeout
     */
    public Buffer read(long idleTimeoutMs, BooleanSupplier cancelled) throws IOException {
        long waited = 0;
        while (true) {
            if (cancelled.getAsBoolean()) {
                throw new DeviceKilledException();
            }
            Object item;
            try {
                item = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeviceKilledException();
            }
            if (item == null) {
                waited += POLL_MS;
                if (waited >= idleTimeoutMs) {
                    throw new SocketTimeoutException("no data for " + idleTimeoutMs + " ms");
                }
                continue;
            }
            if (item instanceof Buffer chunk
                    && queuedBytes.addAndGet(-chunk.length()) < LOW_WATER_BYTES
                    && paused.compareAndSet(true, false)) {
                context.runOnContext(v -> response.resume());
            }
            if (item == END) {
                finished = true;
                return null;
            }
            if (item instanceof Throwable t) {
                finished = true;
                throw t instanceof IOException io
                        ? io
                        : new IOException(t.getMessage() == null ? t.toString() : t.getMessage(), t);
            }
            return (Buffer) item;
        }
    }

    /** Aborts the exchange if the body was not read to its end (the connection is closed, as a phone would). */
    @Override
    public void close() {
        if (!finished) {
            finished = true;
            // Checked again on the event loop: a response that ended meanwhile left a clean, reusable connection.
            context.runOnContext(v -> {
                if (!ended) {
                    response.request().reset();
                }
            });
        }
    }
}
