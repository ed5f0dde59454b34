package dev.updraft.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.fixtures.S3Store;
import dev.updraft.server.storage.BundleStorage;
import dev.updraft.server.web.ApiException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code updraft.storage.kind=s3} against a real S3 API (s3proxy on loopback over the file system): a body lands at its
 * content address in one PUT or in parts, an object with other bytes there is refused and left alone, a store that
 * does not answer is {@code 503 storage_unavailable}, and a name that is not a stored file's never reaches the store.
 */
class S3BundleStorageTest {
    private static final String APP = "com.example.s3srv";
    private static final String BUCKET = "bundles";

    @TempDir
    static Path dir;

    static S3Store s3;
    static S3Bucket bucket;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Store.start(Files.createDirectories(dir.resolve("s3")));
        s3.createBucket(BUCKET);
        bucket = bucketAt(s3.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        bucket.close();
        s3.close();
    }

    private static S3Bucket bucketAt(URI endpoint) {
        return new S3Bucket(new S3Bucket.Settings(
                BUCKET,
                endpoint,
                Optional.empty(),
                true,
                Optional.of(S3Store.ACCESS_KEY),
                Optional.of(S3Store.SECRET_KEY)));
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void assertSpoolEmpty(Path incoming) throws Exception {
        if (Files.exists(incoming)) {
            try (var files = Files.list(incoming)) {
                assertThat(files).as("the spooled upload is removed").isEmpty();
            }
        }
    }

    @Test
    void aBodyLandsAtItsContentAddressAndIsServedAndDeletedByName() throws Exception {
        BundleStorage storage = new S3BundleStorage(bucket, dir.resolve("in-1"));
        byte[] zip = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);

        BundleStorage.Stored stored = storage.put(APP, new ByteArrayInputStream(zip), 1024);

        String name = APP + "/" + sha256(zip) + ".zip";
        assertThat(stored).isEqualTo(new BundleStorage.Stored(name, sha256(zip), zip.length));
        assertThat(s3.get(BUCKET, name)).isEqualTo(zip);
        assertThat(storage.publicUrl(name, URI.create("https://updraft.example/")))
                .hasToString(s3.endpoint() + "/" + BUCKET + "/" + name);
        assertThat(bucket.keyOf(storage.publicUrl(name, null).toString())).contains(name);
        // the same bytes again: the object there is this upload, untouched
        assertThat(storage.put(APP, new ByteArrayInputStream(zip), 1024)).isEqualTo(stored);
        assertThat(s3.count(BUCKET)).isEqualTo(1);

        assertThat(storage.exists(name)).isTrue();
        assertThat(storage.size(name)).isEqualTo(20);
        try (InputStream in = storage.open(name, 5, 5)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("56789");
        }
        assertThat(storage.servedByServer()).isFalse();
        assertThat(storage.delete(name)).isTrue();
        assertThat(storage.delete(name)).isFalse();
        assertThat(storage.exists(name)).isFalse();
        assertSpoolEmpty(dir.resolve("in-1"));
    }

    @Test
    void aLargeBodyGoesInPartsAndIsVerified() throws Exception {
        // parts of S3's smallest size (s3proxy refuses smaller ones too), so this body is two parts
        BundleStorage storage = new S3BundleStorage(bucket, dir.resolve("in-2"), 1024 * 1024, 5 * 1024 * 1024);
        byte[] zip = bytes(5 * 1024 * 1024 + 17, 2);

        BundleStorage.Stored stored = storage.put(APP, new ByteArrayInputStream(zip), 64L * 1024 * 1024);

        assertThat(s3.get(BUCKET, stored.name())).isEqualTo(zip);
        assertThat(stored.sha256()).isEqualTo(sha256(zip));
        assertThatThrownBy(() -> storage.put(APP, new ByteArrayInputStream(zip), zip.length - 1))
                .isInstanceOf(BundleStorage.TooLargeException.class);
        assertSpoolEmpty(dir.resolve("in-2"));
    }

    @Test
    void hostile_anObjectWithOtherBytesAtTheNameIsRefusedAndLeftAlone() throws Exception {
        BundleStorage storage = new S3BundleStorage(bucket, dir.resolve("in-3"));
        byte[] zip = bytes(4096, 3);
        String name = APP + "/" + sha256(zip) + ".zip";
        byte[] planted = "someone else's bytes".getBytes(StandardCharsets.UTF_8);
        s3.put(BUCKET, name, planted);

        assertThatThrownBy(() -> storage.put(APP, new ByteArrayInputStream(zip), 1 << 20))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("store_object_exists");
                });

        assertThat(s3.get(BUCKET, name)).isEqualTo(planted);
        assertSpoolEmpty(dir.resolve("in-3"));
    }

    @Test
    void hostile_aStoreThatDoesNotAnswerIs503AndANameThatIsNotAStoredFilesNeverReachesIt() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        S3Bucket down = bucketAt(URI.create("http://127.0.0.1:" + closed));
        try {
            BundleStorage storage = new S3BundleStorage(down, dir.resolve("in-4"));

            assertThatThrownBy(() -> storage.put(APP, new ByteArrayInputStream(bytes(100, 4)), 1024))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(503);
                        assertThat(e.code()).isEqualTo("storage_unavailable");
                        assertThat(e.getMessage()).doesNotContain(S3Store.SECRET_KEY);
                    });
            assertSpoolEmpty(dir.resolve("in-4"));
            String valid = APP + "/" + "a".repeat(64) + ".zip";
            assertThatThrownBy(() -> storage.exists(valid))
                    .as("a valid name does reach the store")
                    .isInstanceOf(ApiException.class);

            // names that are not content addresses are refused here, before any request (which would be a 503)
            for (String name : new String[] {
                APP + "/../" + "a".repeat(64) + ".zip", APP + "/" + "A".repeat(64) + ".zip", "x/y.zip", APP + "/"
            }) {
                assertThat(storage.exists(name)).as(name).isFalse();
                assertThatThrownBy(() -> storage.open(name, 0, 1)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> storage.size(name)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> storage.delete(name)).isInstanceOf(IllegalArgumentException.class);
            }
        } finally {
            down.close();
        }
    }
}
