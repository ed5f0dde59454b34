package dev.updraft.cli.bundle.s3;

import dev.updraft.cli.CliException;
import dev.updraft.cli.Identifiers;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The S3 options of {@code bundle upload}, with the Capgo CLI's names (docs/cli-reference.md, "S3-compatible
 * storage"). {@code --s3-bucket-name} turns them on; {@link #target} checks them together and resolves what they leave
 * out (credentials from the AWS chain, the region from it or {@code us-east-1} for a custom endpoint).
 */
public final class S3Options {
    /** How the bucket appears in object URLs. */
    public enum Addressing {
        /** Path-style for a custom endpoint (MinIO, Ceph, s3proxy), virtual-host-style for AWS S3. */
        AUTO,
        /** {@code https://endpoint/bucket/key} */
        PATH,
        /** {@code https://bucket.endpoint/key} */
        VIRTUAL_HOST;

        /** The option's spelling: auto, path, virtual-host. */
        String spelling() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** {@code --s3-addressing}'s values as typed. */
    static final class AddressingConverter implements ITypeConverter<Addressing> {
        @Override
        public Addressing convert(String value) {
            for (Addressing a : Addressing.values()) {
                if (a.spelling().equals(value)) {
                    return a;
                }
            }
            throw new TypeConversionException("expected auto, path or virtual-host, not '" + value + "'");
        }
    }

    /** An S3 bucket name (the rules of AWS S3, which the others follow). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");

    @Option(
            names = "--s3-bucket-name",
            paramLabel = "BUCKET",
            description =
                    "Upload --upload-file to this S3 bucket, at <app id>/<sha256 of the file>.zip (never over an object with other bytes), and register its URL.")
    String bucket;

    @Option(
            names = "--s3-endpoint",
            paramLabel = "HOST|URL",
            description =
                    "An S3-compatible endpoint: a host name (s3.example.com; see --s3-port, --no-s3-ssl) or a URL (http://127.0.0.1:9000). Default: AWS S3 in --s3-region.")
    String endpoint;

    @Option(
            names = "--s3-region",
            paramLabel = "REGION",
            description =
                    "The bucket's region (default: the AWS region chain, AWS_REGION or ~/.aws/config; us-east-1 with --s3-endpoint).")
    String region;

    @Option(names = "--s3-port", paramLabel = "PORT", description = "The port of the --s3-endpoint host.")
    Integer port;

    @Option(
            names = "--s3-apikey",
            paramLabel = "ACCESS_KEY_ID",
            description = "The access key id (default: the AWS credentials chain: AWS_ACCESS_KEY_ID, ~/.aws, ...).")
    String accessKeyId;

    @Option(
            names = "--s3-apisecret",
            paramLabel = "SECRET",
            description = "The secret access key, with --s3-apikey; never printed.")
    String secretAccessKey;

    @Option(names = "--no-s3-ssl", description = "Talk to the --s3-endpoint host over http:// (local tests only).")
    boolean noSsl;

    @Option(
            names = "--s3-addressing",
            paramLabel = "STYLE",
            defaultValue = "auto",
            converter = AddressingConverter.class,
            description =
                    "Bucket addressing in URLs: auto (path-style with --s3-endpoint, virtual-host-style on AWS), path or virtual-host (default: ${DEFAULT-VALUE}).")
    Addressing addressing = Addressing.AUTO;

    /** Whether the upload goes to S3. */
    public boolean enabled() {
        return bucket != null;
    }

    /** The settings checked together; a usage error names the first one that is wrong. */
    public S3Target target() {
        if (bucket == null) {
            String stray = endpoint != null
                    ? "--s3-endpoint"
                    : region != null
                            ? "--s3-region"
                            : port != null
                                    ? "--s3-port"
                                    : accessKeyId != null
                                            ? "--s3-apikey"
                                            : secretAccessKey != null ? "--s3-apisecret" : noSsl ? "--no-s3-ssl" : null;
            if (stray != null) {
                throw CliException.usage(
                        "missing_s3_bucket", stray + " needs --s3-bucket-name, the bucket to upload to");
            }
            return null;
        }
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw CliException.usage(
                    "invalid_s3_bucket",
                    "--s3-bucket-name '" + Identifiers.printable(bucket)
                            + "' is not a bucket name (3 to 63 lowercase letters, digits, '.' and '-')");
        }
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw CliException.usage(
                    "incomplete_s3_credentials",
                    "pass --s3-apikey and --s3-apisecret together, or neither (then the AWS credentials chain is used)");
        }
        if (region != null && !REGION.matcher(region).matches()) {
            throw CliException.usage(
                    "invalid_s3_region",
                    "--s3-region '" + Identifiers.printable(region) + "' is not a region name (e.g. eu-west-1)");
        }
        URI uri = endpoint == null ? null : endpointUri();
        if (uri == null && (port != null || noSsl)) {
            throw CliException.usage(
                    "missing_s3_endpoint", (port != null ? "--s3-port" : "--no-s3-ssl") + " needs --s3-endpoint");
        }
        boolean pathStyle = addressing == Addressing.AUTO ? uri != null : addressing == Addressing.PATH;
        return new S3Target(uri, region, bucket, pathStyle, accessKeyId, secretAccessKey);
    }

    /** {@code --s3-endpoint} as a URL: a host name gets https (or http with --no-s3-ssl) and --s3-port. */
    private URI endpointUri() {
        String given = endpoint.strip();
        boolean hasScheme = given.contains("://");
        String text = hasScheme ? given : (noSsl ? "http://" : "https://") + given;
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            uri = null;
        }
        String scheme =
                uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri == null
                || uri.getHost() == null
                || !(scheme.equals("https") || scheme.equals("http"))
                || (uri.getRawPath() != null
                        && !uri.getRawPath().isEmpty()
                        && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null
                || uri.getRawUserInfo() != null) {
            throw CliException.usage(
                    "invalid_s3_endpoint",
                    "--s3-endpoint '" + Identifiers.printable(given)
                            + "' is not a host name or an http(s)://host[:port] URL");
        }
        if (hasScheme && noSsl && scheme.equals("https")) {
            throw CliException.usage("invalid_s3_endpoint", "--no-s3-ssl contradicts the https:// of --s3-endpoint");
        }
        if (port != null) {
            if (port < 1 || port > 65535) {
                throw CliException.usage("invalid_s3_port", "--s3-port must be from 1 to 65535");
            }
            if (uri.getPort() != -1 && uri.getPort() != port) {
                throw CliException.usage("invalid_s3_port", "--s3-port contradicts the port of --s3-endpoint");
            }
        }
        int p = port != null ? port : uri.getPort();
        return URI.create(scheme + "://" + uri.getHost() + (p == -1 ? "" : ":" + p));
    }
}
