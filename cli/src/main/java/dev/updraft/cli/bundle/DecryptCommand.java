package dev.updraft.cli.bundle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.BaseCommand;
import dev.updraft.cli.CliException;
import dev.updraft.cli.Json;
import dev.updraft.cli.Keys;
import dev.updraft.cli.Progress;
import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundleVerifier;
import dev.updraft.crypto.CryptoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code updraft bundle decrypt}: what a device does with an encrypted bundle, on the command line. */
@Command(
        name = "decrypt",
        description = {
            "Decrypt an encrypted bundle with the public key, exactly as a device does.",
            "The plain zip is written to <ENCRYPTED_ZIP>_decrypted.zip. With --checksum, also verify it: the encoded (V3) "
                    + "checksum from 'bundle encrypt', or a plain SHA-256. On a mismatch nothing is written and the exit code is 1.",
            "The public key comes from --key / --key-data, else capacitor.config.json's publicKey, else .capgo_key_v2.pub."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  updraft bundle decrypt com.example.app_1.0.1.zip_encrypted.zip \"$IV_SESSION_KEY\" --checksum \"$ENCODED_CHECKSUM\"",
            "  updraft bundle decrypt bundle.zip_encrypted.zip \"$IV_SESSION_KEY\" --key .capgo_key_v2.pub --json"
        })
public final class DecryptCommand extends BaseCommand {
    @Parameters(
            index = "0",
            paramLabel = "ENCRYPTED_ZIP",
            description = "The encrypted bundle ('bundle encrypt' made it).")
    String encryptedZip;

    @Parameters(
            index = "1",
            paramLabel = "IV_SESSION_KEY",
            description = "The ivSessionKey 'bundle encrypt' printed (base64(iv):base64(key)).")
    String ivSessionKey;

    @Option(
            names = "--key",
            paramLabel = "FILE",
            description = "The public key file (default: the project's configured public key).")
    String key;

    @Option(names = "--key-data", paramLabel = "PEM", description = "The public key PEM text itself, instead of --key.")
    String keyData;

    @Option(
            names = "--checksum",
            paramLabel = "CHECKSUM",
            description = "Verify the decrypted zip: the encoded checksum (512 hex) or the plain SHA-256 (64 hex).")
    String checksum;

    @Override
    protected void run() throws IOException, CryptoException {
        Path encrypted = existingFile(encryptedZip, "zip_not_found", "the encrypted zip");
        Keys.Located publicKey = Keys.publicKey(ctx, key, keyData);
        if (publicKey == null) {
            throw CliException.failed(
                    "missing_public_key",
                    "no public key: pass --key FILE, or run in a project whose capacitor.config.json has a publicKey "
                            + "or that has .capgo_key_v2.pub");
        }
        boolean plainChecksum =
                checksum != null && BundleChecksum.isLowercaseHex(checksum.toLowerCase(java.util.Locale.ROOT));
        BundleVerifier verifier = checksum == null
                ? BundleVerifier.decryptOnly(ivSessionKey, publicKey.key())
                : plainChecksum
                        ? BundleVerifier.forEncrypted(ivSessionKey, BundleChecksum.parse(checksum), publicKey.key())
                        : BundleVerifier.forEncrypted(ivSessionKey, checksum, publicKey.key());

        String fileName = encryptedZip + "_decrypted.zip";
        Path out = ctx.resolve(fileName);
        BundleChecksum actual;
        try (Progress progress = progress("Decrypting", Files.size(encrypted))) {
            actual = verifier.verify(encrypted, out, progress); // out appears only if the bundle passed
        }
        say("Decrypted zip file at " + fileName);
        if (checksum != null) {
            say("Checksum matches"
                    + (plainChecksum ? "" : " (V3, key_id " + publicKey.key().keyId() + ")") + ": " + actual.hex());
        } else {
            say("Checksum SHA256: " + actual.hex());
        }
        ObjectNode result = Json.object().put("filename", fileName).put("checksum", actual.hex());
        if (checksum != null) {
            result.put("checksumMatches", true);
        }
        printJson(result);
    }
}
