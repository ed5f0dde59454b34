package dev.updraft.server.storage.s3;

import dev.updraft.server.config.UpdraftConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.S3Utilities;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The configured S3 bucket ({@code updraft.storage.s3.*}, docs/operations.md "S3 storage"): which bundle URLs are its
 * objects, presigned GET URLs for them, and, for {@code updraft.storage.kind=s3}, the client that stores bundles in it
 * ({@link S3BundleStorage}). Signing is local (HMAC over the request, no call to the store); only the first use of the
 * AWS credentials chain may block (a file, the instance metadata), so callers sign off the event loop; the client's
 * calls block and run on worker threads. The secret is never logged, nor part of {@link #toString}.
 */
@ApplicationScoped
@Startup // a bad combination of settings stops the start
public class S3Bucket {
    private final Settings settings;
    private volatile Signer signer;
    private volatile S3Client client;

    /** What the configuration says, resolved: the bucket, how its objects' URLs look, and how to sign. */
    record Settings(
            String bucket,
            URI endpoint,
            Optional<String> region,
            boolean pathStyle,
            Optional<String> accessKeyId,
            Optional<String> secretAccessKey) {
        @Override
        public String toString() {
            return "bucket " + bucket + " at " + (endpoint == null ? "AWS S3" : endpoint);
        }
    }

    private record Signer(S3Presigner presigner, String objectUrlPrefix) {}

    @Inject
    public S3Bucket(UpdraftConfig config) {
        this(settings(config.storage().s3()));
        if (config.storage().kind() == UpdraftConfig.Storage.Kind.S3 && settings == null) {
            throw new IllegalArgumentException(
                    "updraft.storage.kind=s3 needs updraft.storage.s3.bucket (and its endpoint and credentials)");
        }
    }

    S3Bucket(Settings settings) {
        this.settings = settings;
    }

    static Settings settings(UpdraftConfig.Storage.S3 s3) {
        if (s3.bucket().isEmpty()) {
            return null;
        }
        if (s3.accessKeyId().isPresent() != s3.secretAccessKey().isPresent()) {
            throw new IllegalArgumentException(
                    "updraft.storage.s3.access-key-id and updraft.storage.s3.secret-access-key go together (neither: the AWS credentials chain)");
        }
        URI endpoint = s3.endpoint().orElse(null);
        return new Settings(
                s3.bucket().get(),
                endpoint,
                s3.region(),
                s3.pathStyle().orElse(endpoint != null),
                s3.accessKeyId(),
                s3.secretAccessKey());
    }

    /** Whether a bucket is configured: without one, no app can use presigned URLs. */
    public boolean configured() {
        return settings != null;
    }

    /** For messages: the bucket and where it is. */
    public String describe() {
        return settings == null ? "no S3 bucket (updraft.storage.s3.bucket is not set)" : settings.toString();
    }

    /**
     * The object key of a URL of the bucket's (the object URL {@code bundle upload --s3-*} registers), or empty for
     * any other URL (a CDN's, another store's), which devices then get as registered.
     */
    public Optional<String> keyOf(String url) {
        if (settings == null || url == null) {
            return Optional.empty();
        }
        String prefix = signer().objectUrlPrefix();
        if (!url.startsWith(prefix) || url.length() == prefix.length() || url.indexOf('?') >= 0) {
            return Optional.empty();
        }
        return Optional.of(URLDecoder.decode(url.substring(prefix.length()), StandardCharsets.UTF_8));
    }

    /** The bucket's name. */
    public String name() {
        return settings.bucket();
    }

    /** The URL of the object at {@code key}, as {@link #keyOf} recognises it (path-style or virtual-host-style). */
    public String objectUrl(String key) {
        return signer().objectUrlPrefix() + SdkHttpUtils.urlEncodeIgnoreSlashes(key);
    }

    /**
     * The client that reads and writes the bucket's objects: checksums only where S3 requires them (S3-compatible
     * stores do not all take the SDK's trailing checksums; {@link S3BundleStorage} sends Content-MD5 and checks the
     * object after the upload). Its calls block: workers only.
     */
    public S3Client client() {
        S3Client c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    S3ClientBuilder b = S3Client.builder()
                            .httpClient(UrlConnectionHttpClient.builder()
                                    .connectionTimeout(Duration.ofSeconds(5))
                                    .socketTimeout(Duration.ofMinutes(1))
                                    .build())
                            .region(region(settings))
                            .credentialsProvider(credentials(settings))
                            .forcePathStyle(settings.pathStyle())
                            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
                    if (settings.endpoint() != null) {
                        b.endpointOverride(settings.endpoint());
                    }
                    c = client = b.build();
                }
            }
        }
        return c;
    }

    /** A GET URL for the object that the store honours for {@code lifetime} from now. May block on first use. */
    public String presign(String key, Duration lifetime) {
        return signer().presigner()
                .presignGetObject(r -> r.signatureDuration(lifetime)
                        .getObjectRequest(g -> g.bucket(settings.bucket()).key(key)))
                .url()
                .toString();
    }

    private Signer signer() {
        Signer s = signer;
        if (s == null) {
            synchronized (this) {
                s = signer;
                if (s == null) {
                    s = signer = newSigner(settings);
                }
            }
        }
        return s;
    }

    private static Region region(Settings settings) {
        return settings.region()
                .map(Region::of)
                .orElseGet(() -> settings.endpoint() != null
                        ? Region.US_EAST_1
                        : new DefaultAwsRegionProviderChain().getRegion());
    }

    private static AwsCredentialsProvider credentials(Settings settings) {
        return settings.accessKeyId().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        settings.accessKeyId().get(), settings.secretAccessKey().get()))
                : DefaultCredentialsProvider.builder().build();
    }

    private static Signer newSigner(Settings settings) {
        Region region = region(settings);
        S3Configuration addressing = S3Configuration.builder()
                .pathStyleAccessEnabled(settings.pathStyle())
                .build();
        S3Presigner.Builder presigner = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials(settings))
                .serviceConfiguration(addressing);
        S3Utilities.Builder urls = S3Utilities.builder().region(region).s3Configuration(addressing);
        if (settings.endpoint() != null) {
            presigner.endpointOverride(settings.endpoint());
            urls.endpoint(settings.endpoint());
        }
        String probe =
                urls.build().getUrl(g -> g.bucket(settings.bucket()).key("k")).toString();
        return new Signer(presigner.build(), probe.substring(0, probe.length() - 1));
    }

    @PreDestroy
    void close() {
        Signer s = signer;
        if (s != null) {
            s.presigner().close();
        }
        S3Client c = client;
        if (c != null) {
            c.close();
        }
    }
}
