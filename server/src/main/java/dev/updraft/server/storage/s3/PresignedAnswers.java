package dev.updraft.server.storage.s3;

import dev.updraft.protocol.GzipBody;
import dev.updraft.protocol.ManifestEntry;
import dev.updraft.protocol.UpdateOffer;
import dev.updraft.server.decision.AppSnapshot;
import dev.updraft.server.decision.UpdateAnswer;
import dev.updraft.server.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Update answers with presigned URLs, for apps whose {@code download_url_mode} is {@code presigned} (docs/admin-api.md,
 * "Apps"): after {@code UpdateDecision} chose the bundle, the zip URL and each manifest entry's URL that are objects of
 * the configured bucket are replaced by GET URLs that expire after the app's lifetime; other URLs stay as registered.
 *
 * <p>One signed answer is kept per answer of the snapshot (its bytes are the key, weakly: a new snapshot drops them) for
 * half the lifetime, so a device always gets at least half of it, and a device that comes back after its URL expired
 * gets a fresh one. {@link #fresh} runs on the event loop; {@link #sign}, which may block on the first use of the AWS
 * credentials chain, runs on a worker thread.
 */
@ApplicationScoped
public class PresignedAnswers {
    private static final Logger LOG = Logger.getLogger(PresignedAnswers.class);

    /** An answer with presigned URLs: its JSON, gzip-compressed too when it is large, and until when to reuse it. */
    public record Signed(byte[] json, byte[] gzip, long reuseUntilNanos) {}

    private final Map<byte[], Signed> signed = Collections.synchronizedMap(new WeakHashMap<>());
    private final S3Bucket bucket;
    private final LongSupplier nanos;

    @Inject
    public PresignedAnswers(S3Bucket bucket) {
        this(bucket, System::nanoTime);
    }

    PresignedAnswers(S3Bucket bucket, LongSupplier nanos) {
        this.bucket = bucket;
        this.nanos = nanos;
    }

    /** The signed form of this update answer if one is still to be reused; otherwise null. Never blocks. */
    public Signed fresh(UpdateAnswer answer) {
        Signed s = signed.get(answer.updateJson());
        return s != null && nanos.getAsLong() - s.reuseUntilNanos() < 0 ? s : null;
    }

    /** Signs the answer's URLs for the app's lifetime and keeps the result. May block: call it off the event loop. */
    public Signed sign(AppSnapshot app, UpdateAnswer answer) {
        Duration lifetime = app.downloadUrls().lifetime();
        long now = nanos.getAsLong();
        UpdateOffer offer = answer.bundle().offerOf(answer.updateJson());
        byte[] json;
        try {
            List<ManifestEntry> manifest = offer.manifest().stream()
                    .map(e -> new ManifestEntry(e.fileName(), e.fileHash(), presigned(e.downloadUrl(), lifetime)))
                    .toList();
            json = new UpdateOffer(
                            offer.version(),
                            presigned(offer.url(), lifetime),
                            offer.sessionKey(),
                            offer.checksum(),
                            manifest,
                            offer.link(),
                            offer.comment(),
                            offer.breaking())
                    .toJson();
        } catch (SdkException e) {
            // no credentials, no region: the operator's to fix; the device gets a JSON error and retries later
            LOG.errorf(
                    "cannot presign the URLs of %s %s (%s): %s",
                    app.appId(), offer.version(), bucket.describe(), e.getMessage());
            throw new ApiException(
                    503,
                    "storage_unavailable",
                    "The bundle's download URL cannot be signed right now; try again later");
        }
        Signed s = new Signed(
                json, json.length >= GzipBody.MIN_BYTES ? GzipBody.compress(json) : null, now + lifetime.toNanos() / 2);
        signed.put(answer.updateJson(), s);
        return s;
    }

    private String presigned(String url, Duration lifetime) {
        return bucket.keyOf(url).map(key -> bucket.presign(key, lifetime)).orElse(url);
    }
}
