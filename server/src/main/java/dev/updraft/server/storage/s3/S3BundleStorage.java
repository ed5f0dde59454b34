package dev.updraft.server.storage.s3;

import dev.updraft.server.storage.BundleStorage;
import dev.updraft.server.storage.Spool;
import dev.updraft.server.web.ApiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Bundles uploaded through the server, kept as objects of the configured bucket ({@code updraft.storage.kind=s3},
 * docs/operations.md "Bundle storage"), at the same content address the CLI's {@code --s3-bucket-name} uses,
 * {@code <app id>/<sha256>.zip}. The body is spooled to an owner-only file first (its SHA-256 is its name), then the
 * key is looked up: an object there counts only if it has exactly these bytes, and is otherwise refused and left
 * alone, since s3proxy and others ignore the {@code If-None-Match: *} the upload sends as well. Each body carries its
 * {@code Content-MD5}; from {@link #MULTIPART_THRESHOLD} the upload goes in parts; afterwards the object's size and
 * ETag (or its bytes, read back) are checked. Devices download from the bucket, presigned or not by the app's
 * download-URL mode; the server's own {@code /files} route serves none of these names ({@link #servedByServer}).
 *
 * <p>Every call blocks: it runs on the worker thread of the request (the upload routes are blocking). A store that
 * cannot be reached is {@code 503 storage_unavailable}, one that refuses {@code 502 storage_refused}; the log names
 * the bucket, never the secret.
 */
public final class S3BundleStorage implements BundleStorage {
    private static final Logger LOG = Logger.getLogger(S3BundleStorage.class);

    /** Bodies of this size or more go as a multipart upload (one PUT takes at most 5 GiB). */
    static final long MULTIPART_THRESHOLD = 16L * 1024 * 1024;
    /** The size of each part but the last (S3's minimum is 5 MiB). */
    static final int PART_SIZE = 8 * 1024 * 1024;

    private final S3Bucket bucket;
    private final Path incoming;
    private final long multipartThreshold;
    private final int partSize;

    /** @param incoming the folder uploads are spooled in until their name is known */
    public S3BundleStorage(S3Bucket bucket, Path incoming) {
        this(bucket, incoming, MULTIPART_THRESHOLD, PART_SIZE);
    }

    S3BundleStorage(S3Bucket bucket, Path incoming, long multipartThreshold, int partSize) {
        this.bucket = bucket;
        this.incoming = incoming;
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
    }

    @Override
    public Stored put(String appId, InputStream content, long maxBytes) throws IOException {
        Files.createDirectories(incoming);
        Path spool = incoming.resolve(UUID.randomUUID() + ".part");
        try {
            MessageDigest sha = digest("SHA-256");
            MessageDigest md5 = digest("MD5");
            long size = Spool.write(content, spool, maxBytes, sha, md5);
            String hex = HexFormat.of().formatHex(sha.digest());
            String key = appId + "/" + hex + ".zip";
            long length = size;
            byte[] bodyMd5 = md5.digest();
            store(() -> {
                upload(key, spool, length, hex, bodyMd5);
                return null;
            });
            return new Stored(key, hex, size);
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private void upload(String key, Path file, long size, String sha256, byte[] md5) {
        HeadObjectResponse existing = head(key);
        if (existing != null) {
            requireSameBytes(key, existing, size, sha256);
            return;
        }
        String etag;
        try {
            etag = size < multipartThreshold ? putWhole(key, file, size, md5) : putInParts(key, file, size);
        } catch (S3Exception e) {
            if (e.statusCode() != 412) {
                throw e;
            }
            requireSameBytes(key, head(key), size, sha256); // a store that honours If-None-Match: someone was first
            return;
        }
        HeadObjectResponse stored = head(key);
        boolean sameSize = stored != null && stored.contentLength() != null && stored.contentLength() == size;
        if (!sameSize || !(etag.equals(etag(stored)) || sha256.equals(storedSha256(key)))) {
            LOG.errorf("%s holds other bytes than the upload of %s just after it (%s)", key, sha256, bucket.describe());
            throw new ApiException(
                    502,
                    "storage_verify_failed",
                    "The bundle storage does not hold the uploaded bytes after the upload; nothing was registered");
        }
    }

    private String putWhole(String key, Path file, long size, byte[] md5) {
        client().putObject(
                        b -> b.bucket(bucket.name())
                                .key(key)
                                .contentType("application/zip")
                                .contentLength(size)
                                .contentMD5(Base64.getEncoder().encodeToString(md5))
                                .ifNoneMatch("*"),
                        RequestBody.fromFile(file));
        return HexFormat.of().formatHex(md5);
    }

    /** Parts of {@link #partSize} with their Content-MD5; the upload is aborted when one fails. */
    private String putInParts(String key, Path file, long size) {
        S3Client s3 = client();
        String uploadId = s3.createMultipartUpload(
                        b -> b.bucket(bucket.name()).key(key).contentType("application/zip"))
                .uploadId();
        boolean completed = false;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            List<CompletedPart> parts = new ArrayList<>();
            MessageDigest partDigests = digest("MD5"); // the multipart ETag: MD5 of the parts' MD5s, "-" part count
            byte[] chunk = new byte[(int) Math.min(partSize, size)];
            for (long offset = 0; offset < size; offset += partSize) {
                int length = (int) Math.min(partSize, size - offset);
                ByteBuffer window = ByteBuffer.wrap(chunk, 0, length);
                while (window.hasRemaining()) {
                    if (in.read(window, offset + window.position()) < 0) {
                        throw new IOException("the spooled upload got shorter");
                    }
                }
                MessageDigest partDigest = digest("MD5");
                partDigest.update(chunk, 0, length);
                byte[] md5 = partDigest.digest();
                partDigests.update(md5);
                int number = parts.size() + 1;
                String partEtag = s3.uploadPart(
                                b -> b.bucket(bucket.name())
                                        .key(key)
                                        .uploadId(uploadId)
                                        .partNumber(number)
                                        .contentLength((long) length)
                                        .contentMD5(Base64.getEncoder().encodeToString(md5)),
                                RequestBody.fromInputStream(new ByteArrayInputStream(chunk, 0, length), length))
                        .eTag();
                parts.add(CompletedPart.builder()
                        .partNumber(number)
                        .eTag(partEtag)
                        .build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket.name())
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(u -> u.parts(parts))
                    .ifNoneMatch("*"));
            completed = true;
            return HexFormat.of().formatHex(partDigests.digest()) + "-" + parts.size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (!completed) {
                try {
                    s3.abortMultipartUpload(
                            b -> b.bucket(bucket.name()).key(key).uploadId(uploadId));
                } catch (SdkException ignored) {
                    // the first failure is the one to report; the store expires abandoned uploads by its own rules
                }
            }
        }
    }

    /** An object already at the key is this upload only if it has exactly its bytes; otherwise it stays as it is. */
    private void requireSameBytes(String key, HeadObjectResponse existing, long size, String sha256) {
        if (existing != null
                && existing.contentLength() != null
                && existing.contentLength() == size
                && sha256.equals(storedSha256(key))) {
            return;
        }
        LOG.warnf("%s in %s holds other bytes than its name says; left as it is", key, bucket.describe());
        throw ApiException.conflict(
                "store_object_exists",
                "The bundle storage already holds other bytes under this file's name; they were not replaced");
    }

    @Override
    public InputStream open(String name, long offset, long length) throws IOException {
        String key = key(name);
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        return store(() -> client().getObject(
                        b -> b.bucket(bucket.name()).key(key).range("bytes=" + offset + "-" + (offset + length - 1))));
    }

    @Override
    public boolean exists(String name) {
        return BundleStorage.isName(name) && store(() -> head(name)) != null;
    }

    @Override
    public long size(String name) throws IOException {
        String key = key(name);
        HeadObjectResponse h = store(() -> head(key));
        if (h == null) {
            throw new NoSuchFileException(name);
        }
        return h.contentLength();
    }

    @Override
    public boolean delete(String name) {
        String key = key(name);
        return store(() -> {
            if (head(key) == null) {
                return false;
            }
            client().deleteObject(b -> b.bucket(bucket.name()).key(key));
            return true;
        });
    }

    @Override
    public URI publicUrl(String name, URI serverBase) {
        return URI.create(bucket.objectUrl(key(name)));
    }

    /** Devices download from the bucket; the server's {@code /files} route does not reach into it. */
    @Override
    public boolean servedByServer() {
        return false;
    }

    /** The object key of a valid name; anything else is refused before it reaches the store. */
    private static String key(String name) {
        if (!BundleStorage.isName(name)) {
            throw new IllegalArgumentException("not a stored bundle name");
        }
        return name;
    }

    private S3Client client() {
        return bucket.client();
    }

    /** The object's metadata, or null when the key is free. */
    private HeadObjectResponse head(String key) {
        try {
            return client().headObject(b -> b.bucket(bucket.name()).key(key));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The SHA-256 of the object's bytes, read as they stream. */
    private String storedSha256(String key) {
        MessageDigest sha = digest("SHA-256");
        client().getObject(
                        b -> b.bucket(bucket.name()).key(key),
                        ResponseTransformer.toOutputStream(
                                new DigestOutputStream(OutputStream.nullOutputStream(), sha)));
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String etag(HeadObjectResponse r) {
        String e = r.eTag();
        return e == null ? "" : e.replace("\"", "").toLowerCase(Locale.ROOT);
    }

    /** Runs a call to the store; what the store or the network said becomes the JSON error of the request. */
    private <T> T store(Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkClientException e) {
            LOG.errorf("cannot reach the bundle storage (%s): %s", bucket.describe(), e.getMessage());
            throw new ApiException(
                    503,
                    "storage_unavailable",
                    "The bundle storage cannot be reached right now; nothing was stored. Try again later");
        } catch (S3Exception e) {
            String code =
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            LOG.errorf(
                    "the bundle storage (%s) refused a request: HTTP %d %s",
                    bucket.describe(), e.statusCode(), code == null ? "" : code);
            throw new ApiException(
                    502,
                    "storage_refused",
                    "The bundle storage refused the request (HTTP " + e.statusCode() + (code == null ? "" : ", " + code)
                            + "); nothing was stored");
        } catch (java.io.UncheckedIOException e) {
            LOG.errorf("cannot read the spooled upload for %s: %s", bucket.describe(), e.getMessage());
            throw new ApiException(500, "storage_failed", "The upload could not be stored; nothing was stored");
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
    }
}
