package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.ExitCode;
import dev.updraft.cli.Json;
import dev.updraft.cli.Keys;
import dev.updraft.cli.Progress;
import dev.updraft.cli.Project;
import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.crypto.BundleVerifier;
import dev.updraft.crypto.CryptoException;
import dev.updraft.crypto.SessionKey;
import dev.updraft.crypto.SignedChecksum;
import dev.updraft.crypto.VerifyingSink;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code updraft bundle upload}: register a bundle hosted on your storage, and point a channel at it. */
@Command(name = "upload", abbreviateSynopsis = true, description = {
    "Register a bundle with the Updraft server and point a channel at it (the channel is created if needed, and made",
    "public when the app has no public channel yet). The bundle itself stays on your storage: --external is the URL",
    "devices download it from. For an encrypted bundle pass the ivSessionKey and encoded checksum that 'bundle encrypt'",
    "printed; the key_id comes from the app's public key (capacitor.config.json, else .capgo_key_v2.pub), and both",
    "values are checked against that key before anything is sent. Registering the identical bundle again is fine.",
    "With --upload-file the CLI first PUTs that file to the --external URL (for stores that accept uploads)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  updraft bundle upload com.example.app --bundle 1.0.1 \\",
            "      --external https://cdn.example.com/com.example.app_1.0.1.zip_encrypted.zip \\",
            "      --iv-session-key \"$IV_SESSION_KEY\" --encrypted-checksum \"$ENCODED_CHECKSUM\" --channel production",
            "  updraft bundle upload --bundle 1.0.2 --external https://cdn.example.com/app_1.0.2.zip --checksum \"$SHA256\"",
            "  updraft bundle upload --bundle 1.0.3 --external http://localhost:9000/b/app_1.0.3.zip_encrypted.zip \\",
            "      --upload-file app_1.0.3.zip_encrypted.zip --upload-token \"$STORE_TOKEN\" \\",
            "      --iv-session-key \"$IV_SESSION_KEY\" --encrypted-checksum \"$ENCODED_CHECKSUM\""})
public final class UploadCommand extends AdminCommand {
    static final String DEFAULT_CHANNEL = "production";

    @Parameters(index = "0", arity = "0..1", paramLabel = "APP_ID", description = "The app id (default: appId of capacitor.config.json).")
    String appIdArg;

    @Option(names = {"-b", "--bundle"}, paramLabel = "VERSION", description = "The bundle version, semver (default: version of package.json).")
    String bundle;

    @Option(names = {"-e", "--external"}, paramLabel = "URL", required = true,
            description = "Where devices download the bundle zip: an https:// URL (http:// works for local tests only).")
    String external;

    @Option(names = "--iv-session-key", paramLabel = "KEY", description = "The ivSessionKey 'bundle encrypt' printed; makes this an encrypted bundle.")
    String ivSessionKey;

    @ArgGroup(exclusive = true)
    ChecksumOption checksumOption;

    static final class ChecksumOption {
        @Option(names = "--encrypted-checksum", paramLabel = "HEX", description = "The encoded checksum 'bundle encrypt' printed (512 hex).")
        String encrypted;

        @Option(names = "--checksum", paramLabel = "HEX", description = "The checksum: the zip's SHA-256 (64 hex) for an unencrypted bundle, or the encoded one.")
        String plain;

        String value() {
            return encrypted != null ? encrypted : plain;
        }
    }

    @Option(names = {"-c", "--channel"}, paramLabel = "NAME", defaultValue = DEFAULT_CHANNEL, description = "The channel to point at the bundle (default: ${DEFAULT-VALUE}).")
    String channel;

    @Option(names = "--link", paramLabel = "URL", description = "A link for this bundle (e.g. release notes), passed to devices.")
    String link;

    @Option(names = "--comment", paramLabel = "TEXT", description = "A comment for this bundle, passed to devices.")
    String comment;

    @Option(names = "--min-update-version", paramLabel = "VERSION", description = "The lowest native version that may update to this bundle (channels with disable_auto_update=version_number).")
    String minUpdateVersion;

    @Option(names = "--public-key", paramLabel = "FILE", description = "The public key for the key_id (default: capacitor.config.json's publicKey, else .capgo_key_v2.pub).")
    String publicKeyFile;

    @Option(names = "--upload-file", paramLabel = "FILE", description = "PUT this file to the --external URL before registering it (it is verified against the checksum first).")
    String uploadFile;

    @Option(names = "--upload-token", paramLabel = "TOKEN", description = "Bearer token for --upload-file (default: $UPDRAFT_UPLOAD_TOKEN).")
    String uploadToken;

    @Override
    protected void run() throws IOException, CryptoException {
        String appId = appId(appIdArg);
        String version = bundleVersion(bundle, null);
        URI url = externalUrl();
        if (minUpdateVersion != null) {
            requireSemver(minUpdateVersion, "--min-update-version");
        }
        Bundle checked = checkBundle();
        if (uploadFile != null) {
            putToStore(checked, url);
        }

        ObjectNode body = Json.object().put("version", version).put("external_url", url.toString()).put("checksum", checked.checksum);
        if (checked.encrypted()) {
            body.put("session_key", ivSessionKey).put("key_id", checked.keyId);
        }
        putIfSet(body, "min_update_version", minUpdateVersion);
        putIfSet(body, "link", link);
        putIfSet(body, "comment", comment);

        AdminClient client = client();
        AdminClient.Response registered = client.exchange("POST", appPath(appId, "bundles"), body);
        if (registered.status() == 404 && "app_not_found".equals(registered.body().path("error").asText())) {
            throw new CliException(ExitCode.REFUSED, "app_not_found", registered.body().path("message").asText("app not found")
                    + " (add it first: updraft app add " + appId + ")");
        }
        client.require(registered);
        boolean created = registered.status() == 201;
        say(created ? "Bundle " + version + " registered for " + appId + (checked.encrypted() ? " (encrypted, key_id " + checked.keyId + ")" : " (not encrypted)")
                : "Bundle " + version + " was already registered with the same content; keeping it");

        ChannelLink linked = linkChannel(client, appId, version);
        say(linked.created ? "Channel " + channel + " created" + (linked.madePublic ? " and made public (the app had no public channel): devices without a channel get it" : "")
                : "Channel " + channel + " now serves " + version);
        if (linked.created) {
            say("Channel " + channel + " now serves " + version);
        }
        printJson(Json.object()
                .put("app_id", appId)
                .put("bundle", version)
                .put("external_url", url.toString())
                .put("encrypted", checked.encrypted())
                .put("key_id", checked.keyId)
                .put("checksum", checked.checksum)
                .put("bundle_created", created)
                .put("channel", channel)
                .put("channel_created", linked.created)
                .put("channel_public", linked.isPublic));
    }

    private URI externalUrl() {
        URI url;
        try {
            url = new URI(external);
        } catch (URISyntaxException e) {
            url = null;
        }
        if (url == null || url.getHost() == null || !("https".equalsIgnoreCase(url.getScheme()) || "http".equalsIgnoreCase(url.getScheme()))) {
            throw CliException.usage("invalid_external_url", "--external must be an absolute https:// (or, for tests, http://) URL; got '" + external + "'");
        }
        if ("http".equalsIgnoreCase(url.getScheme())) {
            warn("insecure_url", "--external is an http:// URL: fine for local tests, but real devices need https:// "
                    + "(Android and iOS block clear-text downloads by default)");
        }
        return url;
    }

    /** What is registered: the checksum in the form the server stores, and the key_id of an encrypted bundle. */
    private record Bundle(String checksum, String keyId, BundlePublicKey publicKey, BundleChecksum plain) {
        boolean encrypted() {
            return keyId != null;
        }
    }

    /** Checks the session key and checksum against the app's public key before anything reaches the server. */
    private Bundle checkBundle() throws CryptoException {
        String given = checksumOption == null ? null : checksumOption.value();
        if (ivSessionKey == null) {
            if (checksumOption != null && checksumOption.encrypted != null) {
                throw CliException.usage("missing_session_key", "--encrypted-checksum is for an encrypted bundle: pass --iv-session-key too");
            }
            if (given == null) {
                throw CliException.usage("missing_checksum", "no checksum: pass --checksum with the zip's SHA-256 that 'bundle zip' printed "
                        + "(or, for an encrypted bundle, --iv-session-key and --encrypted-checksum)");
            }
            if (given.length() > 64 && SignedChecksum.isV3Hex(given.toLowerCase(Locale.ROOT))) {
                throw CliException.usage("missing_session_key", "this is an encoded checksum of an encrypted bundle: pass --iv-session-key too");
            }
            BundleChecksum plain = BundleChecksum.parse(given);
            Keys.Located configured = Keys.publicKey(ctx, publicKeyFile, null);
            if (configured != null) {
                warn("unencrypted_bundle", "this bundle is not encrypted, but the app has a public key (" + configured.source()
                        + "): devices with a publicKey refuse unencrypted bundles (session_key_required)");
            }
            return new Bundle(plain.hex(), null, null, plain);
        }
        Keys.Located located = Keys.publicKey(ctx, publicKeyFile, null);
        if (located == null) {
            throw CliException.failed("missing_public_key", "--iv-session-key needs the app's public key to compute the key_id: none in "
                    + Project.CONFIG_FILE + " (plugins.CapacitorUpdater.publicKey) or " + Project.PUBLIC_KEY_FILE + "; pass --public-key FILE");
        }
        if (given == null) {
            throw CliException.usage("missing_checksum", "an encrypted bundle needs --encrypted-checksum, the 'Encoded Checksum' that 'bundle encrypt' printed");
        }
        if (BundleChecksum.isLowercaseHex(given.toLowerCase(Locale.ROOT))) {
            throw CliException.usage("plain_checksum", "an encrypted bundle needs the encoded checksum that 'bundle encrypt' printed (512 hex digits), "
                    + "not the zip's SHA-256: devices would fail it with checksum_fail");
        }
        SessionKey.unwrap(ivSessionKey, located.key()); // refuses a key made with another private key
        BundleChecksum plain = SignedChecksum.parse(given).recover(located.key());
        String stored = SignedChecksum.parse(given).hex(); // lowercase hex, the form servers store
        return new Bundle(stored, located.key().keyId(), located.key(), plain);
    }

    /** Verifies the local file against the checksum, then PUTs it to the store. */
    private void putToStore(Bundle checked, URI url) throws IOException, CryptoException {
        Path file = existingFile(uploadFile, "file_not_found", "--upload-file");
        BundleVerifier verifier = checked.encrypted()
                ? BundleVerifier.forEncrypted(ivSessionKey, checked.checksum, checked.publicKey)
                : BundleVerifier.forPlain(checked.checksum);
        try (InputStream in = Files.newInputStream(file); VerifyingSink sink = verifier.newSink(OutputStream.nullOutputStream())) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                sink.write(buf, 0, n);
            }
            sink.finish();
        }
        String token = uploadToken != null ? uploadToken : ctx.env("UPDRAFT_UPLOAD_TOKEN");
        long size = Files.size(file);
        HttpResponse<String> answer;
        try (Progress progress = progress("Uploading", size)) {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30))
                    .header("Content-Type", "application/zip")
                    .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> counting(file, progress)), size));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException(ExitCode.UNREACHABLE, "store_unreachable", "cannot upload to " + url + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.UNREACHABLE, "store_unreachable", "the upload to " + url + " was interrupted");
        }
        int status = answer.statusCode();
        if (status / 100 != 2) {
            int exit = status == 401 || status == 403 ? ExitCode.AUTH : status >= 500 ? ExitCode.UNREACHABLE : ExitCode.REFUSED;
            throw new CliException(exit, "store_refused", "the store refused the upload to " + url + " (HTTP " + status + ")"
                    + (status == 401 || status == 403 ? ": check --upload-token / UPDRAFT_UPLOAD_TOKEN" : ""));
        }
        say("Uploaded " + uploadFile + " (" + Progress.size(size) + ") to " + url);
    }

    private static InputStream counting(Path file, Progress progress) {
        try {
            return new FilterInputStream(Files.newInputStream(file)) {
                private long done;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        done += n;
                        progress.advanced(done);
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record ChannelLink(boolean created, boolean madePublic, boolean isPublic) {
    }

    /** Points the channel at the bundle; creates it first if it does not exist (public if the app has no public channel). */
    private ChannelLink linkChannel(AdminClient client, String appId, String version) {
        AdminClient.Response existing = client.exchange("GET", appPath(appId, "channels", channel), null);
        if (existing.status() == 404) {
            JsonNode all = client.get(appPath(appId, "channels"));
            boolean anyPublic = false;
            for (JsonNode c : all) {
                anyPublic |= c.path("public").asBoolean(false);
            }
            ObjectNode create = Json.object().put("name", channel).put("bundle", version);
            if (!anyPublic) {
                create.put("public", true);
            }
            AdminClient.Response made = client.exchange("POST", appPath(appId, "channels"), create);
            if (made.status() != 409) { // 409: someone created it meanwhile; point it below
                JsonNode channelJson = client.require(made);
                return new ChannelLink(true, !anyPublic, channelJson.path("public").asBoolean(!anyPublic));
            }
        } else {
            client.require(existing);
        }
        JsonNode patched = client.patch(appPath(appId, "channels", channel), Json.object().put("bundle", version));
        return new ChannelLink(false, false, patched.path("public").asBoolean(false));
    }

    private static void putIfSet(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }
}
