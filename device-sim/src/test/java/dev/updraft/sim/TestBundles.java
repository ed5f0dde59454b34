package dev.updraft.sim;

import dev.updraft.crypto.BundleEncryptor;
import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.crypto.ProgressListener;
import dev.updraft.crypto.zip.BundleZipper;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Real bundles made with crypto-core for the tests. */
public final class TestBundles {
    private TestBundles() {}

    /**
     * A bundle as the server would describe it.
     *
     * @param file          the file to put in the store (encrypted when a key was given)
     * @param checksum      what the server sends as {@code checksum} (V3 signed hex, or plain hex)
     * @param sessionKey    what the server sends as {@code session_key} ({@code ""} when plain)
     * @param plainChecksum the SHA-256 of the plain zip
     */
    public record Made(Path file, String checksum, String sessionKey, String plainChecksum, long size) {}

    /**
     * Builds a web folder (index.html, js/app.js, an incompressible blob), zips it and optionally encrypts it.
     *
     * @param callsReady whether app.js calls {@code notifyAppReady()}
     * @param blobBytes  random bytes to add (to make a bundle big enough for transfer faults)
     * @param key        the team's private key, or null for a plain bundle
     */
    public static Made make(Path work, String name, boolean callsReady, int blobBytes, BundlePrivateKey key)
            throws Exception {
        Path www = work.resolve(name + "-www");
        Files.createDirectories(www.resolve("js"));
        Files.createDirectories(www.resolve("assets"));
        Files.writeString(
                www.resolve("index.html"),
                "<!doctype html><title>" + name + "</title><script src=\"js/app.js\"></script>\n");
        Files.writeString(
                www.resolve("js/app.js"),
                callsReady
                        ? "import { CapacitorUpdater } from '@capgo/capacitor-updater';\nCapacitorUpdater.notifyAppReady();\nconsole.log('"
                                + name + "');\n"
                        : "console.log('" + name + " forgot to confirm');\n");
        byte[] blob = new byte[blobBytes];
        new Random(name.hashCode()).nextBytes(blob);
        Files.write(www.resolve("assets/blob.bin"), blob);
        BundleZipper.ZippedBundle zip = BundleZipper.zip(
                www, work.resolve(name + ".zip"), new BundleZipper.Options(false, true), ProgressListener.NONE);
        if (key == null) {
            return new Made(zip.file(), zip.checksum().hex(), "", zip.checksum().hex(), zip.size());
        }
        BundleEncryptor.EncryptedBundle enc = new BundleEncryptor(key)
                .encryptVerified(
                        zip.file(), zip.checksum(), work.resolve(name + ".zip_encrypted.zip"), ProgressListener.NONE);
        return new Made(
                enc.file(),
                enc.checksum().hex(),
                enc.ivSessionKey(),
                zip.checksum().hex(),
                enc.size());
    }

    /** A zip with a good index.html plus one entry with the given (hostile) name, optionally encrypted. */
    public static Made hostile(Path work, String name, String entryName, BundlePrivateKey key) throws Exception {
        Files.createDirectories(work);
        Path zip = work.resolve(name + ".zip");
        try (OutputStream os = Files.newOutputStream(zip);
                ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("index.html"));
            z.write("<script>CapacitorUpdater.notifyAppReady()</script>".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            z.putNextEntry(new ZipEntry(entryName));
            z.write("owned".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        dev.updraft.crypto.BundleChecksum sum = dev.updraft.crypto.BundleChecksum.of(zip);
        if (key == null) {
            return new Made(zip, sum.hex(), "", sum.hex(), Files.size(zip));
        }
        BundleEncryptor.EncryptedBundle enc = new BundleEncryptor(key)
                .encryptVerified(zip, sum, work.resolve(name + ".zip_encrypted.zip"), ProgressListener.NONE);
        return new Made(enc.file(), enc.checksum().hex(), enc.ivSessionKey(), sum.hex(), enc.size());
    }
}
