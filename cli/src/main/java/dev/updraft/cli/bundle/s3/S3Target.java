package dev.updraft.cli.bundle.s3;

import java.net.URI;

/**
 * Where an upload goes: an S3 bucket behind an endpoint (AWS S3 when {@code endpoint} is null), and the credentials
 * to use (the AWS chain when null). {@link #toString} never shows the secret.
 *
 * @param region null: the AWS region chain, or {@code us-east-1} for a custom endpoint
 */
public record S3Target(
        URI endpoint, String region, String bucket, boolean pathStyle, String accessKeyId, String secretAccessKey) {

    /** {@code <app id>/<sha256>.zip}: another file can never get this key (docs/security-model.md, publishing order). */
    public static String contentKey(String appId, String sha256) {
        return appId + "/" + sha256 + ".zip";
    }

    /** For messages: the endpoint, or AWS S3. */
    public String where() {
        return "bucket " + bucket + " at " + (endpoint == null ? "AWS S3" : endpoint.toString());
    }

    @Override
    public String toString() {
        return "S3Target[" + where() + (accessKeyId == null ? ", default credentials" : ", key " + accessKeyId) + "]";
    }
}
