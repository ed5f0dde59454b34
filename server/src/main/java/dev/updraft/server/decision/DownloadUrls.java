package dev.updraft.server.decision;

import java.time.Duration;

/**
 * How an app's devices get its bundle URLs (docs/admin-api.md, "Apps"): as registered, or as presigned GET URLs of the
 * configured S3 bucket that expire after {@code lifetime}. The update decision never reads it: the URL is signed after
 * the decision, by the device API (storage.s3.PresignedAnswers).
 */
public record DownloadUrls(boolean presigned, Duration lifetime) {
    /** The default: the registered URL, as is. */
    public static final DownloadUrls PUBLIC = new DownloadUrls(false, Duration.ofHours(1));

    /** The longest lifetime of an AWS SigV4 presigned URL. */
    public static final Duration MAX_LIFETIME = Duration.ofDays(7);
}
