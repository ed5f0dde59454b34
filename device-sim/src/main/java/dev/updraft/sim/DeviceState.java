package dev.updraft.sim;

import dev.updraft.crypto.zip.FileTrees;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A device's persisted state, in a folder laid out like the Android plugin's (spec §8.7):
 * <pre>
 * &lt;state&gt;/
 *   prefs.json                         SharedPreferences: "&lt;id&gt;_info" registry entries, serverBasePath (current),
 *                                      pastVersion (fallback), nextVersion, appUUID (device_id),
 *                                      CapacitorUpdater.defaultChannel, LatestNativeBuildVersion, ...
 *   files/versions/&lt;id&gt;/              extracted bundles (the bundle root after the flatten rule)
 *   files/temp_&lt;id&gt;.tmp               a download in progress, bytes as received (encrypted)
 *   files/update_&lt;id&gt;.dat              what that download is (version, url, checksum, session key) for a Range resume
 *   files/temp_&lt;id&gt;/&lt;n&gt;.part          the payloads of a delta (manifest) download in progress
 *   cache/                             decrypted zips and capgo_unzip_&lt;random&gt; extraction (and delta build) folders
 *   cache/capgo_downloads/             files of installed bundles, &lt;sha256&gt;_&lt;basename&gt;, reused by delta downloads
 *   noBackupFiles/capgo_pending_stats.json   the stats queue
 * </pre>
 * Every change is written at once (atomically), so a simulator killed at any point leaves a readable state.
 * Capacitor's own preference names are not known (§8.7, UNDETERMINED); {@code serverBasePath} stands for them.
 */
final class DeviceState {
    static final String KEY_DEVICE_ID = "appUUID";
    static final String KEY_CURRENT = "serverBasePath";
    static final String KEY_FALLBACK = "pastVersion";
    static final String KEY_NEXT = "nextVersion";
    static final String KEY_DEFAULT_CHANNEL = "CapacitorUpdater.defaultChannel";
    static final String KEY_NATIVE_BUILD = "LatestNativeBuildVersion";
    static final String KEY_LAST_VERSION_OS = "CapacitorUpdater.lastVersionOs";
    static final String KEY_LAST_VERSION_BUILD = "CapacitorUpdater.lastVersionBuild";
    static final String KEY_LAST_VERSION_CODE = "CapacitorUpdater.lastVersionCode";
    static final String KEY_LAST_FAILED = "CapacitorUpdater.lastFailedBundle";
    static final String BUILTIN_PATH = "public";
    private static final String INFO_SUFFIX = "_info";
    private static final String ID_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Path prefsFile;
    private final TreeMap<String, String> prefs = new TreeMap<>();

    DeviceState(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        this.prefsFile = this.dir.resolve("prefs.json");
        try {
            Files.createDirectories(versionsDir());
            Files.createDirectories(cacheDir());
            Files.createDirectories(this.dir.resolve("noBackupFiles"));
            if (Files.exists(prefsFile)) {
                JsonObject o = new JsonObject(Files.readString(prefsFile, StandardCharsets.UTF_8));
                for (Map.Entry<String, Object> e : o) {
                    if (e.getValue() != null) {
                        prefs.put(e.getKey(), e.getValue().toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the device state in " + dir, e);
        }
    }

    Path dir() {
        return dir;
    }

    Path versionsDir() {
        return dir.resolve("files").resolve("versions");
    }

    Path bundleDir(String id) {
        return versionsDir().resolve(id);
    }

    Path partialFile(String id) {
        return dir.resolve("files").resolve("temp_" + id + ".tmp");
    }

    Path resumeRecord(String id) {
        return dir.resolve("files").resolve("update_" + id + ".dat");
    }

    Path cacheDir() {
        return dir.resolve("cache");
    }

    /** The payloads of a delta download in progress (one {@code <n>.part} per entry), for a Range resume. */
    Path manifestPartialDir(String id) {
        return dir.resolve("files").resolve("temp_" + id);
    }

    /** The files of installed bundles by hash, {@code <sha256>_<basename>}, reused by delta downloads (§7.4). */
    Path deltaCacheDir() {
        return cacheDir().resolve("capgo_downloads");
    }

    Path statsQueueFile() {
        return dir.resolve("noBackupFiles").resolve("capgo_pending_stats.json");
    }

    // ---- preferences ----

    String get(String key) {
        return prefs.get(key);
    }

    void put(String key, String value) {
        if (value == null) {
            prefs.remove(key);
        } else {
            prefs.put(key, value);
        }
        save();
    }

    /** The stable device id: a lowercase random UUID made once (§1.4). */
    String deviceId() {
        String id = prefs.get(KEY_DEVICE_ID);
        if (id == null) {
            id = UUID.randomUUID().toString().toLowerCase(java.util.Locale.ROOT);
            put(KEY_DEVICE_ID, id);
        }
        return id;
    }

    // ---- bundle registry ----

    BundleInfo bundle(String id) {
        String json = prefs.get(id + INFO_SUFFIX);
        return json == null ? null : BundleInfo.fromJson(new JsonObject(json));
    }

    void saveBundle(BundleInfo info) {
        put(info.id() + INFO_SUFFIX, info.toJson().encode());
    }

    void removeBundle(String id) {
        put(id + INFO_SUFFIX, null);
    }

    /** Every registry entry (not the built-in bundle), oldest first. */
    List<BundleInfo> bundles() {
        List<BundleInfo> result = new ArrayList<>();
        for (Map.Entry<String, String> e : prefs.entrySet()) {
            if (e.getKey().endsWith(INFO_SUFFIX)) {
                result.add(BundleInfo.fromJson(new JsonObject(e.getValue())));
            }
        }
        result.sort((a, b) -> a.downloaded().compareTo(b.downloaded()));
        return result;
    }

    /** A fresh bundle id: 10 random characters of [0-9A-Za-z] (§8.3), not used by any folder or entry. */
    String newBundleId() {
        while (true) {
            StringBuilder sb = new StringBuilder(10);
            for (int i = 0; i < 10; i++) {
                sb.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
            }
            String id = sb.toString();
            if (bundle(id) == null && !Files.exists(bundleDir(id))) {
                return id;
            }
        }
    }

    /** Whether the bundle's folder exists. */
    boolean folderExists(String id) {
        return Files.isDirectory(bundleDir(id));
    }

    /** Whether the bundle can start: {@code index.html} at its root (§8.3 {@code bundleExists}). */
    boolean usable(String id) {
        return Files.isRegularFile(bundleDir(id).resolve("index.html"));
    }

    // ---- files ----

    static void deleteTree(Path root) {
        try {
            FileTrees.delete(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    static void writeAtomically(Path file, String content) {
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void save() {
        JsonObject o = new JsonObject();
        prefs.forEach(o::put);
        writeAtomically(prefsFile, o.encodePrettily());
    }
}
