package dev.updraft.crypto.zip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.crypto.Vectors;
import dev.updraft.crypto.zip.BundleArchiveException.Failure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which zips every device can install, decided without extracting them. */
class BundleLayoutTest {
    @TempDir
    Path sandbox;

    /** A zip of name/content pairs, names stored verbatim; a name ending in '/' is a folder. */
    private Path craft(String... nameContent) throws IOException {
        Path zip = sandbox.resolve("bundle.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (int i = 0; i < nameContent.length; i += 2) {
                out.putNextEntry(new ZipEntry(nameContent[i]));
                out.write(nameContent[i + 1].getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return zip;
    }

    private static void assertRefused(Path zip, Failure failure, String messagePart) {
        assertThatThrownBy(() -> BundleLayout.check(zip))
                .isInstanceOfSatisfying(
                        BundleArchiveException.class,
                        e -> assertThat(e.failure()).isEqualTo(failure))
                .hasMessageContaining(messagePart);
    }

    @Test
    void theCapgoClisGoldenZipPasses() throws Exception {
        BundleLayout.Checked c = BundleLayout.check(Vectors.file("bundle/com.example.selfhosted_1.0.1.zip"));
        assertThat(c.root()).isEmpty();
        assertThat(c.files()).isPositive();
    }

    @Test
    void indexHtmlAtTheRootOrInTheOneTopLevelFolderPasses() throws Exception {
        assertThat(BundleLayout.check(craft("index.html", "<html>", "js/app.js", "x"))
                        .root())
                .isEmpty();
        BundleLayout.Checked nested =
                BundleLayout.check(craft("dist/", "", "dist/index.html", "<html>", "dist/js/app.js", "x"));
        assertThat(nested.root()).isEqualTo("dist/");
        assertThat(nested.files()).isEqualTo(2);
        assertThat(nested.bytes()).isEqualTo("<html>x".length());
        // no folder entry, and a "./" prefix: the folder is still the one top-level entry
        assertThat(BundleLayout.check(craft("./dist/index.html", "<html>")).root())
                .isEqualTo("dist/");
        // a root index.html wins even beside a single folder
        assertThat(BundleLayout.check(craft("index.html", "<html>", "assets/a.css", "x"))
                        .root())
                .isEmpty();
    }

    @Test
    void randomBytesAndAnEmptyFileAreNotAZip() throws Exception {
        Path random = sandbox.resolve("random.bin");
        byte[] bytes = new byte[4096];
        new Random(3).nextBytes(bytes);
        Files.write(random, bytes);
        assertRefused(random, Failure.NOT_A_ZIP, "not a zip file");
        Path empty = Files.createFile(sandbox.resolve("empty.zip"));
        assertRefused(empty, Failure.NOT_A_ZIP, "not a zip file");
    }

    @Test
    void aZipWithoutIndexHtmlWhereDevicesLookIsRefused() throws Exception {
        String neither = "index.html is neither at the root nor in a single top-level folder";
        assertRefused(craft("js/app.js", "x", "css/site.css", "y"), Failure.INDEX_HTML_NOT_FOUND, neither);
        assertRefused(craft("a/b/index.html", "<html>"), Failure.INDEX_HTML_NOT_FOUND, neither); // flattened once only
        assertRefused(craft("dist/index.html", "<html>", "other/x.js", "x"), Failure.INDEX_HTML_NOT_FOUND, neither);
        assertRefused(craft("index.html/", ""), Failure.INDEX_HTML_NOT_FOUND, neither); // a folder named index.html
        assertRefused(craft(), Failure.INDEX_HTML_NOT_FOUND, neither);
    }

    @Test
    void aFolderBesideHiddenNamesIsRefusedBecauseIosCountsThem() throws Exception {
        assertRefused(craft("dist/index.html", "<html>", ".DS_Store", "junk"), Failure.INDEX_HTML_NOT_FOUND, "iOS");
        assertRefused(
                craft("dist/index.html", "<html>", "__MACOSX/dist/._index.html", "junk"),
                Failure.INDEX_HTML_NOT_FOUND,
                "__MACOSX");
    }

    @Test
    void theUnzipEntryRulesApplyWithoutWritingAnything() throws Exception {
        assertRefused(craft("index.html", "<html>", "../evil.js", "x"), Failure.PATH_TRAVERSAL, "'..'");
        assertRefused(craft("index.html", "<html>", "js\\evil.js", "x"), Failure.WINDOWS_PATH, "backslash");
        assertRefused(craft("index.html", "<html>", "/etc/evil.js", "x"), Failure.ABSOLUTE_PATH, "absolute");
        assertRefused(craft("index.html", "<html>", "./index.html", "again"), Failure.DUPLICATE_ENTRY, "two entries");
        try (Stream<Path> all = Files.walk(sandbox)) {
            assertThat(all.filter(Files::isRegularFile)).containsExactly(sandbox.resolve("bundle.zip"));
        }
    }

    @Test
    void everyEntryIsReadSoACorruptOneIsRefused() throws Exception {
        Path zip = sandbox.resolve("corrupt.zip");
        writeCorruptZip(zip);
        assertRefused(zip, Failure.NOT_A_ZIP, "corrupt: its CRC-32 does not match");
    }

    /**
     * A zip whose central directory is intact but whose second entry, js/app.js, has one changed byte in its
     * compressed data: only reading the entry (and checking its CRC-32) finds it.
     */
    static void writeCorruptZip(Path zip) throws IOException {
        Random random = new Random(5);
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            letters.append((char) ('a' + random.nextInt(26))); // compresses poorly: thousands of bytes of data
        }
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("index.html"));
            out.write("<html>".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("js/app.js"));
            out.write(letters.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        byte[] bytes = Files.readAllBytes(zip);
        bytes[indexOf(bytes, "js/app.js".getBytes(StandardCharsets.UTF_8)) + 200] ^= 0x55;
        Files.write(zip, bytes);
    }

    @Test
    void theZipBombLimitsApply() throws Exception {
        Path zip = craft("index.html", "<html>", "big.txt", "0".repeat(3_000_000));
        assertThatThrownBy(() -> BundleLayout.check(zip, new SafeUnzip.Limits(1L << 30, 20_000, 200)))
                .isInstanceOfSatisfying(
                        BundleArchiveException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.COMPRESSION_RATIO));
        assertThatThrownBy(() -> BundleLayout.check(zip, new SafeUnzip.Limits(1_000_000, 20_000, 100_000)))
                .isInstanceOfSatisfying(
                        BundleArchiveException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.TOO_LARGE));
        assertThatThrownBy(() -> BundleLayout.check(zip, new SafeUnzip.Limits(1L << 30, 1, 100_000)))
                .isInstanceOfSatisfying(
                        BundleArchiveException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.TOO_MANY_ENTRIES));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        for (int i = 0;
                i + needle.length <= hay.length;
                i++) { // the first occurrence: the local header, not the directory
            boolean match = true;
            for (int j = 0; j < needle.length && match; j++) {
                match = hay[i + j] == needle[j];
            }
            if (match) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
