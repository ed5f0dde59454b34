package dev.updraft.crypto.zip;

import dev.updraft.crypto.zip.BundleArchiveException.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Extracts a bundle zip the way the plugin does, and no less safely: every entry name is checked with the plugin's
 * rules before anything is written (empty names, backslash or NUL, {@code ..} segments, absolute paths, anything whose
 * normalised path is not strictly inside the target), symbolic links are refused, and limits stop zip bombs. If any
 * check fails, nothing stays behind: the partial extraction is removed. Then the plugin's flatten rule picks the bundle
 * root.
 */
public final class SafeUnzip {
    private static final int BUFFER = 64 * 1024;
    /** Ratio checks apply once an entry has produced this much, so tiny well-compressed files never trip them. */
    private static final long RATIO_GRACE_BYTES = 1024 * 1024;

    /**
     * Limits against zip bombs.
     *
     * @param maxTotalBytes       total uncompressed bytes, counted as they are written (headers can lie)
     * @param maxEntries          number of entries in the central directory
     * @param maxCompressionRatio uncompressed / compressed size of any one entry
     */
    public record Limits(long maxTotalBytes, int maxEntries, int maxCompressionRatio) {
        /** 1 GiB, 20 000 entries, ratio 200: far above any web bundle, far below what hurts a device. */
        public static Limits defaults() {
            return new Limits(1L << 30, 20_000, 200);
        }
    }

    /**
     * An extracted bundle.
     *
     * @param target the folder everything was extracted into
     * @param root   the bundle root after the flatten rule: {@code target}, or its single top-level folder
     * @param files  regular files written
     * @param bytes  uncompressed bytes written
     */
    public record ExtractedBundle(Path target, Path root, int files, long bytes) {
        /** Whether the bundle can start: the plugin requires {@code index.html} at the root. */
        public boolean hasIndexHtml() {
            return Files.isRegularFile(root.resolve("index.html"), LinkOption.NOFOLLOW_LINKS);
        }
    }

    private SafeUnzip() {}

    /**
     * Extracts {@code zip} into {@code target}, which must not exist or be an empty folder.
     *
     * @throws BundleArchiveException with the reason, after removing whatever was extracted
     */
    public static ExtractedBundle extract(Path zip, Path target, Limits limits) throws IOException {
        Path dir = target.toAbsolutePath().normalize();
        boolean created = prepareTarget(dir);
        try (ZipFile zipFile = open(zip)) {
            List<ZipArchiveEntry> entries = Collections.list(zipFile.getEntriesInPhysicalOrder());
            List<Path> paths = checkEntries(entries, dir, limits); // every name, before writing a single byte
            long total = 0;
            int files = 0;
            byte[] buf = new byte[BUFFER];
            for (int i = 0; i < entries.size(); i++) {
                ZipArchiveEntry entry = entries.get(i);
                Path p = paths.get(i);
                if (entry.isDirectory()) {
                    Files.createDirectories(p);
                    continue;
                }
                Files.createDirectories(p.getParent());
                try (OutputStream out = Files.newOutputStream(
                        p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    total = copyEntry(zipFile, entry, out, total, limits, buf);
                }
                files++;
            }
            return new ExtractedBundle(dir, flattenRoot(dir), files, total);
        } catch (IOException | RuntimeException e) {
            removePartial(dir, created);
            if (e instanceof BundleArchiveException bae) {
                throw bae;
            }
            throw new BundleArchiveException(Failure.NOT_A_ZIP, "the bundle is not a valid zip: " + e.getMessage(), e);
        }
    }

    /**
     * Applies the plugin's entry-name rules and the entry limit to every entry of a zip, and refuses symbolic links
     * and two entries for one path. Returns where each entry goes inside {@code dir}, in the same order. Nothing is
     * read from or written to {@code dir}: {@link BundleLayout} checks a zip this way without extracting it.
     */
    static List<Path> checkEntries(List<ZipArchiveEntry> entries, Path dir, Limits limits)
            throws BundleArchiveException {
        if (entries.size() > limits.maxEntries()) {
            throw new BundleArchiveException(
                    Failure.TOO_MANY_ENTRIES,
                    "the zip has " + entries.size() + " entries; the limit is " + limits.maxEntries());
        }
        List<Path> paths = new ArrayList<>(entries.size());
        Set<Path> seen = new HashSet<>();
        for (ZipArchiveEntry entry : entries) {
            Path p = resolveInside(dir, rawName(entry));
            if (entry.isUnixSymlink()) {
                throw new BundleArchiveException(
                        Failure.SYMLINK_ENTRY,
                        "the zip entry '" + printable(entry.getName())
                                + "' is a symbolic link; bundles may not contain links");
            }
            if (!seen.add(p)) {
                throw new BundleArchiveException(
                        Failure.DUPLICATE_ENTRY, "the zip has two entries for '" + printable(entry.getName()) + "'");
            }
            paths.add(p);
        }
        return paths;
    }

    /**
     * Decompresses one entry into {@code out}, counting against the limits as the bytes come (headers can lie), and
     * checks its CRC-32 at the end, as the plugin's unzip does.
     *
     * @param totalSoFar uncompressed bytes of the entries before this one
     * @return uncompressed bytes of this entry and the ones before it
     */
    static long copyEntry(
            ZipFile zipFile, ZipArchiveEntry entry, OutputStream out, long totalSoFar, Limits limits, byte[] buf)
            throws IOException {
        long total = totalSoFar;
        long written = 0;
        long compressed = Math.max(1, entry.getCompressedSize());
        CRC32 crc = new CRC32();
        try (InputStream in = zipFile.getInputStream(entry)) {
            if (in == null) {
                throw new BundleArchiveException(
                        Failure.NOT_A_ZIP, "the zip entry '" + printable(entry.getName()) + "' cannot be read");
            }
            for (int n; (n = in.read(buf)) > 0; ) {
                written += n;
                total += n;
                if (total > limits.maxTotalBytes()) {
                    throw new BundleArchiveException(
                            Failure.TOO_LARGE,
                            "the zip expands to more than " + limits.maxTotalBytes()
                                    + " bytes, the limit: refusing a possible zip bomb");
                }
                if (written > RATIO_GRACE_BYTES && written / compressed > limits.maxCompressionRatio()) {
                    throw new BundleArchiveException(
                            Failure.COMPRESSION_RATIO,
                            "the zip entry '" + printable(entry.getName()) + "' expands more than "
                                    + limits.maxCompressionRatio() + " times: refusing a possible zip bomb");
                }
                crc.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        }
        if (entry.getCrc() != -1 && entry.getCrc() != crc.getValue()) {
            throw new BundleArchiveException(
                    Failure.NOT_A_ZIP,
                    "the zip entry '" + printable(entry.getName())
                            + "' is corrupt: its CRC-32 does not match its data");
        }
        return total;
    }

    /**
     * The entry name exactly as stored, decoded as UTF-8 like the plugin's unzip does. commons-compress would turn
     * backslashes into '/' for entries made on FAT platforms, which would hide exactly what the plugin refuses.
     */
    private static String rawName(ZipArchiveEntry entry) {
        byte[] raw = entry.getRawName();
        return raw == null ? entry.getName() : new String(raw, java.nio.charset.StandardCharsets.UTF_8);
    }

    static ZipFile open(Path zip) throws IOException {
        try {
            return ZipFile.builder().setPath(zip).get();
        } catch (IOException e) {
            throw new BundleArchiveException(Failure.NOT_A_ZIP, "not a zip file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Applies the plugin's entry-name rules and returns where the entry goes. The order of the checks follows the
     * plugin, so the failure reported (and its stat) is the plugin's. Delta (manifest) file names follow the same
     * rules (docs/protocol.md §7.4).
     */
    public static Path resolveInside(Path dir, String name) throws BundleArchiveException {
        if (name == null || name.isEmpty()) {
            throw new BundleArchiveException(Failure.EMPTY_NAME, "the zip has an entry with an empty name");
        }
        if (name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new BundleArchiveException(
                    Failure.WINDOWS_PATH,
                    "the zip entry '" + printable(name) + "' contains a backslash or NUL; entry names must use '/'");
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                throw new BundleArchiveException(
                        Failure.PATH_TRAVERSAL,
                        "the zip entry '" + printable(name) + "' climbs out of the bundle with '..'");
            }
        }
        if (name.startsWith("/")
                || (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0)))) {
            throw new BundleArchiveException(
                    Failure.ABSOLUTE_PATH, "the zip entry '" + printable(name) + "' is an absolute path");
        }
        Path p = dir.resolve(name).normalize();
        if (!p.startsWith(dir) || p.equals(dir)) {
            throw new BundleArchiveException(
                    Failure.CANONICAL_PATH,
                    "the zip entry '" + printable(name)
                            + "' does not resolve to a path strictly inside the bundle folder");
        }
        return p;
    }

    /**
     * The plugin's flatten rule applied to an extracted folder: the bundle root (see {@link #flattenFolder}). A delta
     * bundle built from its manifest is flattened the same way (docs/protocol.md §7.4).
     */
    public static Path flattenRoot(Path dir) throws IOException {
        Map<String, Boolean> topLevel = new HashMap<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                topLevel.put(child.getFileName().toString(), Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS));
            }
        }
        String folder = flattenFolder(topLevel);
        return folder == null ? dir : dir.resolve(folder);
    }

    /**
     * The plugin's flatten rule (Android), over the names at the root of a bundle and whether each is a folder:
     * ignoring names that start with '.' or '__MACOSX', if the root holds exactly one entry and it is a folder (not
     * index.html), that folder is the bundle and its name is returned; otherwise the root is, and this is null.
     */
    static String flattenFolder(Map<String, Boolean> topLevel) {
        List<String> visible = new ArrayList<>();
        topLevel.keySet().forEach(n -> {
            if (!isIgnoredAtRoot(n)) {
                visible.add(n);
            }
        });
        if (visible.size() == 1 && !visible.get(0).equals("index.html") && topLevel.get(visible.get(0))) {
            return visible.get(0);
        }
        return null;
    }

    /** Names the Android flatten rule does not count (iOS counts them: see {@link BundleLayout}). */
    static boolean isIgnoredAtRoot(String name) {
        return name.startsWith(".") || name.startsWith("__MACOSX");
    }

    private static boolean prepareTarget(Path dir) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new BundleArchiveException(Failure.TARGET_NOT_EMPTY, dir + " exists and is not a folder");
            }
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                if (children.iterator().hasNext()) {
                    throw new BundleArchiveException(
                            Failure.TARGET_NOT_EMPTY, dir + " is not empty; extract into a new folder");
                }
            }
            return false;
        }
        Files.createDirectories(dir);
        return true;
    }

    /** Removes what this extraction wrote: the whole target if it created it, else the target's contents. */
    private static void removePartial(Path dir, boolean created) {
        try {
            FileTrees.delete(dir, !created);
        } catch (IOException ignored) {
            // Best effort: the caller gets the original failure, which matters more.
        }
    }

    static String printable(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
            if (sb.length() > 200) {
                return sb.append("...").toString();
            }
        }
        return sb.toString();
    }
}
