package dev.updraft.conformance;

import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundleEncryptor;
import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.crypto.ProgressListener;
import dev.updraft.crypto.zip.BundleZipper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * One bundle a scenario publishes, as the store serves it and the server describes it: made with crypto-core like
 * {@code updraft bundle zip / encrypt} would make it.
 *
 * @param version    the version name
 * @param file       the file in the store's folder
 * @param storePath  its path on the store ({@code /<app>/<file name>})
 * @param checksum   what the server sends as {@code checksum} (V3 signed hex when encrypted, plain hex otherwise)
 * @param sessionKey {@code base64(iv):base64(key)}, or {@code ""} when plain
 * @param treeHash   the installed-tree hash a client must report once this bundle is installed (docs/conformance.md)
 * @param size       the stored file's size in bytes
 * @param plainChecksum the SHA-256 of the plain zip, lowercase hex
 */
record Release(
        String version,
        Path file,
        String storePath,
        String checksum,
        String sessionKey,
        String treeHash,
        long size,
        String plainChecksum) {

    /** The web folder of a kit bundle: {@code index.html}, {@code js/app.js} (calling notifyAppReady or not), a blob. */
    static Path www(Path dir, String version, boolean callsReady, int blobBytes) throws IOException {
        Files.createDirectories(dir.resolve("js"));
        Files.writeString(
                dir.resolve("index.html"),
                "<!doctype html><title>" + version + "</title><script src=\"js/app.js\"></script>\n");
        Files.writeString(
                dir.resolve("js/app.js"),
                callsReady
                        ? "import { CapacitorUpdater } from '@capgo/capacitor-updater';\n"
                                + "CapacitorUpdater.notifyAppReady();\nconsole.log('" + version + "');\n"
                        : "console.log('" + version + " never confirms');\n");
        if (blobBytes > 0) {
            byte[] blob = new byte[blobBytes];
            new Random(version.hashCode()).nextBytes(blob);
            Files.createDirectories(dir.resolve("assets"));
            Files.write(dir.resolve("assets/blob.bin"), blob);
        }
        return dir;
    }

    /** Zips {@code www} into the store under {@code /<app>/}, encrypted with {@code key} unless it is null. */
    static Release of(String version, Path www, Path storeDir, String app, BundlePrivateKey key) throws IOException {
        Path appDir = Files.createDirectories(storeDir.resolve(app));
        Path zipFile = appDir.resolve(version + ".zip");
        BundleZipper.ZippedBundle zip =
                BundleZipper.zip(www, zipFile, new BundleZipper.Options(false, true), ProgressListener.NONE);
        return stored(version, zip.file(), zip.checksum(), TreeHash.of(www), app, key);
    }

    /** One raw zip entry of a hand-made (possibly hostile) zip. */
    record Entry(String name, byte[] content, boolean symlink) {
        static Entry file(String name, String content) {
            return new Entry(name, content.getBytes(StandardCharsets.UTF_8), false);
        }
    }

    /** A zip written entry by entry (names exactly as given: the hostile kinds), encrypted with {@code key} unless null. */
    static Release rawZip(String version, List<Entry> entries, Path storeDir, String app, BundlePrivateKey key)
            throws IOException {
        Path appDir = Files.createDirectories(storeDir.resolve(app));
        Path zipFile = appDir.resolve(version + ".zip");
        // commons-compress, not java.util.zip: it writes duplicate names and Unix link modes, as hostile zips have.
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(Files.newOutputStream(zipFile))) {
            for (Entry e : entries) {
                ZipArchiveEntry ze = new ZipArchiveEntry(e.name());
                if (e.symlink()) {
                    ze.setUnixMode(UnixStat.LINK_FLAG | 0777);
                }
                z.putArchiveEntry(ze);
                z.write(e.content());
                z.closeArchiveEntry();
            }
        }
        return stored(version, zipFile, BundleChecksum.of(zipFile), "", app, key);
    }

    /** The zip as the store serves it: as it is, or encrypted next to it (the plain zip then removed). */
    private static Release stored(
            String version, Path zipFile, BundleChecksum sum, String tree, String app, BundlePrivateKey key)
            throws IOException {
        if (key == null) {
            return new Release(
                    version,
                    zipFile,
                    "/" + app + "/" + zipFile.getFileName(),
                    sum.hex(),
                    "",
                    tree,
                    Files.size(zipFile),
                    sum.hex());
        }
        Path encFile = zipFile.resolveSibling(version + ".zip_encrypted.zip");
        BundleEncryptor.EncryptedBundle enc = encrypt(key, zipFile, sum, encFile);
        Files.delete(zipFile);
        return new Release(
                version,
                enc.file(),
                "/" + app + "/" + encFile.getFileName(),
                enc.checksum().hex(),
                enc.ivSessionKey(),
                tree,
                enc.size(),
                sum.hex());
    }

    private static BundleEncryptor.EncryptedBundle encrypt(BundlePrivateKey key, Path zip, BundleChecksum sum, Path out)
            throws IOException {
        try {
            return new BundleEncryptor(key).encryptVerified(zip, sum, out, ProgressListener.NONE);
        } catch (dev.updraft.crypto.CryptoException e) {
            throw new IOException("cannot encrypt " + zip.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
