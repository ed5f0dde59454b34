package dev.updraft.cli.bundle.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.cli.CliException;
import dev.updraft.fixtures.S3Store;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multipart path of {@link S3Uploader} against a real S3 API (s3proxy), with S3's smallest part size so that a
 * 6 MiB file goes in two parts; and how the options turn into a target.
 */
class S3UploaderTest {
    private static final int PART = 5 * 1024 * 1024;

    @TempDir
    static Path dir;

    static S3Store store;

    @BeforeAll
    static void start() throws Exception {
        store = S3Store.start(Files.createDirectories(dir.resolve("s3")));
        store.createBucket("parts");
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
    }

    private static S3Target target() {
        return new S3Target(store.endpoint(), null, "parts", true, S3Store.ACCESS_KEY, S3Store.SECRET_KEY);
    }

    @Test
    void aLargeFileGoesInPartsWithProgressAndLandsByteForByte() throws Exception {
        byte[] bytes = new byte[PART + 1024 * 1024];
        new Random(7).nextBytes(bytes);
        Path file = Files.write(dir.resolve("large.zip"), bytes);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        AtomicLong progress = new AtomicLong();

        try (S3Uploader up = S3Uploader.open(target(), PART, PART)) {
            String key = S3Target.contentKey("com.example.large", sha);
            assertThat(up.put(key, file, sha, bytes.length, progress::set)).isEqualTo(S3Uploader.Outcome.CREATED);
            assertThat(store.get("parts", key)).isEqualTo(bytes);
            assertThat(progress.get()).isEqualTo(bytes.length);

            // the same file again is recognised; other bytes at the key are refused and stay
            assertThat(up.put(key, file, sha, bytes.length, p -> {})).isEqualTo(S3Uploader.Outcome.IDENTICAL);
            byte[] other = bytes.clone();
            other[PART + 3] ^= 1; // same size, one bit off, in the second part
            store.put("parts", key, other);
            assertThatThrownBy(() -> up.put(key, file, sha, bytes.length, p -> {}))
                    .isInstanceOf(CliException.class)
                    .hasMessageContaining("already holds other bytes");
            assertThat(store.get("parts", key)).isEqualTo(other);
        }
    }

    @Test
    void objectUrlsArePathOrVirtualHostStyle() {
        S3Options o = new S3Options();
        o.bucket = "my-bundles";
        o.endpoint = "minio.example.com";
        o.port = 9000;
        S3Target path = o.target();
        assertThat(path.endpoint()).isEqualTo(URI.create("https://minio.example.com:9000"));
        assertThat(path.pathStyle()).isTrue();
        o.addressing = S3Options.Addressing.VIRTUAL_HOST;
        try (S3Uploader up = S3Uploader.open(o.target())) {
            assertThat(up.objectUrl("a/b.zip"))
                    .isEqualTo(URI.create("https://my-bundles.minio.example.com:9000/a/b.zip"));
        }
        try (S3Uploader up = S3Uploader.open(path)) {
            assertThat(up.objectUrl("a/b.zip"))
                    .isEqualTo(URI.create("https://minio.example.com:9000/my-bundles/a/b.zip"));
        }
        assertThat(path.toString()).doesNotContain("secret");
    }
}
