package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.ExitCode;
import dev.updraft.cli.Json;
import dev.updraft.cli.Progress;
import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.DeltaPayloadWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The per-file payloads of a delta release (docs/protocol.md §7.2), written to an owner-only temporary folder and
 * named by their content (docs/cli-reference.md, "Delta updates"):
 * {@code <base>/<app id>/delta/<sha256 of file_hash>_<file_name>} for an unencrypted app, so an unchanged file keeps
 * its URL from release to release and is never uploaded twice, and
 * {@code <base>/<app id>/delta/<sha256 of ivSessionKey>/<sha256 of file_hash>_<file_name>} for an encrypted one,
 * whose payloads depend on the release's session key. {@link #close()} removes the folder.
 */
final class DeltaRelease implements AutoCloseable {
    /** Payloads are written on every core, and uploaded over this many connections. */
    private static final int UPLOADS_IN_PARALLEL = 8;

    /**
     * One manifest entry and its payload.
     *
     * @param fileName {@code file_name} as sent ({@code .br} when compressed)
     * @param fileHash {@code file_hash} as sent (plain, or the V3 signed form)
     * @param key      the payload's name below the base, not URL-encoded ({@code <app id>/delta/...}): its object key
     *                 in an S3 bucket
     * @param url      where the payload goes and devices download it
     * @param size     the payload's size in bytes
     * @param sha256   the SHA-256 of the payload's bytes, to compare with an object already on the store
     */
    record Entry(String fileName, String fileHash, String key, URI url, Path payload, long size, String sha256) {}

    /** Where the payloads go: an HTTP store ({@link StoreUpload}) or an S3 bucket; true when this put created it. */
    interface PayloadStore {
        boolean put(Entry e);
    }

    /** What the upload did: payloads put on the store, and those it already held. */
    record Uploaded(int created, int present) {}

    private final Path folder;
    private final List<Entry> entries;

    private DeltaRelease(Path folder, List<Entry> entries) {
        this.folder = folder;
        this.entries = entries;
    }

    /**
     * Writes every file's payload.
     *
     * @param ivSessionKey the release's session key string, or null for an unencrypted app
     * @param mayCompress  whether a file may be Brotli-compressed ({@code --no-brotli-patterns})
     */
    static DeltaRelease prepare(
            List<DeltaFiles.DeltaFile> files,
            DeltaPayloadWriter writer,
            Function<String, Boolean> mayCompress,
            URI base,
            String appId,
            String ivSessionKey,
            Progress progress)
            throws IOException {
        Path folder = Files.createTempDirectory("updraft-delta-");
        String prefix = appId + "/delta/" + (ivSessionKey == null ? "" : sha256(ivSessionKey) + "/");
        String baseUrl = trimmed(base) + "/";
        AtomicLong done = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.max(1, Math.min(files.size(), Runtime.getRuntime().availableProcessors())));
        try {
            List<Future<Entry>> written = new ArrayList<>();
            for (DeltaFiles.DeltaFile f : files) {
                written.add(pool.submit(() -> {
                    Path out = folder.resolve("p" + next.getAndIncrement());
                    DeltaPayloadWriter.Payload p = writer.write(f.path(), f.name(), mayCompress.apply(f.name()), out);
                    synchronized (progress) {
                        progress.advanced(done.addAndGet(f.size()));
                    }
                    String key = prefix + sha256(p.fileHash()) + "_" + p.fileName();
                    return new Entry(
                            p.fileName(),
                            p.fileHash(),
                            key,
                            URI.create(baseUrl + encodePath(key)),
                            out,
                            p.size(),
                            BundleChecksum.of(out).hex());
                }));
            }
            List<Entry> entries = new ArrayList<>();
            for (Future<Entry> w : written) {
                entries.add(get(w));
            }
            return new DeltaRelease(folder, List.copyOf(entries));
        } catch (RuntimeException | IOException e) {
            deleteFolder(folder);
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    List<Entry> entries() {
        return entries;
    }

    long compressed() {
        return entries.stream()
                .filter(e -> e.fileName().endsWith(DeltaPayloadWriter.BROTLI_SUFFIX))
                .count();
    }

    long bytes() {
        return entries.stream().mapToLong(Entry::size).sum();
    }

    /** The manifest of the registration ({@code BundleIn.manifest}, docs/admin-api.md). */
    ArrayNode manifestJson() {
        ArrayNode manifest = Json.MAPPER.createArrayNode();
        for (Entry e : entries) {
            manifest.addObject()
                    .put("file_name", e.fileName())
                    .put("file_hash", e.fileHash())
                    .put("download_url", e.url().toString())
                    .put("size", e.size());
        }
        return manifest;
    }

    /**
     * Puts every payload the store does not hold yet, never over another object ({@link StoreUpload#putPayload}, or
     * the bucket's {@code S3Uploader#put}).
     */
    Uploaded upload(PayloadStore store, Progress progress) {
        AtomicInteger created = new AtomicInteger();
        AtomicInteger present = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(UPLOADS_IN_PARALLEL, entries.size()));
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (Entry e : entries) {
                sent.add(pool.submit(() -> {
                    (store.put(e) ? created : present).incrementAndGet();
                    synchronized (progress) {
                        progress.advanced(done.addAndGet(e.size()));
                    }
                    return null;
                }));
            }
            for (Future<?> s : sent) {
                get(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the store reports its failures as CliExceptions
        } finally {
            pool.shutdownNow();
        }
        return new Uploaded(created.get(), present.get());
    }

    private static <T> T get(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.FAILED, "interrupted", "interrupted while preparing the delta payloads");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Each segment percent-encoded (RFC 3986 unreserved characters kept), the {@code /} between them kept. */
    static String encodePath(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '/') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    static String sha256(String text) {
        return java.util.HexFormat.of().formatHex(Publisher.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String trimmed(URI base) {
        String b = base.toString();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return b;
    }

    @Override
    public void close() {
        deleteFolder(folder);
    }

    /** Removes a temporary folder and what is in it; null: nothing to remove. */
    static void deleteFolder(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder: the OS cleans it up eventually
        }
    }
}
