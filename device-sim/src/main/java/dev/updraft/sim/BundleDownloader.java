package dev.updraft.sim;

import dev.updraft.crypto.BundleSink;
import dev.updraft.crypto.BundleVerifier;
import dev.updraft.crypto.CryptoException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one bundle zip the way the Android download worker does (spec §8.1), and verifies it in the same pass.
 * <ul>
 *   <li>A plain GET, no custom headers. The bytes go to {@code files/temp_<id>.tmp}; {@code files/update_<id>.dat}
 *       records what is being downloaded, so a later process can resume it.</li>
 *   <li>Resume: {@code Range: bytes=<downloaded>-}. A 200 answer restarts from 0; a 206 must carry a
 *       {@code Content-Range} whose start is the offset and which has a total, or the attempt is retried from 0.
 *       A 416 on a resume is taken as "already complete" (§7.3).</li>
 *   <li>The final size must equal {@code Content-Length} (200) or the {@code Content-Range} total (206).</li>
 *   <li>408, 429, 5xx and I/O errors (including a read timeout) are retried with exponential backoff, a bounded
 *       number of times (WorkManager retries; the simulator caps it, {@link DeviceConfig#downloadAttempts()}).
 *       Other HTTP statuses fail at once.</li>
 *   <li>Every byte goes through crypto-core's {@link BundleSink} as it arrives (decrypt, hash); on a resume the
 *       partial file is replayed into a fresh sink first. Closing it gives the verdict, and only a bundle that
 *       passed appears as the plain zip.</li>
 * </ul>
 */
final class BundleDownloader {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+)");
    private static final int REPLAY_BUFFER = 64 * 1024;

    /** Told how far the transfer is: bytes of the file present so far, and the total (-1 when unknown). */
    interface Progress {
        void advanced(long have, long total);
    }

    /**
     * The outcome.
     *
     * @param failure       null when the file arrived whole; else {@code http_<status>}, {@code retries_exhausted},
     *                      {@code size_mismatch} or {@code io_error}
     * @param cryptoFailure set when the file arrived but did not verify (decrypt or checksum)
     * @param plainZip      the verified plaintext zip, when both are null
     */
    record Result(
            String failure,
            String detail,
            CryptoException cryptoFailure,
            Path plainZip,
            long networkBytes,
            int attempts,
            long resumedFrom,
            long size) {
        boolean ok() {
            return failure == null && cryptoFailure == null;
        }
    }

    private final DeviceHttp http;
    private final DeviceState state;
    private final DeviceConfig config;
    private final SimClock clock;
    private final BooleanSupplier killed;

    BundleDownloader(DeviceHttp http, DeviceState state, DeviceConfig config, SimClock clock, BooleanSupplier killed) {
        this.http = http;
        this.state = state;
        this.config = config;
        this.clock = clock;
        this.killed = killed;
    }

    /** Whether a resumable partial download of this exact bundle exists for {@code id}. */
    boolean hasPartial(String id, JsonObject job) {
        JsonObject saved = readRecord(id);
        return saved != null && saved.equals(job) && Files.exists(state.partialFile(id));
    }

    static JsonObject job(String version, String url, String checksum, String sessionKey) {
        return new JsonObject()
                .put("version", version)
                .put("url", url)
                .put("checksum", checksum)
                .put("session_key", sessionKey);
    }

    /** Downloads and checks with {@code verifier}; null (only with {@link Deviation#SKIP_CHECKSUM}) checks nothing. */
    Result download(String id, JsonObject job, BundleVerifier verifier, Progress progress) throws IOException {
        Path partial = state.partialFile(id);
        Path plainZip = state.cacheDir().resolve("plain_" + id + ".zip");
        if (!hasPartial(id, job)) {
            Files.deleteIfExists(partial);
            DeviceState.writeAtomically(state.resumeRecord(id), job.encode());
        }
        // One pass: what is already on disk is replayed into a fresh sink, then network bytes go to the partial file
        // and the sink together. The plain zip appears only when the sink's check passed.
        Transfer t = transfer(
                job.getString("url"),
                partial,
                () -> {
                    if (verifier == null) {
                        return unchecked(plainZip);
                    }
                    BundleSink sink = verifier.newSink(plainZip);
                    return new Receiver() {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            sink.write(b, off, len);
                        }

                        @Override
                        public void discard() {
                            sink.discard();
                        }

                        @Override
                        public CryptoException verdict() throws IOException {
                            try {
                                sink.close();
                                return null;
                            } catch (CryptoException e) {
                                return e;
                            }
                        }
                    };
                },
                progress);
        discard(id, partial);
        if (t.failure() != null) {
            return new Result(
                    t.failure(), t.detail(), null, null, t.networkBytes(), t.attempts(), t.resumedFrom(), t.size());
        }
        CryptoException verdict = t.receiver().verdict();
        return new Result(
                null,
                null,
                verdict,
                verdict == null ? plainZip : null,
                t.networkBytes(),
                t.attempts(),
                t.resumedFrom(),
                t.size());
    }

    /** No checksum gate at all ({@link Deviation#SKIP_CHECKSUM} on a plain bundle): the bytes are the plain zip. */
    private static Receiver unchecked(Path plainZip) throws IOException {
        java.io.OutputStream out = Files.newOutputStream(plainZip);
        return new Receiver() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void discard() {
                try {
                    out.close();
                    Files.deleteIfExists(plainZip);
                } catch (IOException e) {
                    // the bytes are thrown away anyway
                }
            }

            @Override
            public CryptoException verdict() throws IOException {
                out.close();
                return null;
            }
        };
    }

    /** Takes the bytes of a transfer as they arrive (the zip's checksum gate), or nothing ({@link #FILE_ONLY}). */
    interface Receiver {
        void write(byte[] b, int off, int len) throws IOException;

        void discard();

        /** After the whole file arrived: null when it passed, else why not. */
        CryptoException verdict() throws IOException;
    }

    /** The bytes only go to the partial file (a delta payload, read through crypto-core once it is whole). */
    static final Receiver FILE_ONLY = new Receiver() {
        @Override
        public void write(byte[] b, int off, int len) {}

        @Override
        public void discard() {}

        @Override
        public CryptoException verdict() {
            return null;
        }
    };

    interface ReceiverFactory {
        Receiver open() throws IOException;
    }

    /**
     * How one transfer ended: {@code failure} null when the file is whole in the partial file (its receiver then
     * holds every byte, still open for its verdict); else {@code http_<status>}, {@code retries_exhausted} or
     * {@code size_mismatch}. The partial file is left to the caller.
     */
    record Transfer(
            String failure,
            String detail,
            Receiver receiver,
            long networkBytes,
            int attempts,
            long resumedFrom,
            long size) {}

    /**
     * Moves the file at {@code url} into {@code partial}, resuming from what is already there (§8.1): a plain GET,
     * {@code Range: bytes=<have>-} on a resume, 200 restarts, 206 must match, 416 on a resume is complete, retries on
     * 408/429/5xx/I-O with backoff, the size checked against {@code Content-Length} or the {@code Content-Range} total.
     * Each attempt gets a fresh receiver, fed the bytes already on disk first.
     */
    Transfer transfer(String url, Path partial, ReceiverFactory receivers, Progress progress) throws IOException {
        if (!Files.exists(partial)) {
            Files.createDirectories(partial.getParent());
            Files.createFile(partial);
        }
        long resumedFrom = Files.size(partial);
        long networkBytes = 0;
        String lastFailure = null;
        for (int attempt = 1; attempt <= config.downloadAttempts(); attempt++) {
            if (attempt > 1) {
                sleepBackoff(attempt);
            }
            checkAlive();
            long offset = Files.size(partial);
            Map<String, String> headers = new HashMap<>();
            if (offset > 0) {
                headers.put("Range", "bytes=" + offset + "-");
            }
            StreamingResponse resp;
            try {
                resp = http.stream(url, headers, config.downloadTimeoutMs());
            } catch (IOException e) {
                lastFailure = "io_error: " + e.getMessage();
                continue;
            }
            try (resp) {
                int status = resp.status();
                long total;
                if (status == 200) {
                    if (offset > 0) {
                        truncate(partial); // §8.1: a 200 restarts from 0
                        offset = 0;
                    }
                    total = parseLong(resp.header("Content-Length"));
                } else if (status == 206) {
                    Matcher m = resp.header("Content-Range") == null
                            ? null
                            : CONTENT_RANGE.matcher(resp.header("Content-Range").strip());
                    if (m == null || !m.matches() || Long.parseLong(m.group(1)) != offset) {
                        truncate(partial); // a range we did not ask for: start over
                        lastFailure = "bad_content_range: " + resp.header("Content-Range");
                        continue;
                    }
                    total = Long.parseLong(m.group(3));
                } else if (status == 416 && offset > 0) {
                    total = offset; // §7.3: 416 on a resume means the file is complete
                } else if (status == 408 || status == 429 || status >= 500) {
                    lastFailure = "http_" + status;
                    continue;
                } else {
                    return new Transfer(
                            "http_" + status,
                            "HTTP " + status + " from " + url,
                            null,
                            networkBytes,
                            attempt,
                            resumedFrom,
                            0);
                }
                progress.advanced(offset, total);
                long have = offset;
                Receiver receiver = receivers.open();
                try {
                    replay(partial, offset, receiver);
                    try (FileChannel out =
                            FileChannel.open(partial, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                        if (status != 416) {
                            for (Buffer chunk; (chunk = resp.read(config.downloadTimeoutMs(), killed)) != null; ) {
                                byte[] bytes = chunk.getBytes();
                                out.write(ByteBuffer.wrap(bytes));
                                receiver.write(bytes, 0, bytes.length);
                                have += bytes.length;
                                networkBytes += bytes.length;
                                progress.advanced(have, total);
                            }
                        }
                    }
                } catch (IOException e) {
                    receiver.discard();
                    lastFailure = "io_error: " + e.getMessage(); // keep the partial file: the next attempt resumes
                    continue;
                } catch (RuntimeException e) {
                    receiver.discard(); // killed
                    throw e;
                }
                if (total >= 0 && have != total) {
                    receiver.discard();
                    return new Transfer(
                            "size_mismatch",
                            "received " + have + " bytes, announced " + total,
                            null,
                            networkBytes,
                            attempt,
                            resumedFrom,
                            have);
                }
                return new Transfer(null, null, receiver, networkBytes, attempt, resumedFrom, have);
            }
        }
        return new Transfer(
                "retries_exhausted", lastFailure, null, networkBytes, config.downloadAttempts(), resumedFrom, 0);
    }

    /** Feeds the first {@code length} bytes of the partial file to the receiver (a resume, §8.1). */
    private static void replay(Path partial, long length, Receiver sink) throws IOException {
        if (length == 0) {
            return;
        }
        try (InputStream in = Files.newInputStream(partial)) {
            byte[] buf = new byte[REPLAY_BUFFER];
            long left = length;
            for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; ) {
                sink.write(buf, 0, n);
                left -= n;
            }
        }
    }

    private void sleepBackoff(int attempt) {
        long delay = config.downloadBackoffMs() << Math.min(attempt - 2, 10);
        try {
            clock.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceKilledException();
        }
    }

    private void checkAlive() {
        if (killed.getAsBoolean()) {
            throw new DeviceKilledException();
        }
    }

    private void discard(String id, Path partial) throws IOException {
        Files.deleteIfExists(partial);
        Files.deleteIfExists(state.resumeRecord(id));
    }

    private static void truncate(Path partial) throws IOException {
        try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    private JsonObject readRecord(String id) {
        try {
            Path f = state.resumeRecord(id);
            return Files.exists(f) ? new JsonObject(Files.readString(f, StandardCharsets.UTF_8)) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long parseLong(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
