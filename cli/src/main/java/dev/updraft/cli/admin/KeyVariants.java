package dev.updraft.cli.admin;

import dev.updraft.cli.CliException;
import dev.updraft.cli.Context;
import dev.updraft.cli.Keys;
import dev.updraft.cli.Progress;
import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundleEncryptor;
import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.crypto.CryptoException;
import dev.updraft.crypto.zip.BundleLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code bundle upload --key FILE [--key FILE ...]}: one release encrypted by the CLI for each private key, for a key
 * rotation without a gap (docs/operations.md, "Key rotation"). Each variant is its own file with its own session key
 * and signed checksum, in an owner-only temporary folder removed on {@link #close}; {@link Publisher} uploads each
 * under its content address and registers them as one release (docs/admin-api.md, "Key variants"). The first key's
 * variant is the one devices get when their plugin sends no usable key id (unless the app names a default key).
 */
final class KeyVariants implements AutoCloseable {
    /** One key's encrypted copy of the zip, ready to upload. */
    record Variant(Path file, String ivSessionKey, String checksum, Keys.Located publicKey) {}

    private final Path folder;
    private final List<Variant> variants;

    private KeyVariants(Path folder, List<Variant> variants) {
        this.folder = folder;
        this.variants = variants;
    }

    /**
     * Encrypts {@code zip} (a bundle zip devices can install; its SHA-256 must be {@code plainChecksum} when given) for
     * each key file, in order. Two files of the same key are refused: devices tell keys apart by key_id.
     */
    static KeyVariants encrypt(Context ctx, Path zip, String plainChecksum, List<String> keyFiles, Publisher.Output out)
            throws IOException, CryptoException {
        if (!Files.isRegularFile(zip)) {
            throw CliException.failed(
                    "file_not_found",
                    "--upload-file " + zip + (Files.exists(zip) ? " is not a file" : " does not exist"));
        }
        List<BundlePrivateKey> keys = new ArrayList<>();
        Set<String> keyIds = new HashSet<>();
        for (String file : keyFiles) {
            BundlePrivateKey key = Keys.privateKey(ctx, file, null);
            if (!keyIds.add(key.publicKey().keyId())) {
                throw CliException.usage(
                        "duplicate_key",
                        "--key " + file + " is the same key (key_id "
                                + key.publicKey().keyId() + ") as an earlier --key: one variant per key");
            }
            keys.add(key);
        }
        BundleLayout.check(zip); // a bundle zip devices can install, before it is encrypted
        BundleChecksum actual = BundleChecksum.of(zip);
        if (plainChecksum != null && !BundleChecksum.parse(plainChecksum).equals(actual)) {
            throw CliException.failed(
                    "checksum_mismatch",
                    "--checksum is not the SHA-256 of " + zip.getFileName() + " (" + actual.hex() + ")");
        }
        Path folder = Files.createTempDirectory("updraft-key-variants-"); // owner-only, as createTempDirectory makes it
        List<Variant> variants = new ArrayList<>();
        try {
            for (int i = 0; i < keys.size(); i++) {
                BundlePrivateKey key = keys.get(i);
                Path target = folder.resolve(i + "_" + zip.getFileName() + "_encrypted.zip");
                BundleEncryptor.EncryptedBundle encrypted;
                try (Progress progress =
                        out.progress("Encrypting for " + key.publicKey().keyId(), Files.size(zip))) {
                    encrypted = new BundleEncryptor(key).encryptVerified(zip, actual, target, progress);
                }
                variants.add(new Variant(
                        target,
                        encrypted.ivSessionKey(),
                        encrypted.checksum().hex(),
                        new Keys.Located(key.publicKey(), "--key " + keyFiles.get(i))));
                out.note("Encrypted " + zip.getFileName() + " for key_id "
                        + key.publicKey().keyId() + " (" + keyFiles.get(i) + ")");
            }
        } catch (IOException | CryptoException | RuntimeException e) {
            delete(folder);
            throw e;
        }
        return new KeyVariants(folder, variants);
    }

    /** The first key's variant: the bundle's own fields. */
    Variant first() {
        return variants.get(0);
    }

    /** The variants for the other keys, registered as the bundle's {@code variants}. */
    List<Variant> others() {
        return variants.subList(1, variants.size());
    }

    @Override
    public void close() throws IOException {
        delete(folder);
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
