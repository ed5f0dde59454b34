package dev.updraft.cli.admin;

import dev.updraft.cli.CliException;
import dev.updraft.cli.Identifiers;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of a build folder that go into a delta manifest, listed as the Capgo CLI lists them (docs/protocol.md
 * §7.2): every regular file under the folder, except paths containing one of {@link #SKIPPED} and empty files; names
 * with a space, and more than {@link #MAX_FILES} files, are refused before anything is read or sent.
 */
final class DeltaFiles {
    /** A path containing any of these is left out (a substring match, as Capgo's CLI does). */
    static final List<String> SKIPPED = List.of(
            ".DS_Store",
            ".git",
            ".gitignore",
            "node_modules",
            "package-lock.json",
            "tsconfig.json",
            "tsconfig.app.json",
            "tsconfig.spec.json");

    static final int MAX_FILES = 10_000;

    /** One file: its manifest name ({@code /}-separated, relative to the folder), where it is, and its size. */
    record DeltaFile(String name, Path path, long size) {}

    private DeltaFiles() {}

    /** The listed files, sorted by name; a usage error (and nothing read) for a name with a space or too many files. */
    static List<DeltaFile> list(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw CliException.failed(
                    "path_not_found",
                    "the build folder " + folder + " does not exist (build the app first, or pass --path)");
        }
        List<DeltaFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : (Iterable<Path>)
                    walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString))::iterator) {
                String name = folder.relativize(p).toString().replace('\\', '/');
                if (skipped(name)) {
                    continue;
                }
                if (name.indexOf(' ') >= 0) {
                    throw CliException.usage(
                            "file_name_with_space",
                            "'" + Identifiers.printable(name) + "' has a space in its name: "
                                    + "delta updates refuse such names (as Capgo's CLI does); rename it, or publish without --delta");
                }
                long size = Files.size(p);
                if (size == 0) {
                    continue;
                }
                files.add(new DeltaFile(name, p, size));
                if (files.size() > MAX_FILES) {
                    throw CliException.usage(
                            "too_many_files",
                            folder + " has more than " + MAX_FILES + " files: delta updates allow at most " + MAX_FILES
                                    + "; publish without --delta");
                }
            }
        }
        if (files.isEmpty()) {
            throw CliException.failed("no_files", "the build folder " + folder + " has no file to publish");
        }
        return files;
    }

    static boolean skipped(String name) {
        for (String s : SKIPPED) {
            if (name.contains(s)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code --no-brotli-patterns}: comma-separated globs; a pattern without {@code /} matches the file's base name
     * anywhere ({@code *.png}), one with {@code /} the whole relative path ({@code assets/**}).
     */
    static final class BrotliExclusions {
        private final List<PathMatcher> byName = new ArrayList<>();
        private final List<PathMatcher> byPath = new ArrayList<>();

        BrotliExclusions(String patterns) {
            if (patterns == null) {
                return;
            }
            for (String raw : patterns.split(",")) {
                String p = raw.strip();
                if (p.isEmpty()) {
                    continue;
                }
                try {
                    (p.contains("/") ? byPath : byName)
                            .add(FileSystems.getDefault().getPathMatcher("glob:" + p));
                } catch (IllegalArgumentException e) {
                    throw CliException.usage(
                            "invalid_pattern",
                            "--no-brotli-patterns: '" + Identifiers.printable(p) + "' is not a glob pattern");
                }
            }
        }

        boolean excludes(String name) {
            Path path = Path.of(name);
            Path base = path.getFileName();
            return byName.stream().anyMatch(m -> m.matches(base))
                    || byPath.stream().anyMatch(m -> m.matches(path));
        }
    }
}
