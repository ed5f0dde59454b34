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
import java.util.List;
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
            "Publish a bundle and point a channel at it.",
            "Without --external or --upload-to it is one command, like Capgo's default: zip the build folder (--path, default webDir), encrypt it when the app has a public key (with",
            "--key, default .capgo_key_v2), put it on the server's own storage, register it and link the channel;",
            "--dry-upload stops after the server's check, uploading and registering nothing.",
            "",
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
            "replaced; after the upload its size and ETag (or its bytes, read back) are checked. With --delta the",
            "payloads go to <app id>/delta/ in the bucket; with several --key each key's variant is its own object.",
            "",
            "--delta publishes the build folder (--path) as a delta (manifest) release as well as a zip: the CLI lists its",
            "files (Capgo's rules: .git, node_modules, .DS_Store, package-lock.json, tsconfig*.json and empty files skipped;",
            "names with a space and more than 10,000 files refused), Brotli-compresses those of 8 KiB or more when it pays,",
            "encrypts each with the release's session key when the app has a public key, and puts each payload under",
            "BASE_URL/<app id>/delta/ (or the bucket's <app id>/delta/) at a name derived from its content, skipping those",
            "the store already holds. The zip (made, and encrypted with the same key, by the CLI) is the fallback for",
            "plugins that cannot install a manifest; --delta-only publishes the manifest alone. Needs --upload-to or",
            "--s3-bucket-name, and @capgo/capacitor-updater 5.10.0 / 6.25.0 / 7.0.30 or later in the app."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  updraft bundle upload --channel production",
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

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Location location;

    @Mixin
    S3Options s3;

    /** The bucket of {@code --s3-bucket-name} while it is open, else {@code null}. */
    private S3Uploader uploader;

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

    @Option(
            names = "--key",
            paramLabel = "FILE",
            description = {
                "A private key to encrypt --upload-file (the plain zip 'bundle zip' made) for; repeat it for a release that "
                        + "devices with either key install (a key rotation, docs/operations.md): each key's variant is its "
                        + "own file under --upload-to or in the --s3-bucket-name bucket. The first key's variant goes to "
                        + "plugins that send no key id. With --delta or the one-command upload (no --upload-file): the private key (default: "
                        + ".capgo_key_v2), once."
            })
    List<String> keys;

    /** The first {@code --key}: the private key of the one-command upload and of {@code --delta}. */
    String key;

    @Option(
            names = {"-p", "--path"},
            paramLabel = "DIR",
            description =
                    "The build folder, for the one-command upload and --delta (default: webDir of capacitor.config.json).")
    String path;

    @Option(
            names = "--key-data",
            paramLabel = "PEM",
            description = "Encrypted apps: the private key PEM text itself, instead of --key.")
    String keyData;

    @Option(
            names = "--dry-upload",
            description =
                    "One-command upload: zip, encrypt and have the server check the registration, but upload and register nothing.")
    boolean dryUpload;

    @Option(
            names = "--no-code-check",
            description = "One-command upload: skip the checks for index.html at the root and a notifyAppReady() call.")
    boolean noCodeCheck;

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
    }

    @Override
    protected void run() throws IOException, CryptoException {
        S3Target bucket = s3.target();
        if (bucket == null) {
            publishAll();
            return;
        }
        if (location != null && location.uploadTo != null) {
            throw CliException.usage(
                    "conflicting_stores", "--upload-to and --s3-bucket-name name two stores: choose one");
        }
        try (S3Uploader open = S3Uploader.open(bucket)) {
            uploader = open; // every file of the release goes to the bucket: the zip, its key variants, the delta
            publishAll();
        } finally {
            uploader = null;
        }
    }

    private void publishAll() throws IOException, CryptoException {
        String appId = appId(appIdArg);
        String version = bundleVersion(bundle, null);
        String token = uploadToken != null ? uploadToken : ctx.env("UPDRAFT_UPLOAD_TOKEN");
        Keys.Located publicKey = Keys.publicKey(ctx, publicKeyFile, null);
        Integer share = ChannelCommand.rolloutShareBps(rolloutPercent, rolloutBps);
        boolean bucket = uploader != null;
        key = keys == null || keys.isEmpty() ? null : keys.get(0);
        if (delta == null && keys != null && (keys.size() > 1 || uploadFile != null)) {
            publishForKeys(appId, version, token, share);
            return;
        }
        if (keys != null && keys.size() > 1) {
            throw CliException.usage(
                    "delta_one_key",
                    "a delta release is encrypted for one key: pass --key once (publish a zip release for several keys)");
        }
        if (location == null
                && delta == null
                && !bucket
                && (uploadFile != null || ivSessionKey != null || checksumOption != null)) {
            // values of a bundle made elsewhere, but no URL for it: the one-command upload makes its own
            throw dev.updraft.cli.CliException.usage(
                    "missing_external_url",
                    "pass --external URL (where devices download the bundle), or --upload-to BASE_URL or --s3-bucket-name BUCKET with --upload-file");
        }
        if (location == null && delta == null && !bucket) {
            try (ServerUpload upload = ServerUpload.prepare(this, appId, version, publicKey)) {
                Publisher.Request request = new Publisher.Request(
                        appId,
                        version,
                        channel,
                        null,
                        null,
                        upload.file(),
                        token,
                        upload.ivSessionKey(),
                        upload.encryptedChecksum(),
                        upload.plainChecksum(),
                        publicKey,
                        minUpdateVersion,
                        link,
                        comment,
                        share,
                        null);
                publish(appId, version, request);
            }
            return;
        }
        if (dryUpload) {
            throw dev.updraft.cli.CliException.usage(
                    "dry_upload_needs_the_build",
                    "--dry-upload is for the one-command upload from the build folder (without --external or --upload-to)");
        }
        if (delta != null) {
            try (DeltaPublishing prepared = DeltaPublishing.prepare(
                    this,
                    appId,
                    version,
                    channel,
                    location == null ? null : location.external,
                    bucket ? uploader.baseUrl().toString() : location == null ? null : location.uploadTo,
                    uploadFile != null || ivSessionKey != null || checksumOption != null,
                    publicKey,
                    delta)) {
                publish(
                        appId,
                        version,
                        new Publisher.Request(
                                appId,
                                version,
                                channel,
                                null,
                                location == null ? null : location.uploadTo,
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
        publish(appId, version, request(appId, version, file, token, publicKey, share));
    }

    private Publisher.Request request(
            String appId, String version, Path file, String token, Keys.Located publicKey, Integer share) {
        return new Publisher.Request(
                appId,
                version,
                channel,
                location == null ? null : location.external,
                location == null ? null : location.uploadTo,
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

    /** {@code --key} without {@code --delta}: the CLI encrypts the plain zip for each key ({@link KeyVariants}). */
    private void publishForKeys(String appId, String version, String token, Integer share)
            throws IOException, CryptoException {
        if (ivSessionKey != null || (checksumOption != null && checksumOption.encrypted != null)) {
            throw CliException.usage(
                    "key_encrypts",
                    "with --key the CLI encrypts the zip for each key: leave out --iv-session-key and --encrypted-checksum");
        }
        if (uploadFile == null) {
            throw CliException.usage(
                    "missing_upload_file", "--key needs --upload-file ZIP, the plain zip that 'bundle zip' made");
        }
        if (location == null && uploader == null) {
            throw CliException.usage(
                    "missing_external_url",
                    "--key with --upload-file needs --upload-to BASE_URL, --s3-bucket-name BUCKET or --external URL "
                            + "for the encrypted zip; without --upload-file the one-command upload encrypts the build "
                            + "folder with one --key");
        }
        if (keys.size() > 1 && (location == null ? uploader == null : location.uploadTo == null)) {
            throw CliException.usage(
                    "variants_need_upload_to",
                    "several --key need --upload-to BASE_URL or --s3-bucket-name BUCKET (not --external): each key's "
                            + "variant is its own file, named by its content");
        }
        try (KeyVariants variants = KeyVariants.encrypt(
                ctx, ctx.resolve(uploadFile), checksumOption == null ? null : checksumOption.plain, keys, output())) {
            KeyVariants.Variant first = variants.first();
            publish(
                    appId,
                    version,
                    new Publisher.Request(
                            appId,
                            version,
                            channel,
                            location == null ? null : location.external,
                            location == null ? null : location.uploadTo,
                            first.file(),
                            token,
                            first.ivSessionKey(),
                            first.checksum(),
                            null,
                            first.publicKey(),
                            minUpdateVersion,
                            link,
                            comment,
                            share,
                            null),
                    variants.others());
        }
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

    private void publish(String appId, String version, Publisher.Request request) throws IOException, CryptoException {
        publish(appId, version, request, List.of());
    }

    private void publish(String appId, String version, Publisher.Request request, List<KeyVariants.Variant> others)
            throws IOException, CryptoException {
        // The client (and the API key) is looked up only once every local check has passed.
        Publisher publisher = new Publisher(this::client, output());
        if (uploader != null) {
            publisher.toS3(uploader);
        }
        Publisher.Result done = (dryUpload ? publisher.checkOnly() : publisher).publish(request, others);
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
        if (!done.variants().isEmpty()) {
            com.fasterxml.jackson.databind.node.ArrayNode variants = result.putArray("variants");
            done.variants()
                    .forEach(v -> variants.addObject().put("key_id", v.keyId()).put("external_url", v.externalUrl()));
        }
        if (dryUpload) {
            result.put("dry_upload", true);
        }
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
