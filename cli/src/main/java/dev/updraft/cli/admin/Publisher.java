package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.ExitCode;
import dev.updraft.cli.Identifiers;
import dev.updraft.cli.Json;
import dev.updraft.cli.Keys;
import dev.updraft.cli.Progress;
import dev.updraft.cli.Project;
import dev.updraft.cli.bundle.s3.S3Target;
import dev.updraft.cli.bundle.s3.S3Uploader;
import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.crypto.BundleVerifier;
import dev.updraft.crypto.CryptoException;
import dev.updraft.crypto.ProgressListener;
import dev.updraft.crypto.SignedChecksum;
import dev.updraft.crypto.zip.BundleLayout;
import dev.updraft.protocol.Identifier;
import dev.updraft.protocol.Semver;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What {@code bundle upload} does, in the order that never destroys what is live (docs/cli-reference.md, "updraft
 * bundle upload"; docs/admin-api.md, "Bundles"):
 * <ol>
 *   <li>every identifier is valid (a usage error otherwise, and nothing is sent);</li>
 *   <li>the session key and checksum were made with the app's key; an {@code --upload-file} matches the checksum
 *       and is a bundle zip devices can install (decrypted with the public key, for an encrypted one);</li>
 *   <li>before a byte goes to the store, the server checks the registration without writing (version free or holding
 *       this identical bundle, channel linkable: {@code dry_run});</li>
 *   <li>the file goes to the store under a name that cannot collide ({@code --upload-to}: named by its SHA-256), and
 *       an existing object is never replaced ({@code If-None-Match: *}, and a check first for stores that ignore it);
 *       the same bytes already there count as uploaded. A delta release's payloads go first, each under its content
 *       address, skipped when the store holds it ({@link DeltaRelease});</li>
 *   <li>the server registers the bundle and links the channel in one transaction.</li>
 * </ol>
 * A refusal at any step leaves nothing half-done: at worst an unregistered object on the store under its own name.
 * Plain Java: the command only gathers the options, so this can be driven without picocli.
 */
public final class Publisher {
    /** Where the publisher reports to the user; the command's own streams. */
    public interface Output {
        /** A result line (stdout). */
        void say(String line);

        /** A side note (stderr). */
        void note(String line);

        void warn(String code, String message);

        Progress progress(String label, long total);
    }

    /**
     * What to publish, as the user gave it.
     *
     * @param external          the exact URL devices download from; or null with {@code uploadTo}
     * @param uploadTo          a base URL: the file goes to {@code <uploadTo>/<app_id>/<sha256>.zip}, which becomes the
     *                          external URL; needs {@code uploadFile}
     * @param uploadFile        the file to put on the store first, or null when it is already hosted
     * @param encryptedChecksum {@code --encrypted-checksum}
     * @param plainChecksum     {@code --checksum} (the zip's SHA-256, or an encoded checksum)
     * @param publicKey         the app's public key and where it was found, or null
     * @param rolloutBps        link the bundle as the channel's rollout at this share (basis points) instead of as its
     *                          bundle; null: its bundle
     * @param delta             the per-file payloads of a delta release (uploaded to {@code uploadTo} before the zip,
     *                          registered as the manifest), or null; with no {@code uploadFile} the release has no zip
     *                          ({@code --delta-only})
     */
    public record Request(
            String appId,
            String version,
            String channel,
            String external,
            String uploadTo,
            Path uploadFile,
            String uploadToken,
            String ivSessionKey,
            String encryptedChecksum,
            String plainChecksum,
            Keys.Located publicKey,
            String minUpdateVersion,
            String link,
            String comment,
            Integer rolloutBps,
            DeltaRelease delta) {
        /** A manifest without a zip. */
        boolean deltaOnly() {
            return delta != null && uploadFile == null && external == null;
        }
    }

    /** What was registered: the checksum as the server stores it, and the key_id of an encrypted bundle. */
    public record Bundle(String checksum, String keyId, BundlePublicKey publicKey) {
        public boolean encrypted() {
            return keyId != null;
        }
    }

    /**
     * What publishing did.
     *
     * @param upload {@code "created"}, {@code "identical"} (the store already held these bytes), or null without a file
     * @param delta  the delta payloads put on the store and those it already held, or null without a delta
     */
    public record Result(
            String externalUrl,
            Bundle bundle,
            String upload,
            boolean bundleCreated,
            boolean channelCreated,
            boolean channelPublic,
            DeltaRelease.Uploaded delta,
            List<RegisteredVariant> variants) {}

    /** A variant for another key ({@link KeyVariants}) as registered: its key id and where devices download it. */
    public record RegisteredVariant(String keyId, String externalUrl) {}

    private final Supplier<AdminClient> adminClient;
    private final Output out;
    private AdminClient admin;
    private boolean checkOnly;

    private S3Uploader s3;

    /** @param admin made when the first request is due, after every local check passed */
    public Publisher(Supplier<AdminClient> admin, Output out) {
        this.adminClient = admin;
        this.out = out;
    }

    /**
     * Uploads {@code uploadFile} to this S3 bucket instead of with HTTP PUT: at {@link S3Target#contentKey}, whose URL is
     * registered unless {@code external} names another (a CDN in front of the bucket).
     */
    public Publisher toS3(S3Uploader bucket) {
        this.s3 = bucket;
        return this;
    }

    /** Runs the five steps; throws {@link CliException} (or crypto-core's exceptions) at the first refusal. */
    /** Only check: stop after the server's dry run, before anything is uploaded or registered ({@code --dry-upload}). */
    public Publisher checkOnly() {
        checkOnly = true;
        return this;
    }

    public Result publish(Request r) throws IOException, CryptoException {
        return publish(r, List.of());
    }

    /**
     * The same, for a release encrypted for several keys: {@code r} is the first key's variant, {@code others} the
     * variants for the other keys, each checked like {@code r}'s file, uploaded under its own content address after it
     * and registered with it in the same request ({@code variants}, docs/admin-api.md, "Key variants").
     */
    Result publish(Request r, List<KeyVariants.Variant> others) throws IOException, CryptoException {
        // 1. identifiers and options: nothing is read or sent before these hold
        Identifiers.require(Identifier.APP_ID, r.appId(), "the app id");
        Identifiers.require(Identifier.BUNDLE_VERSION, r.version(), "--bundle");
        Identifiers.require(Identifier.CHANNEL_NAME, r.channel(), "--channel");
        if (r.minUpdateVersion() != null && !Semver.isValid(r.minUpdateVersion())) {
            throw CliException.usage(
                    "invalid_semver",
                    "--min-update-version '" + Identifiers.printable(r.minUpdateVersion())
                            + "' is not a semantic version (e.g. 1.0.1 or 2.0.0-beta.1; see semver.org)");
        }
        // Neither --external, --upload-to nor a bucket, but a file: it goes to the server's own storage.
        boolean toServer = s3 == null && r.external() == null && r.uploadTo() == null && r.uploadFile() != null;
        if (s3 != null) {
            checkS3(r);
        } else if (!toServer && (r.external() == null) == (r.uploadTo() == null)) {
            throw CliException.usage(
                    "missing_external_url",
                    "pass --external URL (where devices download the bundle), or --upload-to BASE_URL or --s3-bucket-name BUCKET with --upload-file");
        }
        if (r.uploadTo() != null && r.uploadFile() == null && r.delta() == null) {
            throw CliException.usage(
                    "missing_upload_file", "--upload-to needs --upload-file: the file it names by its SHA-256");
        }
        URI target = r.external() == null && r.uploadTo() == null
                ? null
                : httpUrl(
                        r.external() != null ? r.external() : r.uploadTo(),
                        r.external() != null ? "--external" : "--upload-to");

        // 2. local checks: the values against the app's key, the file against the values
        Bundle bundle = r.deltaOnly() ? deltaOnly(r) : checkValues(r);
        LocalFile file = r.uploadFile() == null ? null : checkFile(r.uploadFile(), r.ivSessionKey(), bundle);
        admin = adminClient.get();
        String s3Key = s3 == null || file == null ? null : S3Target.contentKey(r.appId(), file.sha256());
        URI url = r.deltaOnly()
                ? null
                : toServer
                        ? contentAddressed(URI.create(admin.server() + "/files"), r.appId(), file.sha256())
                        : target == null
                                ? objectUrl(s3Key)
                                : r.uploadTo() == null ? target : contentAddressed(target, r.appId(), file.sha256());
        ObjectNode registration = registration(r, bundle, url);
        List<LocalFile> otherFiles = new ArrayList<>();
        List<RegisteredVariant> registered = new ArrayList<>();
        if (!others.isEmpty()) {
            if ((r.uploadTo() == null && s3 == null) || file == null || r.delta() != null) {
                throw CliException.usage(
                        "variants_need_upload_to",
                        "a release for several keys needs --upload-to (or --s3-bucket-name) and --upload-file: each "
                                + "key's variant is its own file, named by its content");
            }
            ArrayNode variants = registration.putArray("variants");
            for (KeyVariants.Variant v : others) {
                Bundle vb = new Bundle(
                        v.checksum(), v.publicKey().key().keyId(), v.publicKey().key());
                LocalFile f = checkFile(v.file(), v.ivSessionKey(), vb);
                URI at = s3 != null
                        ? s3.objectUrl(S3Target.contentKey(r.appId(), f.sha256()))
                        : contentAddressed(target, r.appId(), f.sha256());
                otherFiles.add(f);
                registered.add(new RegisteredVariant(vb.keyId(), at.toString()));
                variants.addObject()
                        .put("external_url", at.toString())
                        .put("checksum", vb.checksum())
                        .put("session_key", v.ivSessionKey())
                        .put("key_id", vb.keyId());
            }
        }

        String upload = null;
        DeltaRelease.Uploaded delta = null;
        if (file != null || r.delta() != null) {
            // 3. the server's word before the store's bytes
            ObjectNode dryRun = registration.deepCopy().put("dry_run", true);
            JsonNode wouldBe = answer(
                    r,
                    admin.exchange("POST", AdminCommand.appPath(r.appId(), "bundles"), dryRun),
                    "; nothing was uploaded to the store");
            if (checkOnly) {
                out.say("Dry upload: the server would accept " + r.version() + " for channel " + r.channel()
                        + "; nothing was uploaded or registered");
                return new Result(
                        url == null ? null : url.toString(),
                        bundle,
                        null,
                        wouldBe.path("bundle_created").asBoolean(),
                        wouldBe.path("channel_created").asBoolean(),
                        wouldBe.path("channel").path("public").asBoolean(),
                        null,
                        registered);
            }
        }
        StoreUpload store = new StoreUpload(r.uploadToken());
        if (r.delta() != null) {
            // 4a. the payloads, each under its content address; those the store holds are not sent again
            try (Progress progress = out.progress("Uploading files", r.delta().bytes())) {
                delta = r.delta()
                        .upload(
                                s3 != null
                                        ? e -> s3.put(e.key(), e.payload(), e.sha256(), e.size(), ProgressListener.NONE)
                                                == S3Uploader.Outcome.CREATED
                                        : e -> store.putPayload(e.url(), e.payload(), e.sha256(), e.size())
                                                == StoreUpload.Outcome.CREATED,
                                progress);
            }
            out.say("Delta: " + r.delta().entries().size() + " files ("
                    + r.delta().compressed() + " Brotli-compressed); " + delta.created() + " uploaded, "
                    + delta.present() + " already on the store");
        }
        if (file != null && toServer) {
            // 4. to the server's storage, which names the file by its SHA-256 and never overwrites one
            JsonNode stored;
            try (Progress progress = out.progress("Uploading", file.size())) {
                stored = admin.require(admin.upload(AdminCommand.appPath(r.appId(), "files"), file.path()));
                progress.advanced(file.size());
            }
            if (!file.sha256().equals(stored.path("sha256").asText())) {
                throw CliException.failed(
                        "upload_corrupted",
                        "the server stored other bytes than " + r.uploadFile().getFileName());
            }
            url = URI.create(stored.path("url").asText());
            registration = registration(r, bundle, url);
            upload = "stored";
            out.say("Uploaded " + r.uploadFile().getFileName() + " (" + Progress.size(file.size())
                    + ") to the server's storage: " + url);
        } else if (file != null && s3 != null) {
            // 4. to the bucket, never over another object
            upload = putInBucket(s3Key, r, file);
        } else if (file != null) {
            // 4. to the store, never over another object
            StoreUpload.Outcome stored = store.put(url, file.path(), file.sha256(), file.size(), out);
            upload = stored == StoreUpload.Outcome.CREATED ? "created" : "identical";
            out.say(
                    stored == StoreUpload.Outcome.CREATED
                            ? "Uploaded " + r.uploadFile().getFileName() + " (" + Progress.size(file.size()) + ") to "
                                    + url
                            : url + " already holds exactly this file; not uploaded again");
        }
        for (int i = 0; i < otherFiles.size(); i++) {
            // 4b. the other keys' variants, each under its own content address
            URI at = URI.create(registered.get(i).externalUrl());
            LocalFile other = otherFiles.get(i);
            boolean created = s3 != null
                    ? s3.put(
                                    S3Target.contentKey(r.appId(), other.sha256()),
                                    other.path(),
                                    other.sha256(),
                                    other.size(),
                                    ProgressListener.NONE)
                            == S3Uploader.Outcome.CREATED
                    : store.put(at, other.path(), other.sha256(), other.size(), out) == StoreUpload.Outcome.CREATED;
            out.say((created ? "Uploaded the variant for key_id " : "Already stored: the variant for key_id ")
                    + registered.get(i).keyId() + " to " + at);
        }
        // 5. register and link, one transaction
        JsonNode published = answer(
                r,
                admin.exchange("POST", AdminCommand.appPath(r.appId(), "bundles"), registration),
                file == null && r.delta() == null ? "" : "; what was uploaded stays on the store, unregistered");
        boolean bundleCreated = published.path("bundle_created").asBoolean();
        boolean channelCreated = published.path("channel_created").asBoolean();
        boolean channelPublic = published.path("channel").path("public").asBoolean();
        out.say(
                bundleCreated
                        ? "Bundle " + r.version() + " registered for " + r.appId()
                                + (bundle.encrypted()
                                        ? " (encrypted, key_id " + bundle.keyId()
                                                + registered.stream()
                                                        .map(v -> ", " + v.keyId())
                                                        .reduce("", String::concat)
                                                + ")"
                                        : " (not encrypted)")
                        : "Bundle " + r.version() + " was already registered with the same content; keeping it");
        if (channelCreated) {
            out.say("Channel " + r.channel() + " created"
                    + (channelPublic
                            ? " and made public (the app had no public channel): devices without a channel get it"
                            : ""));
        }
        out.say(
                r.rolloutBps() == null
                        ? "Channel " + r.channel() + " now serves " + r.version()
                        : "Channel " + r.channel() + " now rolls " + r.version() + " out to "
                                + ChannelCommand.percent(r.rolloutBps()) + "% of its devices");
        return new Result(
                url == null ? null : url.toString(),
                bundle,
                upload,
                bundleCreated,
                channelCreated,
                channelPublic,
                delta,
                registered);
    }

    private URI httpUrl(String given, String option) {
        URI url;
        try {
            url = new URI(given);
        } catch (URISyntaxException e) {
            url = null;
        }
        if (url == null
                || url.getHost() == null
                || !("https".equalsIgnoreCase(url.getScheme()) || "http".equalsIgnoreCase(url.getScheme()))) {
            throw CliException.usage(
                    "invalid_external_url",
                    option + " must be an absolute https:// (or, for tests, http://) URL; got '"
                            + Identifiers.printable(given) + "'");
        }
        if ("http".equalsIgnoreCase(url.getScheme())) {
            out.warn(
                    "insecure_url",
                    option + " is an http:// URL: fine for local tests, but real devices need https:// "
                            + "(Android and iOS block clear-text downloads by default)");
        }
        return url;
    }

    private static void checkS3(Request r) {
        if (r.uploadTo() != null) {
            throw CliException.usage(
                    "conflicting_stores", "--upload-to and --s3-bucket-name name two stores: choose one");
        }
        if (r.uploadFile() == null && r.delta() == null) {
            throw CliException.usage(
                    "missing_upload_file", "--s3-bucket-name needs --upload-file, the file to put in the bucket");
        }
    }

    /** The object's URL (devices download it unless --external names another), with the http:// warning. */
    private URI objectUrl(String key) {
        URI url = s3.objectUrl(key);
        if ("http".equalsIgnoreCase(url.getScheme())) {
            out.warn(
                    "insecure_url",
                    "the bucket's URL " + url + " is http://: fine for local tests, but real devices need https:// "
                            + "(Android and iOS block clear-text downloads by default)");
        }
        return url;
    }

    private String putInBucket(String key, Request r, LocalFile file) {
        S3Uploader.Outcome stored;
        try (Progress progress = out.progress("Uploading", file.size())) {
            stored = s3.put(key, file.path(), file.sha256(), file.size(), progress);
        }
        URI object = s3.objectUrl(key);
        out.say(
                stored == S3Uploader.Outcome.CREATED
                        ? "Uploaded " + r.uploadFile().getFileName() + " (" + Progress.size(file.size()) + ") to "
                                + object
                        : object + " already holds exactly this file; not uploaded again");
        return stored == S3Uploader.Outcome.CREATED ? "created" : "identical";
    }

    /** {@code <base>/<app_id>/<sha256>.zip}: another file can never get this name. */
    private static URI contentAddressed(URI base, String appId, String sha256) {
        String b = base.toString();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return URI.create(b + "/" + appId + "/" + sha256 + ".zip");
    }

    /** A manifest without a zip: no checksum (devices check each file), the key_id of an encrypted release. */
    private static Bundle deltaOnly(Request r) {
        if (r.ivSessionKey() == null) {
            return new Bundle(null, null, null);
        }
        return new Bundle(null, r.publicKey().key().keyId(), r.publicKey().key());
    }

    /** The session key and checksum against the app's public key, before anything reaches the server. */
    private Bundle checkValues(Request r) throws CryptoException {
        String given = r.encryptedChecksum() != null ? r.encryptedChecksum() : r.plainChecksum();
        Keys.Located located = r.publicKey();
        if (r.ivSessionKey() == null) {
            if (r.encryptedChecksum() != null) {
                throw CliException.usage(
                        "missing_session_key",
                        "--encrypted-checksum is for an encrypted bundle: pass --iv-session-key too");
            }
            if (given == null) {
                throw CliException.usage(
                        "missing_checksum",
                        "no checksum: pass --checksum with the zip's SHA-256 that 'bundle zip' printed "
                                + "(or, for an encrypted bundle, --iv-session-key and --encrypted-checksum)");
            }
            if (given.length() > 64 && SignedChecksum.isV3Hex(given.toLowerCase(Locale.ROOT))) {
                throw CliException.usage(
                        "missing_session_key",
                        "this is an encoded checksum of an encrypted bundle: pass --iv-session-key too");
            }
            BundleChecksum plain = BundleChecksum.parse(given);
            if (located != null) {
                out.warn(
                        "unencrypted_bundle",
                        "this bundle is not encrypted, but the app has a public key (" + located.source()
                                + "): devices with a publicKey refuse unencrypted bundles (session_key_required)");
            }
            return new Bundle(plain.hex(), null, null);
        }
        if (located == null) {
            throw CliException.failed(
                    "missing_public_key",
                    "--iv-session-key needs the app's public key to compute the key_id: none in " + Project.CONFIG_FILE
                            + " (plugins.CapacitorUpdater.publicKey) or " + Project.PUBLIC_KEY_FILE
                            + "; pass --public-key FILE");
        }
        if (given == null) {
            throw CliException.usage(
                    "missing_checksum",
                    "an encrypted bundle needs --encrypted-checksum, the 'Encoded Checksum' that 'bundle encrypt' printed");
        }
        if (BundleChecksum.isLowercaseHex(given.toLowerCase(Locale.ROOT))) {
            throw CliException.usage(
                    "plain_checksum",
                    "an encrypted bundle needs the encoded checksum that 'bundle encrypt' printed (512 hex digits), "
                            + "not the zip's SHA-256: devices would fail it with checksum_fail");
        }
        BundleVerifier.forEncrypted(
                r.ivSessionKey(), given, located.key()); // refuses a key or checksum made with another private key
        return new Bundle(
                SignedChecksum.parse(given).hex(),
                located.key().keyId(),
                located.key()); // lowercase hex, as servers store it
    }

    /** The file to upload: where, how big, and the SHA-256 of its bytes (encrypted or not). */
    private record LocalFile(Path path, long size, String sha256) {}

    /**
     * Reads the file once: it must decrypt (for an encrypted bundle) to a zip whose SHA-256 is the checksum, and that
     * zip must be one devices can install ({@link BundleLayout}). The decrypted copy is an owner-only temporary file,
     * removed before this returns.
     */
    private LocalFile checkFile(Path file, String ivSessionKey, Bundle bundle) throws IOException, CryptoException {
        if (!Files.isRegularFile(file)) {
            throw CliException.failed(
                    "file_not_found",
                    "--upload-file " + file + (Files.exists(file) ? " is not a file" : " does not exist"));
        }
        BundleVerifier verifier = bundle.encrypted()
                ? BundleVerifier.forEncrypted(ivSessionKey, bundle.checksum(), bundle.publicKey())
                : BundleVerifier.forPlain(bundle.checksum());
        MessageDigest sha = sha256();
        long size = Files.size(file);
        Path plain = bundle.encrypted() ? Files.createTempFile("updraft-upload-", ".zip") : file;
        try {
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha);
                    Progress progress = out.progress("Checking", size)) {
                if (bundle.encrypted()) {
                    verifier.verify(in, plain, progress);
                } else {
                    verifier.verify(in, progress);
                }
            }
            BundleLayout.Checked layout = BundleLayout.check(plain);
            out.note("Checked " + file.getFileName() + ": it matches the checksum, and is a bundle zip of "
                    + layout.files() + " files with index.html "
                    + (layout.root().isEmpty() ? "at the root" : "in " + layout.root()));
        } finally {
            if (bundle.encrypted()) {
                Files.deleteIfExists(plain);
            }
        }
        return new LocalFile(file, size, HexFormat.of().formatHex(sha.digest()));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** {@code BundleIn} of docs/admin-api.md with the channel to link, created when missing. */
    private static ObjectNode registration(Request r, Bundle bundle, URI url) {
        ObjectNode body = Json.object().put("version", r.version());
        if (url != null) {
            body.put("external_url", url.toString()).put("checksum", bundle.checksum());
        }
        if (r.delta() != null) {
            body.set("manifest", r.delta().manifestJson());
        }
        if (bundle.encrypted()) {
            body.put("session_key", r.ivSessionKey()).put("key_id", bundle.keyId());
        }
        putIfSet(body, "min_update_version", r.minUpdateVersion());
        putIfSet(body, "link", r.link());
        putIfSet(body, "comment", r.comment());
        if (r.rolloutBps() != null) {
            body.put("rollout_percentage_bps", r.rolloutBps());
        }
        return body.put("channel", r.channel()).put("create_channel", true);
    }

    /** The body of a 2xx answer; a refusal becomes one line with the server's message and what was (not) done. */
    private JsonNode answer(Request r, AdminClient.Response response, String consequence) {
        if (response.ok()) {
            return response.body();
        }
        if (response.status() == 404
                && "app_not_found".equals(response.body().path("error").asText())) {
            throw new CliException(
                    ExitCode.REFUSED,
                    "app_not_found",
                    response.body().path("message").asText("app not found") + " (add it first: updraft app add "
                            + r.appId() + ")" + consequence);
        }
        CliException refused = admin.failure(response);
        throw new CliException(refused.exitCode(), refused.code(), refused.getMessage() + consequence);
    }

    private static void putIfSet(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }
}
