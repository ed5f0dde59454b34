package dev.updraft.cli.bundle;

import dev.updraft.cli.BaseCommand;
import dev.updraft.cli.Json;
import dev.updraft.cli.Keys;
import dev.updraft.cli.Progress;
import dev.updraft.cli.Project;
import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundleEncryptor;
import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.crypto.CryptoException;
import dev.updraft.crypto.zip.BundleLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code updraft bundle encrypt}: AES-128-CBC with a fresh session key, the key wrapped and the checksum signed. */
@Command(
        name = "encrypt",
        description = {
            "Encrypt a bundle zip for devices that have the public key, into <ZIP>_encrypted.zip.",
            "AES-128-CBC with a fresh session key. Prints the ivSessionKey and the encoded (signed, V3) checksum that 'bundle "
                    + "upload' registers. Refuses a CHECKSUM that is not the zip's SHA-256, and a ZIP that is not a bundle devices can "
                    + "install (not a readable zip, unsafe entry names, or no index.html at the root or in a single top-level folder).",
            "If capacitor.config.json has no publicKey yet, the one matching the private key is written into it."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  updraft bundle encrypt com.example.app_1.0.1.zip 3f5076131fa327e7c3ea620aca8ca283e3657a1e8b015482f55893f4fd1ca2d7",
            "  updraft bundle encrypt app.zip \"$CHECKSUM\" --key ~/secrets/.capgo_key_v2 --json"
        })
public final class EncryptCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "ZIP", description = "The bundle zip ('bundle zip' made it).")
    String zip;

    @Parameters(
            index = "1",
            paramLabel = "CHECKSUM",
            description = "The zip's SHA-256 as 'bundle zip' printed it (64 hex digits).")
    String checksum;

    @Option(
            names = "--key",
            paramLabel = "FILE",
            description = "The private key (default: .capgo_key_v2 in the current folder).")
    String key;

    @Option(
            names = "--key-data",
            paramLabel = "PEM",
            description = "The private key PEM text itself, instead of --key (e.g. from a CI secret).")
    String keyData;

    @Override
    protected void run() throws IOException, CryptoException {
        Path zipFile = existingFile(zip, "zip_not_found", "the zip");
        BundleChecksum expected = BundleChecksum.parse(checksum);
        BundlePrivateKey privateKey;
        try {
            privateKey = Keys.privateKey(ctx, key, keyData);
        } catch (RuntimeException e) {
            BundleLayout.check(zipFile); // a zip that is no bundle is reported first, as always
            throw e;
        }
        BundlePublicKey publicKey = privateKey.publicKey();

        String fileName = zip + "_encrypted.zip";
        BundleEncryptor.EncryptedBundle encrypted;
        try (Progress progress = progress("Encrypting", Files.size(zipFile))) {
            // A zip devices can install, checked before it is encrypted and looks like any other bytes: the check
            // reads the whole zip too, so it runs beside the encryption, and the output appears only if both passed.
            encrypted = new BundleEncryptor(privateKey)
                    .encryptVerified(
                            zipFile, expected, ctx.resolve(fileName), progress, () -> BundleLayout.check(zipFile));
        }
        checkConfiguredPublicKey(publicKey); // after the checks: a refused bundle leaves the config as it was
        note("Encrypting checksum with V3 (key_id " + publicKey.keyId() + ")");
        say("Encoded Checksum: " + encrypted.checksum().hex());
        say("ivSessionKey: " + encrypted.ivSessionKey());
        say("Encrypted zip saved at " + fileName);
        printJson(Json.object()
                .put("checksum", encrypted.checksum().hex())
                .put("filename", fileName)
                .put("ivSessionKey", encrypted.ivSessionKey()));
    }

    /** Like the Capgo CLI: the app must ship the matching public key, so put it in the config if it is missing. */
    private void checkConfiguredPublicKey(BundlePublicKey publicKey) {
        Project.Config config = project().config();
        if (config == null) {
            return;
        }
        String configured = config.publicKey();
        if (configured == null) {
            config.setPublicKey(publicKey.toPem());
            config.save();
            note("Public key added to " + Project.CONFIG_FILE + " (plugins.CapacitorUpdater.publicKey), key_id "
                    + publicKey.keyId());
            return;
        }
        BundlePublicKey inConfig;
        try {
            inConfig = BundlePublicKey.fromPem(configured);
        } catch (CryptoException e) {
            warn(
                    "invalid_public_key",
                    "the publicKey in " + Project.CONFIG_FILE + " is unusable (" + e.getMessage()
                            + "); fix it with 'updraft key save --force'");
            return;
        }
        if (!inConfig.equals(publicKey)) {
            warn(
                    "public_key_mismatch",
                    "the publicKey in " + Project.CONFIG_FILE + " (key_id " + inConfig.keyId()
                            + ") does not match this private key (key_id " + publicKey.keyId()
                            + "): devices with that config cannot decrypt this bundle");
        }
    }
}
