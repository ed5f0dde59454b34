package dev.updraft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-over to the helper thread: bytes kept whole and in order, gathered into full chunks, failures surfaced. */
class OffThreadOutputStreamTest {
    /** Records every write it gets (on the helper thread) and keeps the bytes. */
    static final class Recording extends OutputStream {
        final List<Integer> writes = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean closed;

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes.add(len);
            bytes.write(b, off, len);
        }

        @Override
        public synchronized void close() {
            closed = true;
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void smallWritesReachTheWrappedStreamAsFullChunks() throws IOException {
        Recording out = new Recording();
        byte[] data = random(100_000, 1);
        try (OffThreadOutputStream s = new OffThreadOutputStream(out, 4096)) {
            for (int off = 0; off < data.length; off += 100) {
                s.write(data, off, 100); // like a download's network-sized pieces
            }
        }
        assertThat(out.bytes.toByteArray()).isEqualTo(data);
        assertThat(out.writes).hasSize(25); // 24 full chunks and the rest, not 1,000 hand-overs
        assertThat(out.writes.subList(0, 24)).containsOnly(4096);
        assertThat(out.writes.get(24)).isEqualTo(100_000 - 24 * 4096);
        assertThat(out.closed).isTrue();
    }

    @Test
    void writesOfEverySizeKeepTheBytesInOrder() throws IOException {
        Recording out = new Recording();
        byte[] data = random(300_000, 2);
        Random sizes = new Random(3);
        try (OffThreadOutputStream s = new OffThreadOutputStream(out, 8192)) {
            for (int off = 0; off < data.length; ) {
                int n = Math.min(data.length - off, sizes.nextInt(20_000) + 1); // below, at and above a chunk
                s.write(data, off, n);
                off += n;
            }
        }
        assertThat(out.bytes.toByteArray()).isEqualTo(data);
        assertThat(out.writes.subList(0, out.writes.size() - 1)).containsOnly(8192);
    }

    @Test
    void flushHandsOverWhatIsGathered() throws IOException {
        Recording out = new Recording();
        try (OffThreadOutputStream s = new OffThreadOutputStream(out, 4096)) {
            s.write(new byte[] {1, 2, 3}, 0, 3);
            s.flush();
            synchronized (out) {
                assertThat(out.bytes.toByteArray()).containsExactly(1, 2, 3);
            }
        }
        assertThat(out.writes).containsExactly(3);
    }

    @Test
    void aFailureOfTheWrappedStreamComesOutOfALaterWriteOrClose() throws IOException {
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }
        };
        OffThreadOutputStream s = new OffThreadOutputStream(failing, 1024);
        s.write(new byte[1024], 0, 1024); // a full chunk: handed over, fails on the helper
        assertThatThrownBy(() -> {
                    s.write(new byte[1024], 0, 1024); // the next hand-over waits for it
                    s.close();
                })
                .isInstanceOf(IOException.class)
                .hasMessageContaining("disk full");

        OffThreadOutputStream partial = new OffThreadOutputStream(failing, 1024);
        partial.write(new byte[10], 0, 10); // gathered only: the failure comes at close
        assertThatThrownBy(partial::close).isInstanceOf(IOException.class).hasMessageContaining("disk full");
    }
}
