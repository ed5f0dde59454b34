package dev.updraft.cli;

import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.crypto.CryptoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the commands find the key pair, with the Capgo CLI's defaults. */
public final class Keys {
    private Keys() {}

    /** A public key and where it came from, for messages. */
    public record Located(BundlePublicKey key, String source) {}

    /**
     * The private key from {@code --key-data}, else {@code --key} (default {@code .capgo_key_v2} in the working
     * directory). Fails with Capgo's codes {@code missing_key} and {@code invalid_private_key}.
     */
    public static BundlePrivateKey privateKey(Context ctx, String keyPath, String keyData) {
        String source = keyData != null ? "--key-data" : keyPath != null ? keyPath : Project.PRIVATE_KEY_FILE;
        try {
            if (keyData != null) {
                return BundlePrivateKey.fromPem(keyData);
            }
            Path file = ctx.resolve(source);
            if (!Files.isRegularFile(file)) {
                throw CliException.failed(
                        "missing_key",
                        "no private key at " + ctx.display(file)
                                + (keyPath == null ? ": run 'updraft key create' first, or pass --key FILE" : ""));
            }
            return BundlePrivateKey.read(file);
        } catch (CryptoException e) {
            throw CliException.failed("invalid_private_key", source + ": " + e.getMessage());
        } catch (IOException e) {
            throw CliException.failed("missing_key", "cannot read the private key " + source + ": " + e.getMessage());
        }
    }

    /**
     * The public key from {@code --key-data}, else {@code --key}, else the project's configured one: {@code publicKey}
     * of capacitor.config.json, else {@code .capgo_key_v2.pub}. Null when there is none anywhere.
     */
    public static Located publicKey(Context ctx, String keyPath, String keyData) {
        String source = "--key-data";
        try {
            if (keyData != null) {
                return new Located(BundlePublicKey.fromPem(keyData), source);
            }
            if (keyPath != null) {
                source = keyPath;
                Path file = ctx.resolve(keyPath);
                if (!Files.isRegularFile(file)) {
                    throw CliException.failed("missing_public_key", "no public key at " + ctx.display(file));
                }
                return new Located(BundlePublicKey.read(file), ctx.display(file));
            }
            Project project = new Project(ctx.cwd());
            Project.Config config = project.config();
            if (config != null && config.publicKey() != null) {
                source = Project.CONFIG_FILE;
                return new Located(BundlePublicKey.fromPem(config.publicKey()), Project.CONFIG_FILE);
            }
            Path file = project.file(Project.PUBLIC_KEY_FILE);
            if (Files.isRegularFile(file)) {
                source = Project.PUBLIC_KEY_FILE;
                return new Located(BundlePublicKey.read(file), Project.PUBLIC_KEY_FILE);
            }
            return null;
        } catch (CryptoException e) {
            throw CliException.failed("invalid_public_key", source + ": " + e.getMessage());
        } catch (IOException e) {
            throw CliException.failed(
                    "missing_public_key", "cannot read the public key " + source + ": " + e.getMessage());
        }
    }
}
