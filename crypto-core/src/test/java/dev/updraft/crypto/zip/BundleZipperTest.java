package dev.updraft.crypto.zip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.crypto.ProgressListener;
import dev.updraft.crypto.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleZipperTest {
    @TempDir
    Path tmp;

    private Path copyOfWww(String name) throws IOException {
        Path src = Vectors.file("project/www");
        Path dst = tmp.resolve(name);
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return dst;
    }

    @Test
    void contentsSitAtTheZipRootLikeTheCapgoCli() throws Exception {
        BundleZipper.ZippedBundle z = BundleZipper.zip(
                copyOfWww("www"), tmp.resolve("out.zip"), BundleZipper.Options.defaults(), ProgressListener.NONE);
        List<String> names = new ArrayList<>();
        try (ZipFile zip = ZipFile.builder().setPath(z.file()).get()) {
            for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
                names.add(e.getName());
                if (e.isDirectory()) {
                    assertThat(e.getMethod()).isEqualTo(ZipArchiveEntry.STORED);
                }
                if (e.getName().equals("index.html") || e.getName().equals("assets/data/big.txt")) {
                    assertThat(e.getMethod()).as(e.getName()).isEqualTo(ZipArchiveEntry.DEFLATED);
                    assertThat(e.getCompressedSize()).isLessThan(e.getSize());
                }
            }
        }
        // the same ten entries as the Capgo CLI's golden zip
        List<String> golden = new ArrayList<>();
        try (ZipFile zip = ZipFile.builder()
                .setPath(Vectors.file("bundle/com.example.selfhosted_1.0.1.zip"))
                .get()) {
            Collections.list(zip.getEntries()).forEach(e -> golden.add(e.getName()));
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(golden).hasSize(10);
        assertThat(z.entries()).isEqualTo(10);
        assertThat(z.size()).isEqualTo(Files.size(z.file()));
    }

    @Test
    void whatDeflateCannotShrinkIsStoredAndEveryEntryUnzipsToItsFile() throws Exception {
        Path www = copyOfWww("www");
        Random random = new Random(18);
        byte[] noise = new byte[600 * 1024]; // more than one read buffer: streamed, stored after its first 256 KiB
        random.nextBytes(noise);
        Files.write(www.resolve("assets/noise.bin"), noise);
        byte[] smallNoise = new byte[3000]; // read whole: compressed once, found not to shrink
        random.nextBytes(smallNoise);
        Files.write(www.resolve("assets/small.bin"), smallNoise);
        Files.writeString(www.resolve("assets/img/photo.JPG"), "a".repeat(50_000)); // stored by its name
        Files.writeString(www.resolve("js/vendor.js"), "export const x = 1;\n".repeat(40_000)); // streamed, deflated
        Files.write(www.resolve("empty.txt"), new byte[0]);

        BundleZipper.ZippedBundle z =
                BundleZipper.zip(www, tmp.resolve("out.zip"), BundleZipper.Options.defaults(), ProgressListener.NONE);

        Map<String, Integer> methods = new HashMap<>();
        try (ZipFile zip = ZipFile.builder().setPath(z.file()).get()) {
            Collections.list(zip.getEntries()).forEach(e -> methods.put(e.getName(), e.getMethod()));
        }
        assertThat(methods)
                .containsEntry("assets/noise.bin", ZipArchiveEntry.STORED)
                .containsEntry("assets/small.bin", ZipArchiveEntry.STORED)
                .containsEntry("assets/img/photo.JPG", ZipArchiveEntry.STORED)
                .containsEntry("js/vendor.js", ZipArchiveEntry.DEFLATED)
                .containsEntry("index.html", ZipArchiveEntry.DEFLATED);
        assertThat(z.checksum()).isEqualTo(dev.updraft.crypto.BundleChecksum.of(z.file()));

        // the device's unzip rules (docs/protocol.md §8.3) take it, and every file comes back byte for byte
        Path out = tmp.resolve("unzipped");
        SafeUnzip.extract(z.file(), out, SafeUnzip.Limits.defaults());
        BundleLayout.check(z.file());
        try (Stream<Path> walk = Files.walk(www)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                assertThat(out.resolve(www.relativize(p).toString()))
                        .as(p.toString())
                        .hasSameBinaryContentAs(p);
            }
        }
    }

    @Test
    void reproducibleZipsOfTheSameFolderHaveTheSameChecksumWhateverTheTimestamps() throws Exception {
        Path a = copyOfWww("a");
        Path b = copyOfWww("b");
        Files.setLastModifiedTime(b.resolve("index.html"), FileTime.fromMillis(1_000_000_000_000L));
        BundleZipper.Options reproducible = new BundleZipper.Options(true, true);
        var za = BundleZipper.zip(a, tmp.resolve("a.zip"), reproducible, ProgressListener.NONE);
        var zb = BundleZipper.zip(b, tmp.resolve("b.zip"), reproducible, ProgressListener.NONE);
        var za2 = BundleZipper.zip(a, tmp.resolve("a2.zip"), reproducible, ProgressListener.NONE);
        assertThat(za.checksum()).isEqualTo(zb.checksum()).isEqualTo(za2.checksum());

        // without --reproducible the timestamps are kept, as the Capgo CLI does, so the checksum follows them
        var plainA = BundleZipper.zip(a, tmp.resolve("pa.zip"), BundleZipper.Options.defaults(), ProgressListener.NONE);
        var plainB = BundleZipper.zip(b, tmp.resolve("pb.zip"), BundleZipper.Options.defaults(), ProgressListener.NONE);
        assertThat(plainA.checksum()).isNotEqualTo(plainB.checksum());
    }

    @Test
    void aFolderWithoutIndexHtmlAtTheRootIsRefusedUnlessTheCheckIsOff() throws Exception {
        Path www = copyOfWww("www");
        Files.move(www.resolve("index.html"), www.resolve("css/index.html"));
        assertThatThrownBy(() -> BundleZipper.zip(
                        www, tmp.resolve("x.zip"), BundleZipper.Options.defaults(), ProgressListener.NONE))
                .isInstanceOfSatisfying(
                        BundleArchiveException.class,
                        e -> assertThat(e.failure().code()).isEqualTo("index_html_not_found"));
        assertThat(tmp.resolve("x.zip")).doesNotExist();
        assertThat(BundleZipper.zip(
                                www,
                                tmp.resolve("x.zip"),
                                new BundleZipper.Options(false, false),
                                ProgressListener.NONE)
                        .file())
                .exists();
    }

    @Test
    void aFolderWhoseJavaScriptNeverCallsNotifyAppReadyIsRefused() throws Exception {
        Path www = copyOfWww("www");
        Files.writeString(www.resolve("js/app.js"), "console.log('no ready call here');\n");
        Files.writeString(www.resolve("notes.txt"), "notifyAppReady in a text file does not count\n");
        assertThatThrownBy(() -> BundleZipper.zip(
                        www, tmp.resolve("x.zip"), BundleZipper.Options.defaults(), ProgressListener.NONE))
                .isInstanceOfSatisfying(
                        BundleArchiveException.class,
                        e -> assertThat(e.failure().code()).isEqualTo("notifyAppReady_not_in_source_code"));
    }

    @Test
    void notifyAppReadyIsFoundAcrossBufferBoundariesInDeepFolders() throws Exception {
        Path www = copyOfWww("www");
        Files.writeString(www.resolve("js/app.js"), "console.log(1);\n");
        Files.createDirectories(www.resolve("js/vendor/deep"));
        // place the word so that it straddles the 64 KiB read buffer
        String padding = "x".repeat(64 * 1024 - 5);
        Files.writeString(www.resolve("js/vendor/deep/chunk.js"), padding + "CapacitorUpdater.notifyAppReady();\n");
        assertThat(BundleZipper.zip(www, tmp.resolve("x.zip"), BundleZipper.Options.defaults(), ProgressListener.NONE)
                        .entries())
                .isGreaterThan(10);
    }

    @Test
    void symbolicLinksInTheBuildFolderAreRefused() throws Exception {
        Path www = copyOfWww("www");
        Files.createSymbolicLink(www.resolve("alias.html"), www.resolve("index.html"));
        assertThatThrownBy(() -> BundleZipper.zip(
                        www, tmp.resolve("x.zip"), BundleZipper.Options.defaults(), ProgressListener.NONE))
                .isInstanceOfSatisfying(
                        BundleArchiveException.class,
                        e -> assertThat(e.failure()).isEqualTo(BundleArchiveException.Failure.LINK_IN_BUILD_FOLDER));
    }
}
