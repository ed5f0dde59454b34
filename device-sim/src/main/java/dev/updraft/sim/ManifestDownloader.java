package dev.updraft.sim;

import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.CryptoException;
import dev.updraft.crypto.DeltaPayloadReader;
import dev.updraft.crypto.DeltaPayloadReader.DeltaFile;
import dev.updraft.crypto.zip.SafeUnzip;
import dev.updraft.protocol.ManifestEntry;
import dev.updraft.protocol.StatsAction;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The plugin's delta (manifest) download (docs/protocol.md §7.4), the mechanics behind {@link SimulatedDevice}'s
 * decisions:
 * <ol>
 *   <li>{@link #validate}: every entry is checked before anything is fetched or written (crypto-core's
 *       {@link DeltaPayloadReader#file}: the path rules, the hash recovered), and two entries that land on the same
 *       file once {@code .br} is removed fail the whole manifest ({@code manifest_path_fail}).</li>
 *   <li>{@link #install}: per entry, in parallel ({@link #workerCount()} workers, as Android), the first match wins:
 *       a built-in asset of the app with that SHA-256 ({@link DeviceConfig#builtinAssets()}), the device's cache
 *       {@code cache/capgo_downloads/<sha256>_<basename>} (trusted when non-empty, as the plugin does), else the
 *       payload is downloaded with Range resume into {@code files/temp_<id>/<n>.part} ({@link BundleDownloader#transfer})
 *       and read through crypto-core (decrypt, Brotli, hash, publish only on a match).</li>
 * </ol>
 * The bundle is built in {@code cache/capgo_unzip_<random>} and moved to {@code files/versions/<id>} (after the
 * flatten rule) only when every file passed; after a failure nothing of it is left. {@link #fillCache} puts the files
 * of an installed bundle into the cache for the next delta.
 */
final class ManifestDownloader {
    /** Where each file came from. */
    enum Source {
        BUILTIN,
        CACHE,
        DOWNLOAD
    }

    /** One entry that failed: the stat the plugin sends for it (with {@code "<version>:<file_name>"}) and why. */
    record FileFailure(String fileName, StatsAction stat, String detail) {}

    /** A manifest refused before any download. */
    static final class Refused extends Exception {
        private final FileFailure failure;

        Refused(FileFailure failure) {
            super(failure.detail());
            this.failure = failure;
        }

        FileFailure failure() {
            return failure;
        }
    }

    /**
     * How an install ended.
     *
     * @param failures     empty when the bundle is in place
     * @param networkBytes payload bytes received from the network (a resumed file counts only the new bytes)
     * @param downloaded   files fetched from the network
     * @param reused       files taken from the built-in assets or the cache
     * @param attempts     HTTP attempts over all files
     */
    record Result(List<FileFailure> failures, long networkBytes, int downloaded, int reused, int attempts, long size) {
        boolean ok() {
            return failures.isEmpty();
        }
    }

    private final BundleDownloader downloader;
    private final DeviceState state;
    private final DeviceConfig config;

    ManifestDownloader(BundleDownloader downloader, DeviceState state, DeviceConfig config) {
        this.downloader = downloader;
        this.state = state;
        this.config = config;
    }

    /** Android's download workers: min(64, max(8, 2 × cores)) (docs/protocol.md §7.4). */
    static int workerCount() {
        return Math.min(64, Math.max(8, 2 * Runtime.getRuntime().availableProcessors()));
    }

    /** Checks every entry before any download; the first bad one refuses the whole manifest. */
    static List<DeltaFile> validate(DeltaPayloadReader reader, List<ManifestEntry> entries) throws Refused {
        List<DeltaFile> files = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        for (ManifestEntry e : entries) {
            try {
                DeltaFile f = reader.file(e.fileName(), e.fileHash());
                if (!targets.add(f.path())) {
                    throw new CryptoException(
                            CryptoException.Failure.MANIFEST_ENTRY_INVALID,
                            "two manifest entries name the file '" + f.path() + "' (with and without .br, or twice)");
                }
                files.add(f);
            } catch (CryptoException ex) {
                throw new Refused(new FileFailure(e.fileName(), StatsAction.MANIFEST_PATH_FAIL, ex.getMessage()));
            }
        }
        return files;
    }

    /** Whether an interrupted install of this exact manifest left partial files for {@code id}. */
    boolean hasPartial(String id, JsonObject job) {
        try {
            Path record = state.resumeRecord(id);
            return Files.isDirectory(state.manifestPartialDir(id))
                    && Files.exists(record)
                    && new JsonObject(Files.readString(record, StandardCharsets.UTF_8)).equals(job);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Builds bundle {@code id} from the manifest. {@code progress} is told the files done and the total, on the
     * calling thread.
     */
    Result install(
            String id,
            JsonObject job,
            List<ManifestEntry> entries,
            List<DeltaFile> files,
            BundleDownloader.Progress progress)
            throws IOException {
        Path partials = state.manifestPartialDir(id);
        if (!hasPartial(id, job)) {
            DeviceState.deleteTree(partials);
            DeviceState.writeAtomically(state.resumeRecord(id), job.encode());
        }
        Files.createDirectories(partials);
        Path build = state.cacheDir()
                .resolve("capgo_unzip_" + UUID.randomUUID().toString().replace("-", ""));
        Files.createDirectories(build);
        ExecutorService workers =
                Executors.newFixedThreadPool(Math.min(workerCount(), Math.max(1, files.size())), r -> {
                    Thread t = new Thread(r, "capgo-manifest-worker");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<Future<FileResult>> futures = new ArrayList<>();
            AtomicInteger index = new AtomicInteger();
            for (int i = 0; i < files.size(); i++) {
                DeltaFile f = files.get(i);
                ManifestEntry e = entries.get(i);
                int n = index.getAndIncrement();
                futures.add(workers.submit(() -> fetch(f, e, build, partials.resolve(n + ".part"))));
            }
            List<FileFailure> failures = new ArrayList<>();
            long bytes = 0;
            long size = 0;
            int downloaded = 0;
            int reused = 0;
            int attempts = 0;
            for (int i = 0; i < futures.size(); i++) {
                FileResult r = join(futures.get(i));
                bytes += r.networkBytes();
                attempts += r.attempts();
                size += r.size();
                if (r.failure() != null) {
                    failures.add(r.failure());
                } else if (r.source() == Source.DOWNLOAD) {
                    downloaded++;
                } else {
                    reused++;
                }
                progress.advanced(i + 1, futures.size());
            }
            if (failures.isEmpty()) {
                Files.move(SafeUnzip.flattenRoot(build), state.bundleDir(id)); // §7.4: flattened like a zip
            }
            DeviceState.deleteTree(partials);
            Files.deleteIfExists(state.resumeRecord(id));
            return new Result(List.copyOf(failures), bytes, downloaded, reused, attempts, size);
        } finally {
            workers.shutdownNow();
            DeviceState.deleteTree(
                    build); // what is left of it: everything after a failure, an empty shell after a flatten
        }
    }

    private record FileResult(Source source, FileFailure failure, long networkBytes, int attempts, long size) {}

    /** One entry: built-in asset, cache, or download (the first match wins). */
    private FileResult fetch(DeltaFile f, ManifestEntry e, Path build, Path partial) throws IOException {
        Path target;
        try {
            target = f.target(build);
        } catch (CryptoException ex) {
            return failed(f, StatsAction.MANIFEST_PATH_FAIL, ex.getMessage(), 0, 0);
        }
        String hex = f.checksum().hex();
        Path builtin = builtinCopy(f);
        if (builtin != null) {
            return copied(builtin, target, Source.BUILTIN);
        }
        Path cached = cacheFile(hex, f.path());
        if (Files.isRegularFile(cached, LinkOption.NOFOLLOW_LINKS) && Files.size(cached) > 0) {
            return copied(cached, target, Source.CACHE);
        }
        if (!UpdatePolicy.validUrl(e.downloadUrl())) {
            return failed(
                    f,
                    StatsAction.DOWNLOAD_MANIFEST_FILE_FAIL,
                    "no valid download_url: '" + e.downloadUrl() + "'",
                    0,
                    0);
        }
        BundleDownloader.Transfer t =
                downloader.transfer(e.downloadUrl(), partial, () -> BundleDownloader.FILE_ONLY, (have, total) -> {});
        if (t.failure() != null) {
            Files.deleteIfExists(partial);
            return failed(
                    f,
                    StatsAction.DOWNLOAD_MANIFEST_FILE_FAIL,
                    t.failure() + (t.detail() == null ? "" : " (" + t.detail() + ")"),
                    t.networkBytes(),
                    t.attempts());
        }
        try (InputStream in = Files.newInputStream(partial)) {
            f.read(in, build);
        } catch (CryptoException ex) {
            return failed(f, ex.failure().manifestStat(), ex.getMessage(), t.networkBytes(), t.attempts());
        } finally {
            Files.deleteIfExists(partial);
        }
        return new FileResult(Source.DOWNLOAD, null, t.networkBytes(), t.attempts(), Files.size(target));
    }

    /** A built-in asset at the same path whose SHA-256 is the entry's (Android: {@code assets/public/<name>}). */
    private Path builtinCopy(DeltaFile f) throws IOException {
        Path assets = config.builtinAssets();
        if (assets == null) {
            return null;
        }
        Path candidate;
        try {
            candidate = f.target(assets);
        } catch (CryptoException ex) {
            return null;
        }
        if (!Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return BundleChecksum.of(candidate).equals(f.checksum()) ? candidate : null;
    }

    private static FileResult copied(Path from, Path target, Source source) throws IOException {
        Files.createDirectories(target.getParent());
        Files.copy(from, target);
        return new FileResult(source, null, 0, 0, Files.size(target));
    }

    private static FileResult failed(DeltaFile f, StatsAction stat, String detail, long bytes, int attempts) {
        return new FileResult(null, new FileFailure(f.fileName(), stat, detail), bytes, attempts, 0);
    }

    private Path cacheFile(String sha256, String path) {
        return state.deltaCacheDir().resolve(sha256 + "_" + basename(path));
    }

    /**
     * After an install (A-CU {@code cacheBundleFiles}): every file of bundle {@code id} goes into
     * {@code cache/capgo_downloads/<sha256>_<basename>}, so the next delta reuses it instead of downloading it. The
     * files of a manifest bundle have known hashes ({@code known}, their paths in the bundle before the flatten
     * rule); the others are hashed here.
     */
    void fillCache(String id, List<DeltaFile> known) {
        Path root = state.bundleDir(id);
        java.util.Map<String, String> hashes = new java.util.HashMap<>();
        known.forEach(f -> hashes.put(f.path(), f.checksum().hex()));
        try (Stream<Path> walk = Files.walk(root)) {
            Files.createDirectories(state.deltaCacheDir());
            for (Path file :
                    (Iterable<Path>) walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))::iterator) {
                if (Files.size(file) == 0) {
                    continue;
                }
                String rel = root.relativize(file).toString().replace('\\', '/');
                String hex = hashes.containsKey(rel)
                        ? hashes.get(rel)
                        : BundleChecksum.of(file).hex();
                Path cached = cacheFile(hex, file.getFileName().toString());
                if (!Files.exists(cached)) {
                    Path tmp = cached.resolveSibling("." + cached.getFileName() + "." + UUID.randomUUID() + ".tmp");
                    Files.copy(file, tmp);
                    Files.move(tmp, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fill the delta cache from " + root, e);
        }
    }

    private static String basename(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private static FileResult join(Future<FileResult> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceKilledException();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("a manifest worker failed", c);
        }
    }
}
