package dev.updraft.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.crypto.DeltaEncryption;
import dev.updraft.crypto.DeltaPayloadWriter;
import dev.updraft.crypto.ProgressListener;
import dev.updraft.crypto.zip.BundleZipper;
import dev.updraft.sim.store.MockStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A manifest (delta) release as {@code updraft bundle upload --delta} makes it (docs/protocol.md §7.2): the zip,
 * encrypted with a fresh session key, plus one payload per file encrypted with the same key, each on the store under
 * {@code /<app>/delta/<version>/<n>}, and the manifest that names them.
 *
 * @param zip      the zip release (its checksum and session key go into the bundle too)
 * @param manifest the manifest entries {@code {file_name, file_hash, download_url, size}}
 * @param payloads the store path of each file's payload, by its path in the bundle
 */
record DeltaRelease(Release zip, ArrayNode manifest, Map<String, String> payloads) {

    static DeltaRelease of(String version, Path www, MockStore store, String app, BundlePrivateKey key)
            throws IOException {
        Path appDir = Files.createDirectories(store.dir().resolve(app));
        Path zipFile = appDir.resolve(version + ".zip");
        BundleZipper.ZippedBundle zip =
                BundleZipper.zip(www, zipFile, new BundleZipper.Options(false, true), ProgressListener.NONE);
        DeltaEncryption enc = DeltaEncryption.fresh(key);
        Path encFile = appDir.resolve(version + ".zip_encrypted.zip");
        var encrypted = enc.encryptZip(zip.file(), encFile, ProgressListener.NONE);
        Files.delete(zipFile);
        Release release = new Release(
                version,
                encrypted.file(),
                "/" + app + "/" + encFile.getFileName(),
                encrypted.checksum().hex(),
                encrypted.ivSessionKey(),
                TreeHash.of(www),
                encrypted.size(),
                zip.checksum().hex());
        DeltaPayloadWriter writer = enc.payloads(false);
        Path deltaDir = Files.createDirectories(appDir.resolve("delta").resolve(version));
        ArrayNode manifest = ClientProcess.JSON.createArrayNode();
        Map<String, String> payloads = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(www)) {
            all.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        int n = 0;
        for (Path f : files) {
            String name = www.relativize(f).toString().replace('\\', '/');
            Path out = deltaDir.resolve(String.valueOf(++n));
            DeltaPayloadWriter.Payload p = writer.write(f, name, false, out);
            String storePath = "/" + app + "/delta/" + version + "/" + n;
            ObjectNode e = manifest.addObject();
            e.put("file_name", p.fileName());
            e.put("file_hash", p.fileHash());
            e.put("download_url", store.url(storePath));
            e.put("size", p.size());
            payloads.put(name, storePath);
        }
        return new DeltaRelease(release, manifest, payloads);
    }
}
