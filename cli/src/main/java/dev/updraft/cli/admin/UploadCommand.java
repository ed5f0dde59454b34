package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.Json;
import dev.updraft.cli.Keys;
import dev.updraft.cli.Progress;
import dev.updraft.cli.bundle.s3.S3Options;
import dev.updraft.cli.bundle.s3.S3Target;
import dev.updraft.cli.bundle.s3.S3Uploader;
import dev.updraft.crypto.CryptoException;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code updraft bundle upload}: register a bundle hosted on your storage, and point a channel at it. The options
 * become a {@link Publisher.Request}; {@link Publisher} does the work, in the order that never destroys what is live.
 */
@Command(
        name = "upload",
        abbreviateSynopsis = true,
        description = {
            "Register a bundle with the Updraft server and point a channel at it, in one transaction.",
            "The channel is created if needed, and made public when the app has no public channel yet. The bundle itself stays "
                    + "on your storage: --external is the URL devices download it from. For an encrypted bundle pass the ivSessionKey "
                    + "and encoded checksum that 'bundle encrypt' printed; the key_id comes from the app's public key "
                    + "(from capacitor.config.json, or else from the file .capgo_key_v2.pub), and both values are checked against that key before anything "
                    + "is sent. Registering the identical bundle again is fine; a version that exists with other content is refused.",
            "",
            "With --upload-file the CLI also puts the file on your store (one that accepts HTTP PUT), and never over anything",
            "already there: it first checks the file (it must match the checksum and, decrypted with the public key, be a",
            "bundle zip with index.html at the root or in one top-level folder), then asks the server whether the version and",
            "channel would be accepted, then uploads with If-None-Match: * (an object already at the URL is accepted only if",
            "it has exactly these bytes), and registers last. --upload-to BASE_URL names the object by its content instead,",
            "BASE_URL/<app id>/<sha256 of the file>.zip, so two different files can never get the same URL.",
            "",
            "--s3-bucket-name puts --upload-file into an S3-compatible bucket (AWS S3, MinIO, Ceph, R2) instead, at",
            "<app id>/<sha256 of the file>.zip, and registers that object's URL (or --external's: a CDN in front of the",
            "bucket). Credentials come from --s3-apikey/--s3-apisecret or the AWS chain; files of 16 MiB or more go as a",
            "multipart upload. An object already at the key counts only if it has exactly these bytes and is never",
            "replaced; after the upload its size and ETag (or its bytes, read back) are checked. Not with --delta.",
            "",
            "--delta publishes the build folder (--path) as a delta (manifest) release as well as a zip: the CLI lists its",
            "files (Capgo's rules: .git, node_modules, .DS_Store, package-lock.json, tsconfig*.json and empty files skipped;",
            "names with a space and more than 10,000 files refused), Brotli-compresses those of 8 KiB or more when it pays,",
            "encrypts each with the release's session key when the app has a public key, and puts each payload under",
            "BASE_URL/<app id>/delta/ at a name derived from its content, skipping those the store already holds. The zip",
            "(made, and encrypted with the same key, by the CLI) is the fallback for plugins that cannot install a manifest;",
            "--delta-only publishes the manifest alone. Needs --upload-to, and @capgo/capacitor-updater 5.10.0 / 6.25.0 /",
            "7.0.30 or later in the app."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  updraft bundle upload com.example.app --bundle 1.0.1 \\",
            "      --external https://cdn.example.com/com.example.app_1.0.1.zip_encrypted.zip \\",
            "      --iv-session-key \"$IV_SESSION_KEY\" --encrypted-checksum \"$ENCODED_CHECKSUM\" --channel production",
            "  updraft bundle upload --bundle 1.0.2 --external https://cdn.example.com/app_1.0.2.zip --checksum \"$SHA256\"",
            "  updraft bundle upload --bundle 1.0.3 --upload-to https://store.example.com/bundles \\",
            "      --upload-file app_1.0.3.zip_encrypted.zip --upload-token \"$STORE_TOKEN\" \\",
            "      --iv-session-key \"$IV_SESSION_KEY\" --encrypted-checksum \"$ENCODED_CHECKSUM\"",
            "  updraft bundle upload --bundle 1.0.4 --delta --path www --upload-to https://store.example.com/bundles",
            "  updraft bundle upload --bundle 1.0.5 --upload-file app_1.0.5.zip_encrypted.zip \\",
            "      --s3-bucket-name bundles --s3-region eu-west-1 \\",
            "      --iv-session-key \"$IV_SESSION_KEY\" --encrypted-checksum \"$ENCODED_CHECKSUM\""
        })
public final class UploadCommand extends AdminCommand {
    static final String DEFAULT_CHANNEL = "production";

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "APP_ID",
            description = "The app id (default: appId of capacitor.config.json).")
    String appIdArg;

    @Option(
            names = {"-b", "--bundle"},
            paramLabel = "VERSION",
            description = "The bundle version, semver (default: version of package.json).")
    String bundle;

    @ArgGroup(exclusive = true)
    Location location = new Location();

    @Mixin
    S3Options s3;

    /** Where devices download the bundle: given, or named by the file's content. */
    static final class Location {
        @Option(
                names = {"-e", "--external"},
                paramLabel = "URL",
                description =
                        "Where devices download the bundle zip: an https:// URL (http:// works for local tests only).")
        String external;

        @Option(
                names = "--upload-to",
                paramLabel = "BASE_URL",
                description = "Put --upload-file at BASE_URL/<app id>/<sha256 of the file>.zip and register that URL.")
        String uploadTo;
    }

    @Option(
            names = "--iv-session-key",
            paramLabel = "KEY",
            description = "The ivSessionKey 'bundle encrypt' printed; makes this an encrypted bundle.")
    String ivSessionKey;

    @ArgGroup(exclusive = true)
    ChecksumOption checksumOption;

    static final class ChecksumOption {
        @Option(
                names = "--encrypted-checksum",
                paramLabel = "HEX",
                description = "The encoded checksum 'bundle encrypt' printed (512 hex).")
        String encrypted;

        @Option(
                names = "--checksum",
                paramLabel = "HEX",
                description = "The checksum: the zip's SHA-256 (64 hex) for an unencrypted bundle, or the encoded one.")
        String plain;
    }

    @Option(
            names = {"-c", "--channel"},
            paramLabel = "NAME",
            defaultValue = DEFAULT_CHANNEL,
            description = "The channel to point at the bundle (default: ${DEFAULT-VALUE}).")
    String channel;

    @Option(
            names = "--rollout",
            paramLabel = "PERCENT",
            description =
                    "Roll the bundle out to this share of the channel's devices (0 to 100) instead of making it the channel's bundle.")
    Double rolloutPercent;

    @Option(
            names = "--rollout-percentage-bps",
            paramLabel = "BPS",
            description = "The same share in basis points, 0 to 10000.")
    Integer rolloutBps;

    @Option(
            names = "--link",
            paramLabel = "URL",
            description = "A link for this bundle (e.g. release notes), passed to devices.")
    String link;

    @Option(names = "--comment", paramLabel = "TEXT", description = "A comment for this bundle, passed to devices.")
    String comment;

    @Option(
            names = "--min-update-version",
            paramLabel = "VERSION",
            description =
                    "The lowest native version that may update to this bundle (channels with disable_auto_update=version_number).")
    String minUpdateVersion;

    @Option(
            names = "--public-key",
            paramLabel = "FILE",
            description =
                    "The public key for the key_id (default: capacitor.config.json's publicKey, else .capgo_key_v2.pub).")
    String publicKeyFile;

    @Option(
            names = "--upload-file",
            paramLabel = "FILE",
            description =
                    "Put this file on the store at the --external (or --upload-to) URL before registering it; checked first, never put over other bytes.")
    String uploadFile;

    @Option(
            names = "--upload-token",
            paramLabel = "TOKEN",
            description = "Bearer token for the store (default: $UPDRAFT_UPLOAD_TOKEN).")
    String uploadToken;

    @ArgGroup(exclusive = false)
    DeltaOptions delta;

    /** {@code --delta} / {@code --delta-only} and what only they use; picocli refuses the others without one of them. */
    static final class DeltaOptions {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Mode mode;

        static final class Mode {
            @Option(
                    names = "--delta",
                    required = true,
                    description =
                            "Also publish the build folder as a delta (manifest) release; the zip stays the fallback for older plugins.")
            boolean delta;

            @Option(
                    names = "--delta-only",
                    required = true,
                    description =
                            "Publish only the delta manifest, no zip (plugins that cannot install a manifest get no_bundle_url).")
            boolean deltaOnly;
        }

        @Option(
                names = {"-p", "--path"},
                paramLabel = "DIR",
                description = "The build folder (default: webDir of capacitor.config.json).")
        String path;

        @Option(
                names = "--no-brotli-patterns",
                paramLabel = "GLOBS",
                description =
                        "Never Brotli-compress these files: comma-separated globs, by name (*.png) or by path (assets/**).")
        String noBrotliPatterns;

        @Option(names = "--disable-brotli", description = "Never Brotli-compress a file.")
        boolean disableBrotli;

        @Option(
                names = "--delta-reuse-session-key",
                description =
                        "Encrypted apps: keep the session key of the channel's current release, so that unchanged files keep their payloads and are not uploaded again (see docs/security-model.md for the trade-off).")
        boolean reuseSessionKey;

        @Option(
                names = "--updater-version",
                paramLabel = "VERSION",
                description =
                        "The @capgo/capacitor-updater version the app ships (default: from node_modules, else package.json).")
        String updaterVersion;

        @Option(
                names = "--key",
                paramLabel = "FILE",
                description = "Encrypted apps: the private key (default: .capgo_key_v2).")
        String key;

        @Option(
                names = "--key-data",
                paramLabel = "PEM",
                description = "Encrypted apps: the private key PEM text itself, instead of --key.")
        String keyData;
    }

    @Override
    protected void run() throws IOException, CryptoException {
        String appId = appId(appIdArg);
        String version = bundleVersion(bundle, null);
        String token = uploadToken != null ? uploadToken : ctx.env("UPDRAFT_UPLOAD_TOKEN");
        Keys.Located publicKey = Keys.publicKey(ctx, publicKeyFile, null);
        Integer share = ChannelCommand.rolloutShareBps(rolloutPercent, rolloutBps);
        S3Target bucket = s3.target();
        if (delta != null && bucket != null) {
            throw CliException.usage(
                    "s3_delta_unsupported",
                    "--delta does not upload to an S3 bucket yet: publish a delta release with --upload-to");
        }
        if (delta != null) {
            try (DeltaPublishing prepared = DeltaPublishing.prepare(
                    this,
                    appId,
                    version,
                    channel,
                    location.external,
                    location.uploadTo,
                    uploadFile != null || ivSessionKey != null || checksumOption != null,
                    publicKey,
                    delta)) {
                publish(
                        appId,
                        version,
                        null,
                        new Publisher.Request(
                                appId,
                                version,
                                channel,
                                null,
                                location.uploadTo,
                                prepared.zip(),
                                token,
                                prepared.ivSessionKey(),
                                prepared.encryptedChecksum(),
                                prepared.plainChecksum(),
                                publicKey,
                                minUpdateVersion,
                                link,
                                comment,
                                share,
                                prepared.release()));
            }
            return;
        }
        Path file = uploadFile == null ? null : ctx.resolve(uploadFile);
        if (bucket != null) {
            try (S3Uploader uploader = S3Uploader.open(bucket)) {
                publish(appId, version, uploader, request(appId, version, file, token, publicKey, share));
            }
            return;
        }
        publish(appId, version, null, request(appId, version, file, token, publicKey, share));
    }

    private Publisher.Request request(
            String appId, String version, Path file, String token, Keys.Located publicKey, Integer share) {
        return new Publisher.Request(
                appId,
                version,
                channel,
                location.external,
                location.uploadTo,
                file,
                token,
                ivSessionKey,
                checksumOption == null ? null : checksumOption.encrypted,
                checksumOption == null ? null : checksumOption.plain,
                publicKey,
                minUpdateVersion,
                link,
                comment,
                share,
                null);
    }

    /** What the delta preparation needs of the command: its context, output and admin client. */
    Publisher.Output output() {
        return new Publisher.Output() {
            @Override
            public void say(String line) {
                UploadCommand.this.say(line);
            }

            @Override
            public void note(String line) {
                UploadCommand.this.note(line);
            }

            @Override
            public void warn(String code, String message) {
                UploadCommand.this.warn(code, message);
            }

            @Override
            public Progress progress(String label, long total) {
                return UploadCommand.this.progress(label, total);
            }
        };
    }

    dev.updraft.cli.Context context() {
        return ctx;
    }

    AdminClient adminClient() {
        return client();
    }

    private void publish(String appId, String version, S3Uploader bucket, Publisher.Request request)
            throws IOException, CryptoException {
        // The client (and the API key) is looked up only once every local check has passed.
        Publisher publisher = new Publisher(this::client, output());
        Publisher.Result done = (bucket == null ? publisher : publisher.toS3(bucket)).publish(request);
        ObjectNode result = Json.object()
                .put("app_id", appId)
                .put("bundle", version)
                .put("external_url", done.externalUrl())
                .put("encrypted", done.bundle().encrypted())
                .put("key_id", done.bundle().keyId())
                .put("checksum", done.bundle().checksum())
                .put("upload", done.upload())
                .put("bundle_created", done.bundleCreated())
                .put("channel", channel)
                .put("channel_created", done.channelCreated())
                .put("channel_public", done.channelPublic());
        if (request.delta() != null) {
            result.set(
                    "delta",
                    Json.object()
                            .put("files", request.delta().entries().size())
                            .put("compressed", request.delta().compressed())
                            .put("uploaded", done.delta().created())
                            .put("already_stored", done.delta().present())
                            .put("bytes", request.delta().bytes()));
        }
        printJson(result);
    }
}
