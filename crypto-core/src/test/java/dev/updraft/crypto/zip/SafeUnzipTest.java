package dev.updraft.crypto.zip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.crypto.zip.BundleArchiveException.Failure;
import dev.updraft.protocol.StatsAction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hostile zips, crafted here entry by entry, and the plugin's flatten rule. */
class SafeUnzipTest {
    @TempDir
    Path sandbox;

    Path zip;
    Path target;

    @BeforeEach
    void paths() {
        zip = sandbox.resolve("bundle.zip");
        target = sandbox.resolve("device/bundle");
    }

    /**
     * Writes a zip whose entries are name/content pairs, names stored verbatim (java.util.zip does not rewrite
     * backslashes the way commons-compress does for FAT entries); a name ending in '/' is a folder.
     */
    private void craft(String... nameContent) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (int i = 0; i < nameContent.length; i += 2) {
                out.putNextEntry(new ZipEntry(nameContent[i]));
                out.write(nameContent[i + 1].getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }

    private void assertRefused(Failure failure, String stat) throws IOException {
        assertThatThrownBy(() -> SafeUnzip.extract(zip, target, SafeUnzip.Limits.defaults()))
                .isInstanceOfSatisfying(BundleArchiveException.class, e -> {
                    assertThat(e.failure()).isEqualTo(failure);
                    assertThat(e.failure().pluginStat().map(StatsAction::wire)).hasValue(stat);
                });
        assertNothingLeftBehind();
    }

    /** Only the zip itself remains in the sandbox: no partial extraction, nothing written beside it. */
    private void assertNothingLeftBehind() throws IOException {
        try (Stream<Path> all = Files.walk(sandbox)) {
            assertThat(all.filter(Files::isRegularFile)).containsExactly(zip);
        }
        assertThat(target).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "'../evil.js', PATH_TRAVERSAL, canonical_path_fail",
        "'js/../../evil.js', PATH_TRAVERSAL, canonical_path_fail",
        "'..', PATH_TRAVERSAL, canonical_path_fail",
        "'/etc/evil.js', ABSOLUTE_PATH, canonical_path_fail",
        "'C:/evil.js', ABSOLUTE_PATH, canonical_path_fail",
        "'js\\evil.js', WINDOWS_PATH, windows_path_fail",
        "'..\\..\\evil.js', WINDOWS_PATH, windows_path_fail",
        "'./', CANONICAL_PATH, canonical_path_fail",
    })
    void hostileNamesAreRefusedBeforeAnythingIsWritten(String name, Failure failure, String stat) throws IOException {
        // a good entry first: it must not survive the refusal of the bad one
        craft("index.html", "<html></html>", name, "alert('pwned')");
        assertRefused(failure, stat);
        assertThat(sandbox.getParent().resolve("evil.js")).doesNotExist();
    }

    @Test
    void nulInANameIsAWindowsPathFailure() throws IOException {
        craft("index.html", "<html></html>", "js/app.js\0.png", "x");
        assertRefused(Failure.WINDOWS_PATH, "windows_path_fail");
    }

    @Test
    void anEmptyNameIsRefused() throws IOException {
        craft("index.html", "<html></html>", "", "x");
        assertRefused(Failure.EMPTY_NAME, "unzip_fail");
    }

    @Test
    void symlinkEntriesAreRefused() throws IOException {
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            ZipArchiveEntry link = new ZipArchiveEntry("index.html");
            link.setUnixMode(UnixStat.LINK_FLAG | 0777);
            out.putArchiveEntry(link);
            out.write("/etc/passwd".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        assertRefused(Failure.SYMLINK_ENTRY, "unzip_fail");
    }

    @Test
    void duplicateEntriesAreRefused() throws IOException {
        try (ZipArchiveOutputStream out =
                new ZipArchiveOutputStream(zip)) { // java.util.zip refuses to write duplicates
            for (String content : new String[] {"<html>one</html>", "<html>two</html>"}) {
                out.putArchiveEntry(new ZipArchiveEntry("index.html"));
                out.write(content.getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        assertRefused(Failure.DUPLICATE_ENTRY, "unzip_fail");
    }

    @Test
    void aZipBombIsStoppedByTheCompressionRatio() throws IOException {
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            out.putArchiveEntry(new ZipArchiveEntry("index.html"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) { // 64 MiB of zeros deflate to ~64 KiB: ratio ~1000
                out.write(zeros);
            }
            out.closeArchiveEntry();
        }
        assertThat(Files.size(zip)).isLessThan(200_000);
        assertRefused(Failure.COMPRESSION_RATIO, "unzip_fail");
    }

    @Test
    void totalSizeAndEntryCountLimitsApply() throws IOException {
        craft("index.html", "x".repeat(10_000), "a.js", "y".repeat(10_000), "b.js", "z");
        assertThatThrownBy(() -> SafeUnzip.extract(zip, target, new SafeUnzip.Limits(15_000, 100, 1000)))
                .isInstanceOfSatisfying(
                        BundleArchiveException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.TOO_LARGE));
        assertNothingLeftBehind();
        assertThatThrownBy(() -> SafeUnzip.extract(zip, target, new SafeUnzip.Limits(1 << 20, 2, 1000)))
                .isInstanceOfSatisfying(
                        BundleArchiveException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.TOO_MANY_ENTRIES));
        assertNothingLeftBehind();
    }

    @Test
    void notAZipIsRefused() throws IOException {
        Files.writeString(zip, "this is not a zip");
        assertRefused(Failure.NOT_A_ZIP, "unzip_fail");
    }

    @Test
    void aCorruptEntryIsRefusedByItsCrc() throws IOException {
        BundleLayoutTest.writeCorruptZip(zip);
        assertRefused(Failure.NOT_A_ZIP, "unzip_fail");
    }

    @Test
    void aNonEmptyTargetIsRefusedAndLeftAlone() throws IOException {
        craft("index.html", "<html></html>");
        Files.createDirectories(target);
        Files.writeString(target.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> SafeUnzip.extract(zip, target, SafeUnzip.Limits.defaults()))
                .isInstanceOfSatisfying(
                        BundleArchiveException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.TARGET_NOT_EMPTY));
        assertThat(Files.readString(target.resolve("keep.txt"))).isEqualTo("mine");
    }

    @Test
    void aGoodZipIsExtractedWithTheRootAsTheBundle() throws IOException {
        craft("index.html", "<html></html>", "js/", "", "js/app.js", "notifyAppReady()", "./css/site.css", "body{}");
        SafeUnzip.ExtractedBundle b = SafeUnzip.extract(zip, target, SafeUnzip.Limits.defaults());
        assertThat(b.root()).isEqualTo(target.toAbsolutePath());
        assertThat(b.hasIndexHtml()).isTrue();
        assertThat(b.files()).isEqualTo(3);
        assertThat(target.resolve("js/app.js")).hasContent("notifyAppReady()");
        assertThat(target.resolve("css/site.css")).hasContent("body{}");
    }

    @Test
    void aSingleTopLevelFolderBecomesTheBundleIgnoringDotFilesAndMacosx() throws IOException {
        craft(
                "dist/index.html",
                "<html></html>",
                "dist/js/app.js",
                "x",
                "__MACOSX/dist/._index.html",
                "junk",
                ".DS_Store",
                "junk");
        SafeUnzip.ExtractedBundle b = SafeUnzip.extract(zip, target, SafeUnzip.Limits.defaults());
        assertThat(b.root()).isEqualTo(target.toAbsolutePath().resolve("dist"));
        assertThat(b.hasIndexHtml()).isTrue();
    }

    @Test
    void deeperNestingDoesNotFlattenTwiceSoTheBundleHasNoIndex() throws IOException {
        craft("a/b/index.html", "<html></html>");
        SafeUnzip.ExtractedBundle b = SafeUnzip.extract(zip, target, SafeUnzip.Limits.defaults());
        assertThat(b.root()).isEqualTo(target.toAbsolutePath().resolve("a"));
        assertThat(b.hasIndexHtml()).isFalse();
    }
}
