package dev.updraft.crypto.zip;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Removing a folder and what is in it, for every module that unpacks or lays out files (the unzip, the server's data
 * folder, the simulator's device state). The walk never follows a symbolic link: a link is removed as the link
 * itself, so nothing outside the folder is touched.
 */
public final class FileTrees {
    private FileTrees() {}

    /** Removes {@code root} and everything below it; nothing if {@code root} does not exist. */
    public static void delete(Path root) throws IOException {
        delete(root, false);
    }

    /** Removes everything below {@code root} and, unless {@code keepRoot}, {@code root} itself. */
    public static void delete(Path root, boolean keepRoot) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failed) throws IOException {
                if (failed != null) {
                    throw failed;
                }
                if (!keepRoot || !dir.equals(root)) {
                    Files.deleteIfExists(dir);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
