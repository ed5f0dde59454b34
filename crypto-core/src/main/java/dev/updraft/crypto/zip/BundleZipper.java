package dev.updraft.crypto.zip;

import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.ProgressListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * What {@code bundle zip} does: the contents of a build folder at the zip root (no wrapping folder), directory
 * entries stored, files deflated unless deflate cannot shrink them (formats that are compressed already, by their
 * name, and any file whose first 256 KiB do not shrink: those are stored), Unix modes kept, nothing excluded. A file
 * of up to 256 KiB is read once and compressed once. With {@link Options#reproducible()} entries are
 * sorted and timestamps and modes fixed, so the same folder always gives the same bytes and checksum.
 */
public final class BundleZipper {
    private static final String NOTIFY_APP_READY = "notifyAppReady";
    private static final int BUFFER = 256 * 1024;
    /**
     * Formats that are compressed already: deflate cannot shrink them, so they are stored as they are (the plugin
     * unzips stored and deflated entries alike, docs/protocol.md §8.3).
     */
    private static final Pattern ALREADY_COMPRESSED = Pattern.compile(
            "\\.(png|jpe?g|gif|webp|avif|heic|woff2?|br|gz|tgz|zip|jar|7z|xz|bz2|zst|mp3|mp4|m4a|aac|ogg|opus|webm)$",
            Pattern.CASE_INSENSITIVE);

    /**
     * @param codeCheck    refuse a folder without a root {@code index.html} or without any {@code .js} file that
     *                     mentions {@code notifyAppReady} (the Capgo CLI's checks; off with {@code --no-code-check})
     * @param reproducible sorted entries, fixed timestamps (1980-01-01 00:00) and modes (0644 files, 0755 folders)
     */
    public record Options(boolean codeCheck, boolean reproducible) {
        public static Options defaults() {
            return new Options(true, false);
        }
    }

    /** The zip written: where, how big, its SHA-256, and how many files and folders it holds. */
    public record ZippedBundle(Path file, long size, BundleChecksum checksum, int entries) {}

    private BundleZipper() {}

    /** Zips {@code folder} into {@code out}, which appears only when the zip is complete. */
    public static ZippedBundle zip(Path folder, Path out, Options options, ProgressListener progress)
            throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new BundleArchiveException(
                    BundleArchiveException.Failure.NOT_A_DIRECTORY, folder + " is not a folder");
        }
        List<Path> entries = listEntries(folder);
        if (options.codeCheck()) {
            checkBuildFolder(folder, entries);
        }
        Path target = out.toAbsolutePath();
        if (target.startsWith(folder.toAbsolutePath().normalize())) {
            throw new IOException(
                    "the zip " + target + " would be written inside the folder it zips; choose another --name");
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".updraft-zip-", ".tmp");
        try {
            long fixedTime = LocalDateTime.of(1980, 1, 1, 0, 0)
                    .atZone(ZoneId.systemDefault())
                    .toInstant()
                    .toEpochMilli();
            long done = 0;
            byte[] buf = new byte[BUFFER];
            Probe compressor = new Probe(BUFFER);
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(tmp)) {
                zip.setUseZip64(Zip64Mode.AsNeeded);
                for (Path p : entries) {
                    String name = entryName(folder, p);
                    boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                    ZipArchiveEntry entry = new ZipArchiveEntry(dir ? name + "/" : name);
                    if (options.reproducible()) {
                        entry.setTime(fixedTime);
                        entry.setUnixMode((dir ? UnixStat.DIR_FLAG | 0755 : UnixStat.FILE_FLAG | 0644));
                    } else {
                        entry.setTime(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)
                                .toMillis());
                        entry.setUnixMode((dir ? UnixStat.DIR_FLAG : UnixStat.FILE_FLAG) | unixPermissions(p, dir));
                    }
                    if (dir) {
                        entry.setMethod(ZipArchiveEntry.STORED);
                        entry.setSize(0);
                        entry.setCrc(0);
                        zip.putArchiveEntry(entry);
                        zip.closeArchiveEntry();
                        continue;
                    }
                    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                        int head = in.readNBytes(buf, 0, buf.length);
                        boolean whole = head < buf.length; // else: more to read, streamed below
                        boolean deflate =
                                !ALREADY_COMPRESSED.matcher(name).find() && head > 0 && compressor.shrinks(buf, head);
                        if (whole) {
                            // the file was read whole: written as it was compressed (or not), in one piece
                            entry.setMethod(deflate ? ZipArchiveEntry.DEFLATED : ZipArchiveEntry.STORED);
                            entry.setSize(head);
                            entry.setCrc(crc(buf, head));
                            entry.setCompressedSize(deflate ? compressor.length() : head);
                            zip.addRawArchiveEntry(
                                    entry, deflate ? compressor.compressed() : new ByteArrayInputStream(buf, 0, head));
                        } else {
                            entry.setMethod(deflate ? ZipArchiveEntry.DEFLATED : ZipArchiveEntry.STORED);
                            zip.putArchiveEntry(entry);
                            zip.write(buf, 0, head);
                            done += head;
                            for (int n; (n = in.read(buf)) > 0; ) {
                                zip.write(buf, 0, n);
                                done += n;
                                progress.advanced(done);
                            }
                            zip.closeArchiveEntry();
                            continue;
                        }
                        done += head;
                        progress.advanced(done);
                    }
                }
            } finally {
                compressor.end();
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            return new ZippedBundle(target, Files.size(target), BundleChecksum.of(target), entries.size());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static long crc(byte[] b, int len) {
        CRC32 crc = new CRC32();
        crc.update(b, 0, len);
        return crc.getValue();
    }

    /**
     * Tries deflate on the start of a file: whether it shrinks, and, for a file that was read whole, its compressed
     * bytes, so that a small file is compressed once. One Deflater for the whole zip, at the default level.
     */
    private static final class Probe {
        private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        private final byte[] out;
        private int length;

        Probe(int bytes) {
            out = new byte[bytes + bytes / 8 + 64];
        }

        /** Deflates {@code b[0, len)}, giving up as soon as the output is as long as the input. */
        boolean shrinks(byte[] b, int len) {
            deflater.reset();
            deflater.setInput(b, 0, len);
            deflater.finish();
            length = 0;
            while (!deflater.finished()) {
                length += deflater.deflate(out, length, out.length - length);
                if (length >= len) {
                    return false;
                }
            }
            return length < len;
        }

        /** The compressed bytes of the last file that {@link #shrinks} read whole. */
        ByteArrayInputStream compressed() {
            return new ByteArrayInputStream(out, 0, length);
        }

        int length() {
            return length;
        }

        void end() {
            deflater.end();
        }
    }

    /**
     * The Capgo CLI's checks on a build folder: {@code index.html} directly at the root, and at least one
     * {@code .js} file (searched recursively) that contains {@code notifyAppReady}.
     */
    public static void checkBuildFolder(Path folder) throws IOException {
        checkBuildFolder(folder, listEntries(folder));
    }

    private static void checkBuildFolder(Path folder, List<Path> entries) throws IOException {
        if (!Files.isRegularFile(folder.resolve("index.html"), LinkOption.NOFOLLOW_LINKS)) {
            throw new BundleArchiveException(
                    BundleArchiveException.Failure.INDEX_HTML_NOT_FOUND,
                    "index.html is not at the root of " + folder
                            + ": the plugin cannot start a bundle without it (--no-code-check skips this check)");
        }
        byte[] needle = NOTIFY_APP_READY.getBytes(StandardCharsets.US_ASCII);
        for (Path p : entries) {
            if (p.getFileName().toString().endsWith(".js")
                    && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                    && contains(p, needle)) {
                return;
            }
        }
        throw new BundleArchiveException(
                BundleArchiveException.Failure.NOTIFY_APP_READY_NOT_FOUND,
                "no .js file under " + folder
                        + " calls notifyAppReady(): devices would roll this bundle back (--no-code-check skips this check)");
    }

    /** Files and folders below {@code folder}, sorted by their zip entry name; links are refused. */
    private static List<Path> listEntries(Path folder) throws IOException {
        List<Path> result = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(folder)) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    throw new BundleArchiveException(
                            BundleArchiveException.Failure.LINK_IN_BUILD_FOLDER,
                            "the build folder holds a symbolic link, " + folder.relativize(p)
                                    + ": devices refuse links in bundles; copy the file instead");
                }
                result.add(p);
            }
        }
        result.sort((a, b) -> entryName(folder, a).compareTo(entryName(folder, b)));
        return result;
    }

    private static String entryName(Path folder, Path p) {
        return folder.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
    }

    private static int unixPermissions(Path p, boolean dir) throws IOException {
        PosixFileAttributeView view =
                Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return dir ? 0755 : 0644;
        }
        Set<PosixFilePermission> perms = view.readAttributes().permissions();
        int mode = 0;
        for (PosixFilePermission perm : perms) {
            mode |= 1 << (8 - perm.ordinal()); // OWNER_READ is ordinal 0 = bit 8 (0400)
        }
        return mode;
    }

    /** Streaming substring search with a fixed buffer; keeps the tail of each read so matches across reads are found. */
    private static boolean contains(Path file, byte[] needle) throws IOException {
        byte[] buf = new byte[BUFFER + needle.length];
        int carry = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf, carry, BUFFER)) > 0; ) {
                int len = carry + n;
                if (indexOf(buf, len, needle) >= 0) {
                    return true;
                }
                carry = Math.min(needle.length - 1, len);
                System.arraycopy(buf, len - carry, buf, 0, carry);
            }
        }
        return false;
    }

    private static int indexOf(byte[] hay, int len, byte[] needle) {
        outer:
        for (int i = 0; i <= len - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
