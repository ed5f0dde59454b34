package dev.updraft.crypto;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes to the stream it wraps on a helper thread, so that what the caller does next (decrypting the next chunk)
 * overlaps with it (hashing and writing this one). Each chunk is copied into one of two buffers: the helper reads
 * one while the caller fills the other, and at most one chunk is in flight. A failure of the wrapped stream comes
 * out of the next {@code write}, {@code flush} or {@code close}. One writer at a time.
 */
final class OffThreadOutputStream extends OutputStream {
    private final OutputStream out;
    private final byte[][] buffers;
    private final SideThread helper = new SideThread();
    private int current;
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
            int n = Math.min(len, buffers[current].length);
            byte[] chunk = buffers[current]; // not the one in flight: the helper has at most the other buffer
            System.arraycopy(b, off, chunk, 0, n);
            helper.submit(() -> out.write(chunk, 0, n)); // waits for the previous chunk first
            current ^= 1;
            off += n;
            len -= n;
        }
    }

    @Override
    public void flush() throws IOException {
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
            helper.await();
        } finally {
            helper.close();
        }
    }
}
