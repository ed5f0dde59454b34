package dev.updraft.cli.admin;

import dev.updraft.cli.CliException;
import dev.updraft.cli.Keys;
import dev.updraft.cli.Progress;
import dev.updraft.cli.Project;
import dev.updraft.crypto.BundleEncryptor;
import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.crypto.CryptoException;
import dev.updraft.crypto.zip.BundleZipper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The one-command {@code bundle upload} (docs/cli.md): the build folder zipped and, when the app has a public key,
 * encrypted with the private key, into a temporary folder that {@link #close} removes; {@link Publisher} then puts
 * the file on the server's storage and registers it.
 */
final class ServerUpload implements AutoCloseable {
    private final Path work;
    private final Path file;
    private final String plainChecksum;
    private final String ivSessionKey;
    private final String encryptedChecksum;

    private ServerUpload(Path work, Path file, String plainChecksum, String ivSessionKey, String encryptedChecksum) {
        this.work = work;
        this.file = file;
        this.plainChecksum = plainChecksum;
        this.ivSessionKey = ivSessionKey;
        this.encryptedChecksum = encryptedChecksum;
    }

    static ServerUpload prepare(UploadCommand command, String appId, String version, Keys.Located publicKey)
            throws IOException, CryptoException {
        Path folder = command.context()
                .resolve(DeltaPublishing.buildFolder(
                        new Project(command.context().cwd()), command.path));
        if (!Files.isDirectory(folder)) {
            throw CliException.failed(
                    "path_not_found",
                    "the build folder " + command.context().display(folder)
                            + " does not exist (build the app first, or pass --path)");
        }
        Path work = Files.createTempDirectory("updraft-upload-");
        try {
            Path zip = work.resolve(appId + "_" + version + ".zip");
            BundleZipper.ZippedBundle zipped;
            try (Progress progress = command.output().progress("Zipping", folderSize(folder))) {
                zipped = BundleZipper.zip(folder, zip, new BundleZipper.Options(!command.noCodeCheck, false), progress);
            }
            if (publicKey == null) {
                command.output().note("No public key in the project: the bundle is not encrypted");
                return new ServerUpload(work, zip, zipped.checksum().hex(), null, null);
            }
            BundlePrivateKey privateKey = Keys.privateKey(command.context(), command.key, command.keyData);
            Path encryptedFile = work.resolve(zip.getFileName() + "_encrypted.zip");
            BundleEncryptor.EncryptedBundle encrypted;
            try (Progress progress = command.output().progress("Encrypting", Files.size(zip))) {
                encrypted = new BundleEncryptor(privateKey)
                        .encryptVerified(zip, zipped.checksum(), encryptedFile, progress);
            }
            return new ServerUpload(
                    work,
                    encryptedFile,
                    null,
                    encrypted.ivSessionKey(),
                    encrypted.checksum().hex());
        } catch (IOException | CryptoException | RuntimeException e) {
            delete(work);
            throw e;
        }
    }

    Path file() {
        return file;
    }

    String plainChecksum() {
        return plainChecksum;
    }

    String ivSessionKey() {
        return ivSessionKey;
    }

    String encryptedChecksum() {
        return encryptedChecksum;
    }

    @Override
    public void close() {
        delete(work);
    }

    private static long folderSize(Path folder) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
