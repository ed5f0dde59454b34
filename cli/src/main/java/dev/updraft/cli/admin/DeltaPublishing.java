package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.Context;
import dev.updraft.cli.Identifiers;
import dev.updraft.cli.Keys;
import dev.updraft.cli.Progress;
import dev.updraft.cli.Project;
import dev.updraft.crypto.BundleEncryptor;
import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.crypto.CryptoException;
import dev.updraft.crypto.DeltaEncryption;
import dev.updraft.crypto.DeltaPayloadWriter;
import dev.updraft.crypto.zip.BundleZipper;
import dev.updraft.protocol.Identifier;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bundle upload --delta} / {@code --delta-only} up to the point where {@link Publisher} takes over: the checks
 * that need nothing but the project (options, updater version, file list), the release's encryption, the per-file
 * payloads and, for {@code --delta}, the zip, made and encrypted with the same session key, since an update answer
 * carries one {@code session_key} for both (docs/protocol.md §7). Everything is written to temporary files that
 * {@link #close()} removes.
 *
 * @param zip               the zip to upload (encrypted for an encrypted app), or null for {@code --delta-only}
 * @param ivSessionKey      the release's session key, or null for an unencrypted app
 * @param encryptedChecksum the zip's V3 signed checksum (encrypted app), or null
 * @param plainChecksum     the zip's SHA-256 (unencrypted app), or null
 */
record DeltaPublishing(
        DeltaRelease release,
        Path zipFolder,
        Path zip,
        String ivSessionKey,
        String encryptedChecksum,
        String plainChecksum)
        implements AutoCloseable {
    /**
     * @param zipOptionsGiven whether {@code --upload-file}, {@code --iv-session-key} or a checksum was given: the CLI
     *                        makes those itself for a delta release
     */
    static DeltaPublishing prepare(
            UploadCommand command,
            String appId,
            String version,
            String channel,
            String external,
            String uploadTo,
            boolean zipOptionsGiven,
            Keys.Located publicKey,
            UploadCommand.DeltaOptions o)
            throws IOException, CryptoException {
        Context ctx = command.context();
        Publisher.Output out = command.output();
        boolean deltaOnly = o.mode.deltaOnly;
        String flag = deltaOnly ? "--delta-only" : "--delta";
        Identifiers.require(Identifier.CHANNEL_NAME, channel, "--channel");
        if (external != null || uploadTo == null) {
            throw CliException.usage(
                    "missing_upload_to",
                    flag + " needs --upload-to BASE_URL or --s3-bucket-name BUCKET: the files go to your store "
                            + "under names derived from their content (--external names a single zip)");
        }
        if (zipOptionsGiven) {
            throw CliException.usage(
                    "delta_makes_the_zip",
                    flag + " makes the zip, its session key and checksum from --path itself: "
                            + "leave out --upload-file, --iv-session-key, --encrypted-checksum and --checksum");
        }
        URI base = URI.create(uploadTo);
        Project project = new Project(ctx.cwd());
        Path folder = ctx.resolve(buildFolder(project, command.path));
        UpdaterVersion.Found updater = UpdaterVersion.require(project, o.updaterVersion);
        DeltaFiles.BrotliExclusions exclusions = new DeltaFiles.BrotliExclusions(o.noBrotliPatterns);
        List<DeltaFiles.DeltaFile> files = DeltaFiles.list(folder);
        BundleZipper.checkBuildFolder(folder); // index.html at the root, notifyAppReady called: as for a zip
        out.note("Delta release of " + files.size() + " files from " + ctx.display(folder) + " ("
                + UpdaterVersion.PACKAGE + " " + updater.version() + ", " + updater.source() + ")");

        boolean brotli = !o.disableBrotli;
        if (brotli && !DeltaPayloadWriter.brotliAvailable()) {
            out.warn(
                    "brotli_unavailable",
                    "Brotli is not available on this platform (" + DeltaPayloadWriter.brotliUnavailableReason()
                            + "): files are sent uncompressed");
            brotli = false;
        }
        DeltaEncryption encryption = null;
        DeltaPayloadWriter writer;
        if (publicKey != null) {
            BundlePrivateKey privateKey = Keys.privateKey(ctx, command.key, command.keyData);
            if (!privateKey.publicKey().equals(publicKey.key())) {
                throw CliException.failed(
                        "public_key_mismatch",
                        "the private key (key_id " + privateKey.publicKey().keyId()
                                + ") does not match the app's public key in " + publicKey.source() + " (key_id "
                                + publicKey.key().keyId()
                                + "): devices could not decrypt this release");
            }
            encryption = o.reuseSessionKey ? previousSessionKey(command, appId, channel, privateKey) : null;
            encryption = encryption != null ? encryption : DeltaEncryption.fresh(privateKey);
            writer = encryption.payloads(brotli);
        } else {
            if (o.reuseSessionKey) {
                out.warn(
                        "not_encrypted",
                        "--delta-reuse-session-key is for encrypted apps; this one has no public key, and unchanged "
                                + "files keep their payloads anyway");
            }
            writer = DeltaPayloadWriter.unencrypted(brotli);
        }
        String sessionKey = encryption == null ? null : encryption.ivSessionKey();

        DeltaRelease release;
        long total = files.stream().mapToLong(DeltaFiles.DeltaFile::size).sum();
        try (Progress progress = out.progress("Preparing files", total)) {
            release = DeltaRelease.prepare(
                    files, writer, name -> !exclusions.excludes(name), base, appId, sessionKey, progress);
        }
        if (deltaOnly) {
            return new DeltaPublishing(release, null, null, sessionKey, null, null);
        }
        Path zipFolder = null;
        try {
            zipFolder = Files.createTempDirectory("updraft-delta-zip-");
            Path plain = zipFolder.resolve(appId + "_" + version + ".zip");
            BundleZipper.ZippedBundle zipped;
            try (Progress progress = out.progress("Zipping", total)) {
                zipped = BundleZipper.zip(folder, plain, new BundleZipper.Options(true, true), progress);
            }
            if (encryption == null) {
                return new DeltaPublishing(
                        release, zipFolder, plain, null, null, zipped.checksum().hex());
            }
            BundleEncryptor.EncryptedBundle encrypted;
            try (Progress progress = out.progress("Encrypting", zipped.size())) {
                encrypted = encryption.encryptZip(
                        plain, zipFolder.resolve(plain.getFileName() + "_encrypted.zip"), progress);
            }
            return new DeltaPublishing(
                    release,
                    zipFolder,
                    encrypted.file(),
                    sessionKey,
                    encrypted.checksum().hex(),
                    null);
        } catch (IOException | RuntimeException e) {
            release.close();
            DeltaRelease.deleteFolder(zipFolder);
            throw e;
        }
    }

    /** The session key of the channel's current release ({@code --delta-reuse-session-key}), or null when there is none to keep. */
    private static DeltaEncryption previousSessionKey(
            UploadCommand command, String appId, String channel, BundlePrivateKey privateKey) {
        Publisher.Output out = command.output();
        AdminClient admin = command.adminClient();
        AdminClient.Response ch = admin.exchange("GET", AdminCommand.appPath(appId, "channels", channel), null);
        String current = ch.ok() ? ch.body().path("bundle").asText("") : "";
        if (current.isEmpty() || "builtin".equals(current)) {
            out.warn(
                    "no_session_key_to_reuse",
                    "channel " + channel + " serves no release yet: this one gets a fresh session key");
            return null;
        }
        JsonNode previous = admin.require(admin.exchange("GET", AdminCommand.appPath(appId, "bundles", current), null));
        String sessionKey = previous.path("session_key").asText("");
        if (sessionKey.isEmpty()) {
            out.warn(
                    "no_session_key_to_reuse",
                    "release " + current + " on channel " + channel
                            + " is not encrypted: this one gets a fresh session key");
            return null;
        }
        try {
            DeltaEncryption reused = DeltaEncryption.reusing(privateKey, sessionKey);
            out.note("Reusing the session key of release " + current
                    + " (--delta-reuse-session-key): unchanged files keep their payloads");
            return reused;
        } catch (CryptoException e) {
            throw CliException.failed(
                    "session_key_not_reusable",
                    "the session key of release " + current + " cannot be reused: " + e.getMessage()
                            + "; nothing was uploaded");
        }
    }

    static String buildFolder(Project project, String path) {
        if (path != null) {
            return path;
        }
        Project.Config config = project.config();
        if (config != null && config.webDir() != null) {
            return config.webDir();
        }
        throw CliException.usage(
                "missing_path",
                "no build folder: pass --path DIR (or run where " + Project.CONFIG_FILE + " has a webDir)");
    }

    @Override
    public void close() {
        release.close();
        DeltaRelease.deleteFolder(zipFolder);
    }
}
