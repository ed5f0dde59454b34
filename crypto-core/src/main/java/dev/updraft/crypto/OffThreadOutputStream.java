package dev.updraft.crypto;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes to the stream it wraps on a helper thread, so that what the caller does next (decrypting the next chunk)
 * overlaps with it (hashing and writing this one). What is written is gathered into one of two buffers and handed
 * over only when that buffer is full (or on {@code flush} and {@code close}): the helper reads one while the caller
 * fills the other, and at most one chunk is in flight. Gathering keeps the hand-overs few however small the writes
 * are: a download arrives in network-sized pieces, and a hand-over per 8 KB piece cost a simulated device 13-46 ms
 * on 5 MB (docs/performance.md). A failure of the wrapped stream comes out of the next hand-over, {@code flush} or
 * {@code close}. One writer at a time.
 */
final class OffThreadOutputStream extends OutputStream {
    private final OutputStream out;
    private final byte[][] buffers;
    private final SideThread helper = new SideThread();
    private int current;
    private int filled; // bytes gathered in buffers[current], not handed over yet
    private boolean closed;

    OffThreadOutputStream(OutputStream out, int chunkBytes) {
        this.out = out;
        this.buffers = new byte[][] {new byte[chunkBytes], new byte[chunkBytes]};
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("the stream is closed");
        }
        while (len > 0) {
            byte[] chunk = buffers[current]; // not the one in flight: the helper has at most the other buffer
            int n = Math.min(len, chunk.length - filled);
            System.arraycopy(b, off, chunk, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == chunk.length) {
                handOver();
            }
        }
    }

    /** Gives the gathered bytes to the helper (after the chunk in flight is done) and switches buffers. */
    private void handOver() throws IOException {
        if (filled == 0) {
            return;
        }
        byte[] chunk = buffers[current];
        int n = filled;
        filled = 0;
        current ^= 1;
        helper.submit(() -> out.write(chunk, 0, n)); // waits for the previous chunk first
    }

    @Override
    public void flush() throws IOException {
        handOver();
        helper.await();
        out.flush();
    }

    /** Waits for the chunk in flight, then closes the wrapped stream (also when that chunk failed). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (out) {
            handOver();
            helper.await();
        } finally {
            helper.close();
        }
    }
}
