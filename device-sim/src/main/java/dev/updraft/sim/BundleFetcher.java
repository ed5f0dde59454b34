package dev.updraft.sim;

import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundleVerifier;
import dev.updraft.crypto.CryptoException;
import dev.updraft.crypto.DeltaPayloadReader;
import dev.updraft.crypto.zip.BundleArchiveException;
import dev.updraft.crypto.zip.SafeUnzip;
import dev.updraft.protocol.ManifestEntry;
import dev.updraft.protocol.Platform;
import dev.updraft.protocol.StatsAction;
import dev.updraft.protocol.UpdateAnswer;
import dev.updraft.sim.CheckResult.Outcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Gets the bundle of an update answer onto the device (§8.1, §5.5, §8.3, §7.4): the zip downloaded (resumed),
 * verified through crypto-core and unzipped, or a delta bundle built from its manifest; the progress stats of §3.3 on
 * the way; a failure's stats and the entry in {@code error}. A bundle that arrived whole is {@code pending} in the
 * registry; applying it is {@link BundleInstaller}'s.
 */
final class BundleFetcher {
    /**
     * How a fetch ended.
     *
     * @param bundle  the {@code pending} entry, or null when it failed
     * @param failure {@link Outcome#DOWNLOAD_FAILED} or {@link Outcome#REFUSED} when it failed
     * @param detail  why it failed, or null
     */
    record Fetched(BundleInfo bundle, Outcome failure, String detail) {
        static Fetched failed(Outcome failure, String detail) {
            return new Fetched(null, failure, detail);
        }
    }

    private final DeviceConfig config;
    private final DeviceState state;
    private final BundleRegistry registry;
    private final DeviceStats stats;
    private final BundleDownloader downloader;
    private final ManifestDownloader manifests;
    private final DeviceLog log;
    private final List<DownloadRecord> downloads = new ArrayList<>();
    private long bytesDownloaded;
    private String currentDownloadVersion = "";
    private int lastNotifiedStatPercent;

    BundleFetcher(
            DeviceConfig config,
            BundleRegistry registry,
            DeviceStats stats,
            BundleDownloader downloader,
            ManifestDownloader manifests,
            DeviceLog log) {
        this.config = config;
        this.state = registry.state();
        this.registry = registry;
        this.stats = stats;
        this.downloader = downloader;
        this.manifests = manifests;
        this.log = log;
    }

    /** A new process: the Android download worker's progress counter starts from 0 again (§3.3). */
    void newProcess() {
        lastNotifiedStatPercent = 0;
    }

    List<DownloadRecord> downloads() {
        return List.copyOf(downloads);
    }

    long bytesDownloaded() {
        return bytesDownloaded;
    }

    // ---- the zip (§8.1, §5.5, §8.3) ----

    /** Verifies, downloads (resuming {@code resume} when it holds this exact download) and unzips the answer's zip. */
    Fetched zip(UpdateAnswer answer, BundleInfo resume) {
        BundleVerifier verifier = null;
        if (!(config.has(Deviation.SKIP_CHECKSUM) && config.publicKey() == null)) {
            // Deviation SKIP_CHECKSUM on a plain device: no verifier, the bytes are taken as they come
            verifier = verifierFor(answer);
            if (verifier == null) {
                return Fetched.failed(Outcome.REFUSED, "session key or checksum cannot be used with this device's key");
            }
        }
        String version = answer.version();
        currentDownloadVersion = version;
        JsonObject job = BundleDownloader.job(version, answer.url(), answer.checksum(), answer.sessionKey());
        String resumeId = resume == null ? null : resume.id();
        BundleInfo info = startDownload(resumeId, resumeId != null && downloader.hasPartial(resumeId, job), version);
        String id = info.id();
        stats.worker(StatsAction.DOWNLOAD_ZIP_START, version);
        long start = System.nanoTime();
        BundleDownloader.Result r;
        try {
            r = downloader.download(id, job, verifier, this::transferred);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        record(new DownloadRecord(
                version,
                DownloadRecord.ZIP,
                r.networkBytes(),
                r.size(),
                (System.nanoTime() - start) / 1_000_000,
                r.attempts(),
                r.resumedFrom(),
                r.ok() ? "ok" : r.failure() != null ? r.failure() : wire(cryptoStat(r.cryptoFailure())),
                1,
                0));
        if (r.failure() != null) {
            // the download worker failed: download_fail with the target version (§3.3)
            registry.setStatus(info, BundleStatus.ERROR, "download failed: " + r.failure());
            stats.queue(StatsAction.DOWNLOAD_FAIL, version, "", null);
            return Fetched.failed(
                    Outcome.DOWNLOAD_FAILED, r.failure() + (r.detail() == null ? "" : " (" + r.detail() + ")"));
        }
        stats.worker(StatsAction.DOWNLOAD_ZIP_COMPLETE, version);
        if (r.cryptoFailure() != null) {
            failedAfterTransfer(
                    info,
                    version,
                    cryptoStat(r.cryptoFailure()),
                    r.cryptoFailure().getMessage());
            return Fetched.failed(Outcome.DOWNLOAD_FAILED, r.cryptoFailure().getMessage());
        }
        notifyDownload(71);
        String checksum;
        try {
            checksum = verifier != null && verifier.expectedChecksum() != null
                    ? verifier.expectedChecksum().hex()
                    : BundleChecksum.of(r.plainZip()).hex(); // SKIP_CHECKSUM: what arrived, not what was announced
            unzipInto(r.plainZip(), id);
        } catch (BundleArchiveException e) {
            failedAfterTransfer(info, version, e.failure().pluginStat().orElse(StatsAction.UNZIP_FAIL), e.getMessage());
            return Fetched.failed(Outcome.DOWNLOAD_FAILED, e.getMessage());
        } catch (IOException e) {
            failedAfterTransfer(info, version, StatsAction.UNZIP_FAIL, e.getMessage());
            return Fetched.failed(Outcome.DOWNLOAD_FAILED, e.getMessage());
        }
        notifyDownload(90);
        return downloaded(id, checksum, "downloaded, verified and unzipped", List.of());
    }

    /**
     * The checks the plugin does on the session key and checksum (§5.4, §5.5). crypto-core does them up front, so
     * the simulator refuses before downloading; null when refused (its stats are queued).
     * SIMPLIFICATION: the plugin downloads first and fails afterwards; the stats sent are those it would send then.
     */
    private BundleVerifier verifierFor(UpdateAnswer answer) {
        try {
            if (config.publicKey() != null && config.has(Deviation.SKIP_CHECKSUM)) {
                return BundleVerifier.decryptOnly(answer.sessionKey(), config.publicKey());
            }
            if (config.publicKey() != null) {
                return BundleVerifier.forEncrypted(answer.sessionKey(), answer.checksum(), config.publicKey());
            }
            // No publicKey: the plain lowercase SHA-256 hex, compared case-sensitively (§5.4)
            return BundleVerifier.forPlain(answer.checksum());
        } catch (CryptoException e) {
            failedAfterTransfer(null, answer.version(), cryptoStat(e), e.getMessage());
            return null;
        }
    }

    /** §8.3: extract into {@code cache/capgo_unzip_<random>}, pick the root by the flatten rule, move it into {@code versions/<id>}. */
    private void unzipInto(Path plainZip, String id) throws IOException {
        Path tmp = state.cacheDir()
                .resolve("capgo_unzip_" + UUID.randomUUID().toString().replace("-", ""));
        try {
            Path root = config.has(Deviation.IGNORE_PATH_RULES)
                    ? UncheckedUnzip.extract(plainZip, tmp, state.dir())
                    : SafeUnzip.extract(plainZip, tmp, SafeUnzip.Limits.defaults())
                            .root();
            Files.move(root, state.bundleDir(id));
        } finally {
            DeviceState.deleteTree(tmp);
            Files.deleteIfExists(plainZip);
        }
    }

    /**
     * §5.5: verification or extraction failed after the transfer: the specific stat, then {@code download_fail}
     * with the current version; the bundle is deleted.
     */
    private void failedAfterTransfer(BundleInfo info, String version, StatsAction specificStat, String why) {
        BundleInfo current = registry.current();
        if (specificStat != null) {
            // Which bundle the stat names (the running one or the target) is the catalogue's "Ver" for this platform.
            boolean target = specificStat.versionNameOn(config.platform()) == StatsAction.Ver.TARGET;
            stats.queue(specificStat, target ? version : current.version(), "", null);
        }
        stats.queue(StatsAction.DOWNLOAD_FAIL, current.version(), "", null);
        if (info != null) {
            DeviceState.deleteTree(state.bundleDir(info.id()));
            registry.setStatus(
                    info, BundleStatus.ERROR, (specificStat == null ? "download_fail" : specificStat) + ": " + why);
        }
    }

    /** The plugin's stat for a crypto failure on this platform (crypto-core's mapping, docs/protocol.md §3.3); null for none. */
    private StatsAction cryptoStat(CryptoException e) {
        return e.failure().pluginStat(config.platform()).orElse(null);
    }

    private static String wire(StatsAction a) {
        return a == null ? null : a.wire();
    }

    // ---- the delta bundle (§7.4) ----

    /**
     * §7.4: a delta (manifest) bundle. Every entry is checked before anything is fetched: a bad path, a duplicate
     * target or a hash that cannot be recovered refuses the whole manifest ({@code manifest_path_fail} with
     * {@code "<version>:<file_name>"}, then {@code download_fail}) and writes nothing. Then each file is reused from
     * the built-in assets or the cache, or downloaded (Range resume) and read through crypto-core, in parallel; a
     * file that fails sends its stat ({@code download_manifest_file_fail}, {@code _checksum_fail},
     * {@code _brotli_fail}) and the install fails with {@code download_fail}, leaving nothing of the new bundle.
     * SIMPLIFICATION: the order of {@code download_manifest_start} and the validation is not documented; here a
     * refused manifest sends no start.
     */
    Fetched manifest(UpdateAnswer answer, BundleInfo resume) {
        String version = answer.version();
        currentDownloadVersion = version;
        List<ManifestEntry> entries = answer.manifest();
        long start = System.nanoTime(); // the install's time: validation, downloads and verification, the bundle built
        List<DeltaPayloadReader.DeltaFile> files;
        try {
            // Both plugins recover the file hashes only when the answer has a session_key (server-behaviour notes in
            // docs/protocol.md §7.4); a device with a public key already refused an answer without one.
            DeltaPayloadReader reader = config.publicKey() != null
                    ? DeltaPayloadReader.forEncrypted(answer.sessionKey(), config.publicKey())
                    : DeltaPayloadReader.forPlain();
            files = ManifestDownloader.validate(reader, entries);
        } catch (CryptoException e) {
            stats.queue(StatsAction.DOWNLOAD_FAIL, version, "", null); // the session key itself is unusable
            return Fetched.failed(Outcome.DOWNLOAD_FAILED, e.getMessage());
        } catch (ManifestDownloader.Refused e) {
            stats.worker(e.failure().stat(), version + ":" + e.failure().fileName());
            stats.queue(StatsAction.DOWNLOAD_FAIL, version, "", null);
            return Fetched.failed(Outcome.DOWNLOAD_FAILED, e.failure().stat().wire() + ": " + e.getMessage());
        }
        JsonObject job = BundleDownloader.job(version, answer.url(), "", answer.sessionKey())
                .put("manifest", manifestJson(entries));
        String resumeId = resume == null ? null : resume.id();
        BundleInfo info = startDownload(resumeId, resumeId != null && manifests.hasPartial(resumeId, job), version);
        String id = info.id();
        stats.worker(StatsAction.DOWNLOAD_MANIFEST_START, version);
        ManifestDownloader.Result r;
        try {
            r = manifests.install(id, job, entries, files, this::transferred);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        record(new DownloadRecord(
                version,
                DownloadRecord.MANIFEST,
                r.networkBytes(),
                r.size(),
                (System.nanoTime() - start) / 1_000_000,
                r.attempts(),
                0,
                r.ok() ? "ok" : r.failures().get(0).stat().wire(),
                r.downloaded(),
                r.reused()));
        if (!r.ok()) {
            for (ManifestDownloader.FileFailure f : r.failures()) {
                stats.worker(f.stat(), version + ":" + f.fileName());
                log.add("manifest file " + f.fileName() + ": " + f.stat().wire() + " (" + f.detail() + ")");
            }
            ManifestDownloader.FileFailure first = r.failures().get(0);
            registry.setStatus(
                    info,
                    BundleStatus.ERROR,
                    "delta download failed: " + first.stat().wire());
            stats.queue(StatsAction.DOWNLOAD_FAIL, version, "", null);
            return Fetched.failed(Outcome.DOWNLOAD_FAILED, first.stat().wire() + ": " + first.detail());
        }
        stats.worker(StatsAction.DOWNLOAD_MANIFEST_COMPLETE, version);
        log.add("delta " + version + ": " + r.downloaded() + " files fetched (" + r.networkBytes() + " bytes), "
                + r.reused() + " reused");
        notifyDownload(71);
        notifyDownload(90);
        return downloaded(id, "", "built from its manifest and verified", files);
    }

    /** The manifest as a resume record holds it: an interrupted delta download resumes only for the same files. */
    private static JsonArray manifestJson(List<ManifestEntry> entries) {
        JsonArray a = new JsonArray();
        entries.forEach(
                e -> a.add(new JsonArray().add(e.fileName()).add(e.fileHash()).add(e.downloadUrl())));
        return a;
    }

    // ---- shared ----

    /** The transfer's progress: §3.3's 10-70 %, and the stats queue flushed at most once a second. */
    private void transferred(long done, long total) {
        if (total > 0) {
            notifyDownload(10 + (int) (60 * done / total));
        }
        stats.reporter().flushIfDue();
    }

    private void record(DownloadRecord d) {
        bytesDownloaded += d.networkBytes();
        downloads.add(d);
    }

    /**
     * The entry of an interrupted download of this exact content ({@code resumable}), or a new registry entry in
     * {@code downloading}; an interrupted download of other content is forgotten, its partial files deleted.
     */
    private BundleInfo startDownload(String resumeId, boolean resumable, String version) {
        BundleInfo info;
        if (resumeId != null && resumable) {
            info = state.bundle(resumeId);
            log.add("resuming the download of " + version + " (" + resumeId + ")");
        } else {
            if (resumeId != null) {
                state.removeBundle(resumeId);
                DeviceState.deleteTree(state.partialFile(resumeId));
                DeviceState.deleteTree(state.manifestPartialDir(resumeId));
            }
            info = registry.newDownload(version);
        }
        if (config.platform() == Platform.IOS) {
            lastNotifiedStatPercent = 0;
        }
        return info;
    }

    /**
     * The bundle's files are in place: its checksum ({@code ""} for a manifest bundle, §7.4) is stored, it becomes
     * {@code pending}, and its files go into the delta cache (A-CU {@code cacheBundleFiles}).
     */
    private Fetched downloaded(String id, String checksum, String why, List<DeltaPayloadReader.DeltaFile> knownFiles) {
        BundleInfo info = state.bundle(id).withChecksum(checksum);
        state.saveBundle(info);
        info = registry.setStatus(info, BundleStatus.PENDING, why);
        manifests.fillCache(id, knownFiles);
        notifyDownload(91);
        notifyDownload(100);
        return new Fetched(info, null, null);
    }

    /**
     * §3.3 / §8.2 download percent: 0-5 start, 10-70 transfer, 71, 75-90 unzip, 91, 100. Each 10 % step passed sends
     * {@code download_<n>} (10..90), 100 sends {@code download_complete}. Android quirk (§3.3): the last notified
     * percent is never reset after 100, so only the first download of a process sends the steps.
     */
    private void notifyDownload(int percent) {
        String version = currentDownloadVersion;
        if (percent >= 100) {
            stats.queue(StatsAction.DOWNLOAD_COMPLETE, version, "", null);
            lastNotifiedStatPercent = config.platform() == Platform.ANDROID ? 100 : 0;
            return;
        }
        for (int step = (lastNotifiedStatPercent / 10 + 1) * 10; step <= Math.min(percent, 90); step += 10) {
            stats.queue(StatsAction.of("download_" + step).orElseThrow(), version, "", null); // download_10 .. _90
        }
        lastNotifiedStatPercent = Math.max(lastNotifiedStatPercent, percent);
    }
}
