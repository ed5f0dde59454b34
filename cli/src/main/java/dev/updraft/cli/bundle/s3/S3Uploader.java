package dev.updraft.cli.bundle.s3;

import dev.updraft.cli.CliException;
import dev.updraft.cli.ExitCode;
import dev.updraft.crypto.ProgressListener;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Puts a bundle into an S3 bucket without ever replacing an object (docs/operations.md, "S3 storage"): the bucket is
 * checked first (a missing bucket and refused credentials get their own one-line errors), then the object's key; an
 * object already there counts as uploaded only if it has exactly the file's bytes, and is otherwise left as it is and
 * the upload refused. The {@code PUT} (or the multipart upload's completion) carries {@code If-None-Match: *} for
 * stores that honour it (AWS S3 does, s3proxy does not: hence the check first), and {@code Content-MD5} for each
 * request body; afterwards the object's size and ETag are checked, and the object read back when the ETag proves
 * nothing (an encrypted bucket's, or a store that computes it otherwise).
 */
public final class S3Uploader implements AutoCloseable {
    /** How the file got into the bucket. */
    public enum Outcome {
        /** This upload created the object. */
        CREATED,
        /** The object was already there with exactly these bytes. */
        IDENTICAL
    }

    /** Files of this size or more go as a multipart upload (S3 takes at most 5 GiB in one PUT). */
    static final long MULTIPART_THRESHOLD = 16L * 1024 * 1024;
    /** The size of each part but the last (S3's minimum is 5 MiB). */
    static final int PART_SIZE = 8 * 1024 * 1024;

    private static final Set<String> DENIED =
            Set.of("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken");
    private static final Set<String> WRONG_REGION =
            Set.of("PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException");

    private final S3Target target;
    private final S3Client s3;
    private final long multipartThreshold;
    private final int partSize;
    /** Set once the bucket answered: the many puts of a delta release check it once. */
    private volatile boolean bucketChecked;

    private S3Uploader(S3Target target, S3Client s3, long multipartThreshold, int partSize) {
        this.target = target;
        this.s3 = s3;
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
    }

    /** An uploader for the target; nothing is sent until {@link #put}. */
    public static S3Uploader open(S3Target target) {
        return open(target, MULTIPART_THRESHOLD, PART_SIZE);
    }

    static S3Uploader open(S3Target target, long multipartThreshold, int partSize) {
        S3ClientBuilder b = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(2))
                        .build())
                .region(region(target))
                .credentialsProvider(credentials(target))
                .forcePathStyle(target.pathStyle())
                // Checksums only where S3 requires them: S3-compatible stores do not all take the SDK's trailing
                // checksums. Content-MD5 (set on each body) and the check after the upload do that job.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (target.endpoint() != null) {
            b.endpointOverride(target.endpoint());
        }
        return new S3Uploader(target, b.build(), multipartThreshold, partSize);
    }

    private static Region region(S3Target target) {
        if (target.region() != null) {
            return Region.of(target.region());
        }
        if (target.endpoint() != null) {
            return Region.US_EAST_1; // what MinIO, Ceph and s3proxy expect unless configured otherwise
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            throw CliException.usage(
                    "missing_s3_region", "pass --s3-region (no AWS region in AWS_REGION or ~/.aws/config)");
        }
    }

    private static AwsCredentialsProvider credentials(S3Target target) {
        return target.accessKeyId() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(target.accessKeyId(), target.secretAccessKey()));
    }

    /** The object's URL: path-style or virtual-host-style, as configured. */
    public URI objectUrl(String key) {
        try {
            return s3.utilities()
                    .getUrl(b -> b.bucket(target.bucket()).key(key))
                    .toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the SDK made an invalid URL for " + key, e);
        }
    }

    /** The URL every object's URL starts with (its key follows): {@code objectUrl(key)} is this plus the key, encoded. */
    public URI baseUrl() {
        String probe = objectUrl("k").toString();
        return URI.create(probe.substring(0, probe.length() - 1));
    }

    /**
     * Puts {@code file} at {@code key} unless the bucket already holds it; refuses (and leaves the object alone) when
     * the key holds other bytes.
     *
     * @param sha256 the file's SHA-256, lowercase hex
     */
    public Outcome put(String key, Path file, String sha256, long size, ProgressListener progress) {
        URI url = objectUrl(key);
        try {
            checkBucket();
            HeadObjectResponse existing = head(key);
            if (existing != null) {
                return alreadyThere(key, url, sha256, size, existing);
            }
            String expectedEtag;
            try {
                expectedEtag = size < multipartThreshold
                        ? putInOnePiece(key, file, size, progress)
                        : putInParts(key, file, size, progress);
            } catch (S3Exception e) {
                if (e.statusCode() == 412) { // another upload got there first, on a store that honours If-None-Match
                    return alreadyThere(key, url, sha256, size, head(key));
                }
                throw e;
            }
            verify(key, url, sha256, size, expectedEtag);
            return Outcome.CREATED;
        } catch (IOException e) {
            throw new CliException(
                    ExitCode.FAILED,
                    "io_error",
                    "cannot read " + file + ": " + e.getMessage() + "; nothing was registered");
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    private void checkBucket() {
        if (bucketChecked) {
            return;
        }
        try {
            s3.headBucket(b -> b.bucket(target.bucket()));
            bucketChecked = true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new CliException(
                        ExitCode.REFUSED,
                        "s3_bucket_not_found",
                        "there is no " + target.where()
                                + ": create it first (or check --s3-bucket-name); nothing was uploaded or registered");
            }
            throw e;
        }
    }

    /** The object's metadata, or null when the key is free. */
    private HeadObjectResponse head(String key) {
        try {
            return s3.headObject(b -> b.bucket(target.bucket()).key(key));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private String putInOnePiece(String key, Path file, long size, ProgressListener progress) throws IOException {
        byte[] md5 = digest("MD5", file);
        s3.putObject(
                b -> b.bucket(target.bucket())
                        .key(key)
                        .contentType("application/zip")
                        .contentLength(size)
                        .contentMD5(Base64.getEncoder().encodeToString(md5))
                        .ifNoneMatch("*"),
                RequestBody.fromContentProvider(() -> counting(open(file), 0, progress), size, "application/zip"));
        return HexFormat.of().formatHex(md5);
    }

    /** Parts of {@link #partSize}, each with its Content-MD5; aborted (nothing left behind) when one fails. */
    private String putInParts(String key, Path file, long size, ProgressListener progress) throws IOException {
        String uploadId = s3.createMultipartUpload(
                        b -> b.bucket(target.bucket()).key(key).contentType("application/zip"))
                .uploadId();
        boolean completed = false;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            List<CompletedPart> parts = new ArrayList<>();
            MessageDigest etag = messageDigest("MD5");
            byte[] buffer = new byte[(int) Math.min(partSize, size)];
            long offset = 0;
            for (int number = 1; offset < size; number++) {
                int length = (int) Math.min(partSize, size - offset);
                readFully(in, buffer, length, offset);
                MessageDigest md5 = messageDigest("MD5");
                md5.update(buffer, 0, length);
                byte[] partMd5 = md5.digest();
                etag.update(partMd5);
                int n = number;
                long base = offset;
                String partEtag = s3.uploadPart(
                                b -> b.bucket(target.bucket())
                                        .key(key)
                                        .uploadId(uploadId)
                                        .partNumber(n)
                                        .contentLength((long) length)
                                        .contentMD5(Base64.getEncoder().encodeToString(partMd5)),
                                RequestBody.fromContentProvider(
                                        () -> counting(new ByteArrayInputStream(buffer, 0, length), base, progress),
                                        length,
                                        "application/octet-stream"))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(partEtag).build());
                offset += length;
            }
            s3.completeMultipartUpload(b -> b.bucket(target.bucket())
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(u -> u.parts(parts))
                    .ifNoneMatch("*"));
            completed = true;
            return HexFormat.of().formatHex(etag.digest()) + "-" + parts.size();
        } finally {
            if (!completed) {
                abort(key, uploadId);
            }
        }
    }

    private void abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(target.bucket()).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            // the first failure is the one to report; the store expires an abandoned upload by its own rules
        }
    }

    /**
     * After the upload: the object has the file's size, and its ETag is the MD5 the upload computed, or else its bytes
     * are read back and must hash to the file's SHA-256.
     */
    private void verify(String key, URI url, String sha256, long size, String expectedEtag) {
        HeadObjectResponse stored = head(key);
        if (stored == null || stored.contentLength() == null || stored.contentLength() != size) {
            throw new CliException(
                    ExitCode.FAILED,
                    "s3_verify_failed",
                    url + " does not hold the file after the upload ("
                            + (stored == null ? "no object" : stored.contentLength() + " bytes instead of " + size)
                            + "); nothing was registered");
        }
        if (expectedEtag.equals(etag(stored)) || sha256.equals(storedSha256(key))) {
            return;
        }
        throw new CliException(
                ExitCode.FAILED,
                "s3_verify_failed",
                url + " holds other bytes than the file after the upload; nothing was registered");
    }

    private Outcome alreadyThere(String key, URI url, String sha256, long size, HeadObjectResponse existing) {
        if (existing != null
                && existing.contentLength() != null
                && existing.contentLength() == size
                && sha256.equals(storedSha256(key))) {
            return Outcome.IDENTICAL;
        }
        throw new CliException(
                ExitCode.REFUSED,
                "store_object_exists",
                "the bucket already holds other bytes at " + url
                        + "; they were not replaced, and nothing was registered");
    }

    /** The SHA-256 of the object's bytes, read as they stream. */
    private String storedSha256(String key) {
        MessageDigest sha = messageDigest("SHA-256");
        s3.getObject(b -> b.bucket(target.bucket()).key(key), ResponseTransformer.toOutputStream(new OutputStream() {
            @Override
            public void write(int b) {
                sha.update((byte) b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                sha.update(b, off, len);
            }
        }));
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String etag(HeadObjectResponse r) {
        String e = r.eTag();
        return e == null ? "" : e.replace("\"", "").toLowerCase(Locale.ROOT);
    }

    /** One line for what the store or the network said; the secret is never part of it. */
    private CliException failure(SdkException e) {
        if (e instanceof S3Exception s) {
            String code =
                    s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            int status = s.statusCode();
            if (status == 403 || DENIED.contains(code)) {
                return new CliException(
                        ExitCode.AUTH,
                        "s3_denied",
                        "the S3 store refused access to " + target.where() + " ("
                                + (code == null ? "HTTP " + status : code)
                                + "): check --s3-apikey and --s3-apisecret (or the AWS credentials) and the bucket's policy; nothing was registered");
            }
            if (status == 301 || WRONG_REGION.contains(code)) {
                return new CliException(
                        ExitCode.REFUSED,
                        "s3_wrong_region",
                        "the " + target.where()
                                + " is in another region: pass its region with --s3-region; nothing was registered");
            }
            return new CliException(
                    status >= 500 ? ExitCode.UNREACHABLE : ExitCode.REFUSED,
                    "s3_refused",
                    "the S3 store refused the upload to " + target.where() + " (HTTP " + status
                            + (code == null ? "" : ", " + code) + "); nothing was registered");
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException) {
                return unreachable("unknown host " + c.getMessage());
            }
            if (c instanceof ConnectException) {
                return unreachable(c.getMessage() == null ? "connection refused" : c.getMessage());
            }
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.startsWith("Unable to load credentials")) {
            return new CliException(
                    ExitCode.AUTH,
                    "s3_no_credentials",
                    "no S3 credentials: pass --s3-apikey and --s3-apisecret, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an AWS profile)");
        }
        return unreachable(message.lines().findFirst().orElse(message));
    }

    private CliException unreachable(String why) {
        return new CliException(
                ExitCode.UNREACHABLE,
                "s3_unreachable",
                "cannot reach the " + target.where() + ": " + why + "; nothing was registered");
    }

    private static InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reports {@code base} plus the bytes read so far; the SDK may read a body twice (to sign it, then to send it). */
    private static InputStream counting(InputStream in, long base, ProgressListener progress) {
        return new FilterInputStream(in) {
            private long done;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    progress.advanced(base + ++done);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    done += n;
                    progress.advanced(base + done);
                }
                return n;
            }
        };
    }

    private static void readFully(FileChannel in, byte[] buffer, int length, long position) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(buffer, 0, length);
        while (b.hasRemaining()) {
            if (in.read(b, position + b.position()) < 0) {
                throw new IOException("the file got shorter while it was being uploaded");
            }
        }
    }

    private static byte[] digest(String algorithm, Path file) throws IOException {
        MessageDigest md = messageDigest(algorithm);
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return md.digest();
    }

    private static MessageDigest messageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
