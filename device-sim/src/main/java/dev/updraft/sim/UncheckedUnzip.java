package dev.updraft.sim;

import dev.updraft.crypto.zip.SafeUnzip;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The broken extraction of {@link Deviation#IGNORE_PATH_RULES}, for conformance-kit tests only: no entry-name rules,
 * no symbolic-link or duplicate check, no zip-bomb limits. Each entry is written where its name points; a later entry
 * for the same path replaces the earlier one. The one guard kept is the simulator's own: nothing is written outside
 * the device's state folder (an entry that would leave it is written under its last name segment instead), so a test
 * of the kit cannot damage the machine it runs on.
 */
final class UncheckedUnzip {
    private UncheckedUnzip() {}

    /** Extracts {@code zip} into {@code target} (created) and returns the bundle root by the plugin's flatten rule. */
    static Path extract(Path zip, Path target, Path confinement) throws IOException {
        Path dir = target.toAbsolutePath().normalize();
        Path fence = confinement.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        try (InputStream in = Files.newInputStream(zip);
                ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                Path p = where(dir, fence, e.getName());
                if (e.isDirectory() || e.getName().endsWith("/")) {
                    Files.createDirectories(p);
                    continue;
                }
                Files.createDirectories(p.getParent());
                if (Files.isDirectory(p)) {
                    continue; // a file entry over a folder: the folder stays
                }
                try (OutputStream out = Files.newOutputStream(p)) {
                    z.transferTo(out);
                }
            }
        }
        return SafeUnzip.flattenRoot(dir);
    }

    /** Where a name points from {@code dir}; outside {@code fence}, its last segment inside {@code dir}. */
    private static Path where(Path dir, Path fence, String rawName) {
        String name = rawName.replace('\0', '_'); // no file system takes a NUL
        try {
            Path p = dir.resolve(name).normalize();
            if (p.startsWith(fence) && !p.equals(fence) && !p.equals(dir)) {
                return p;
            }
        } catch (InvalidPathException e) {
            // written under its last segment below
        }
        String last = name.replace('\\', '/');
        last = last.substring(last.lastIndexOf('/', last.length() - 2) + 1).replace("/", "");
        return dir.resolve(last.isEmpty() || last.equals("..") || last.equals(".") ? "_" : last);
    }
}
