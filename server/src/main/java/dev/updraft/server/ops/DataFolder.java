package dev.updraft.server.ops;

import dev.updraft.crypto.zip.FileTrees;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The server's data folder, owner-only whatever the process umask: the folder 0700, every file in it 0600
 * (docs/operations.md, "The data folder"). Java cannot set the umask, so folders and files are created with explicit
 * permissions and then set again (a umask only removes bits, but one such as 0777 would remove the owner's too), and
 * anything already there with wider permissions is tightened. Symbolic links inside the folder are left alone, never
 * followed. On a file system without POSIX permissions this does nothing.
 */
public final class DataFolder {
    private static final Logger LOG = Logger.getLogger(DataFolder.class);
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** The embedded PostgreSQL's data directory inside the data folder (EmbeddedDatabase). */
    static final String EMBEDDED_POSTGRES = "pg";

    private DataFolder() {}

    /**
     * Creates {@code dir} (0700) or makes an existing one and everything in it owner-only, and says so in one log
     * line when something had to change.
     *
     * @return what was changed, one entry per path ("name 0644 -> 0600"); empty when all was already owner-only
     */
    public static List<String> secure(Path dir) {
        try {
            if (!isPosix(dir)) {
                Files.createDirectories(dir);
                return List.of();
            }
            if (Files.notExists(dir)) {
                createFolder(dir);
                return List.of();
            }
            List<String> changed = new ArrayList<>();
            tighten(dir, FOLDER, dir, changed);
            Path postgres = dir.resolve(EMBEDDED_POSTGRES);
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (!d.equals(dir)) {
                        tightenIfThere(d, FOLDER);
                    }
                    // the embedded PostgreSQL's folder itself, not what is in it: PostgreSQL keeps that 0700/0600 and
                    // creates and removes files there all the time
                    return d.equals(postgres) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    if (!attrs.isSymbolicLink()) {
                        tightenIfThere(f, FILE);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // removed meanwhile
                    }
                    throw e;
                }

                private void tightenIfThere(Path p, Set<PosixFilePermission> wanted) throws IOException {
                    try {
                        tighten(p, wanted, dir, changed);
                    } catch (NoSuchFileException gone) {
                        // removed meanwhile: nothing to tighten
                    }
                }
            });
            if (!changed.isEmpty()) {
                LOG.warnf(
                        "data folder %s was readable by others; made it owner-only: %s",
                        dir.toAbsolutePath(), String.join(", ", changed));
            }
            return changed;
        } catch (IOException e) {
            throw new StartupProblem(
                    "cannot make the data folder " + dir.toAbsolutePath() + " owner-only (" + e.getMessage()
                            + "): run the server as the folder's owner, or choose another --data-dir",
                    e);
        }
    }

    /** Creates an empty owner-only file (and its folder, 0700) unless the file exists; an existing file is left as is. */
    public static void createOwnerOnlyFile(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (Files.notExists(dir)) {
                createFolder(dir);
            }
            if (!isPosix(dir)) {
                if (Files.notExists(file)) {
                    Files.createFile(file);
                }
                return;
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
                Files.setPosixFilePermissions(file, FILE);
            } catch (FileAlreadyExistsException exists) {
                // someone else's or an earlier start's file: secure() decides about it
            }
        } catch (IOException e) {
            throw new StartupProblem(
                    "cannot create " + file.toAbsolutePath() + " (" + e.getMessage()
                            + "): check the data folder, or choose another --data-dir",
                    e);
        }
    }

    /**
     * Creates {@code dir}, owner-only, if it does not exist and its parent does: true only when this call made it (an
     * atomic create), so that what is in it afterwards is known to be this process's ({@link #removeMade}).
     */
    static boolean createNew(Path dir) {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent) || Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            if (isPosix(parent)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(FOLDER));
                Files.setPosixFilePermissions(dir, FOLDER); // whatever the umask
            } else {
                Files.createDirectory(dir);
            }
            return true;
        } catch (IOException raceOrRefused) {
            return false; // made meanwhile by someone else, or not writable: the normal start decides and reports
        }
    }

    /**
     * Removes a folder that {@link #createNew} made, with everything in it (symbolic links are removed, never
     * followed). Best effort: what cannot be removed stays, and is logged.
     */
    static void removeMade(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            LOG.warnf("could not remove %s (%s): remove it yourself", dir, e.getMessage());
        }
    }

    private static void createFolder(Path dir) throws IOException {
        Files.createDirectories(dir.toAbsolutePath().getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(FOLDER));
        } catch (FileAlreadyExistsException raced) {
            // created meanwhile (another instance starting): tightened below all the same
        }
        Files.setPosixFilePermissions(dir, FOLDER);
    }

    private static void tighten(Path p, Set<PosixFilePermission> wanted, Path root, List<String> changed)
            throws IOException {
        PosixFileAttributeView view =
                Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> now = view.readAttributes().permissions();
        if (!now.equals(wanted)) {
            view.setPermissions(wanted);
            String name = p.equals(root) ? "the folder" : root.relativize(p).toString();
            changed.add(name + " " + octal(now) + " -> " + octal(wanted));
        }
    }

    private static boolean isPosix(Path dir) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && Files.notExists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
    }

    static String octal(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }
}
