package dev.updraft.crypto;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A helper thread for the streaming paths: while the calling thread encrypts or decrypts one chunk, the helper hashes
 * (and writes) another. At most one task is in flight; {@link #submit} first waits for the previous one, so a caller
 * alternating between two buffers never touches a buffer the helper is still reading. The thread is a daemon and
 * ends a second after its last task, so an abandoned stream leaks nothing.
 */
final class SideThread implements AutoCloseable {
    /** A task that may fail with an I/O error. */
    interface Task {
        void run() throws IOException;
    }

    private final ExecutorService executor =
            new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "updraft-stream");
                t.setDaemon(true);
                return t;
            });
    private Future<?> inFlight;

    /** Waits for the previous task, then starts {@code task} on the helper thread. */
    void submit(Task task) throws IOException {
        await();
        inFlight = executor.submit(() -> {
            try {
                task.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Waits for the task in flight, if any, and rethrows its failure. */
    void await() throws IOException {
        Future<?> f = inFlight;
        if (f == null) {
            return;
        }
        inFlight = null;
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the stream's helper thread");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IllegalStateException("the stream's helper thread failed", e.getCause());
        }
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
