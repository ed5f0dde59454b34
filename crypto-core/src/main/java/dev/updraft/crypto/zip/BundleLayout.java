package dev.updraft.crypto.zip;

import dev.updraft.crypto.zip.BundleArchiveException.Failure;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Whether a zip is a bundle every device can install, checked without extracting it: a readable zip (every entry
 * decompresses, within {@link SafeUnzip.Limits}), entry names that pass the plugin's rules (the same checks as
 * {@link SafeUnzip}), and {@code index.html} where both platforms find it after their flatten rule
 * (docs/protocol.md §6, §8.3): at the root, or inside the single top-level folder, with nothing else at the root.
 * {@code bundle encrypt} and {@code bundle upload} run it before anything leaves the machine, so a bundle devices
 * would fail with {@code unzip_fail} or {@code set_fail} is never published.
 */
public final class BundleLayout {
    /** Where no extraction happens: entry names are resolved against it as strings only. */
    private static final Path NOWHERE = Path.of("/").toAbsolutePath().resolve("updraft-layout-check");

    /**
     * A zip that passed.
     *
     * @param root    {@code ""} when {@code index.html} is at the root, else the top-level folder with a trailing
     *                {@code /} (devices flatten it)
     * @param files   regular file entries
     * @param bytes   uncompressed bytes of all entries
     */
    public record Checked(String root, int files, long bytes) {}

    private BundleLayout() {}

    /** Checks {@code zip} with {@link SafeUnzip.Limits#defaults()}. */
    public static Checked check(Path zip) throws IOException {
        return check(zip, SafeUnzip.Limits.defaults());
    }

    /**
     * Checks {@code zip}; reads it twice (the central directory, then every entry's bytes) and writes nothing.
     *
     * @throws BundleArchiveException {@code NOT_A_ZIP}, one of {@link SafeUnzip}'s entry failures, or
     *     {@code INDEX_HTML_NOT_FOUND}
     */
    public static Checked check(Path zip, SafeUnzip.Limits limits) throws IOException {
        try (ZipFile zipFile = SafeUnzip.open(zip)) {
            List<ZipArchiveEntry> entries = Collections.list(zipFile.getEntriesInPhysicalOrder());
            List<Path> paths = SafeUnzip.checkEntries(entries, NOWHERE, limits);
            String root = indexHtmlRoot(entries, paths);
            long total = 0;
            int files = 0;
            byte[] buf = new byte[64 * 1024];
            for (ZipArchiveEntry entry : entries) {
                if (!entry.isDirectory()) {
                    total = SafeUnzip.copyEntry(zipFile, entry, OutputStream.nullOutputStream(), total, limits, buf);
                    files++;
                }
            }
            return new Checked(root, files, total);
        } catch (BundleArchiveException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // a corrupt entry (bad CRC, truncated data) surfaces here, after the names passed
            throw new BundleArchiveException(Failure.NOT_A_ZIP, "not a readable zip file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Where index.html is after the flatten rules. Android ignores names starting with '.' or '__MACOSX' when it
     * looks for the single top-level folder; iOS counts them, so a folder beside such a name is refused: iOS devices
     * would not look inside it.
     */
    private static String indexHtmlRoot(List<ZipArchiveEntry> entries, List<Path> paths) throws BundleArchiveException {
        Map<String, Boolean> topLevel = new TreeMap<>(); // name -> is a folder
        boolean rootIndex = false;
        Set<String> files = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Path relative = NOWHERE.relativize(paths.get(i));
            String first = relative.getName(0).toString();
            boolean folder = relative.getNameCount() > 1 || entries.get(i).isDirectory();
            topLevel.merge(first, folder, Boolean::logicalOr);
            if (!entries.get(i).isDirectory()) {
                files.add(relative.toString().replace(relative.getFileSystem().getSeparator(), "/"));
            }
            rootIndex |= relative.getNameCount() == 1
                    && first.equals("index.html")
                    && !entries.get(i).isDirectory();
        }
        if (rootIndex) {
            return "";
        }
        String folder = SafeUnzip.flattenFolder(topLevel);
        if (folder != null && files.contains(folder + "/index.html")) {
            List<String> others =
                    topLevel.keySet().stream().filter(n -> !n.equals(folder)).toList();
            if (!others.isEmpty()) {
                throw new BundleArchiveException(
                        Failure.INDEX_HTML_NOT_FOUND,
                        "index.html is in the top-level folder " + folder
                                + "/, but the root also holds " + SafeUnzip.printable(String.join(", ", others))
                                + ": iOS devices then do not look inside the folder (set_fail); zip the folder's contents, or remove those");
            }
            return folder + "/";
        }
        throw new BundleArchiveException(
                Failure.INDEX_HTML_NOT_FOUND,
                "index.html is neither at the root nor in a single top-level folder: devices cannot start this bundle (set_fail)");
    }
}
