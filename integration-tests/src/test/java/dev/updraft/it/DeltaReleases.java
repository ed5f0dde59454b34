package dev.updraft.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundleEncryptor;
import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.crypto.CryptoException;
import dev.updraft.crypto.DeltaEncryption;
import dev.updraft.crypto.DeltaPayloadWriter;
import dev.updraft.crypto.ProgressListener;
import dev.updraft.crypto.zip.BundleZipper;
import dev.updraft.sim.store.MockStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Publishes a delta (manifest) release of a sample project for the integration tests and the delta benchmark: the
 * folder is zipped (crypto-core, as {@code bundle zip}), the release's one session key (crypto-core {@link DeltaEncryption}) encrypts the zip (the
 * fallback for old plugins) and every per-file payload, the payloads the store does not hold yet are PUT under
 * content-addressed names, and the bundle is registered with its manifest through the admin API (docs/admin-api.md,
 * {@code manifest}).
 */
final class DeltaReleases {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * A published release.
     *
     * @param payloadPaths  store path of each file's payload, by the file's path in the build
     * @param payloadSizes  size of each payload, by the file's path
     * @param uploadedBytes bytes PUT to the store (zip and the payloads it did not hold yet)
     * @param uploadedFiles payloads PUT (the zip not counted)
     * @param uploadMillis  the time to make and upload the payloads and the zip, and register the bundle
     */
    record Published(
            String version,
            String ivSessionKey,
            Map<String, String> payloadPaths,
            Map<String, Long> payloadSizes,
            String zipPath,
            long uploadedBytes,
            int uploadedFiles,
            long uploadMillis) {}

    /** One file's payload: where it is on the store, and the bytes PUT for it (-1: the store already had it). */
    private record Made(String rel, DeltaPayloadWriter.Payload payload, String storePath, long sent) {}

    private DeltaReleases() {}

    /**
     * @param reuseIvSessionKey null for a fresh session key; an earlier release's {@code ivSessionKey} to keep its key,
     *                          so unchanged files have byte-identical payloads and are not uploaded again
     * @param extraEntries      manifest entries added as they are (hostile tests)
     */
    static Published publish(
            SampleProject p,
            ServerProcess server,
            MockStore store,
            String uploadToken,
            String version,
            Path www,
            String reuseIvSessionKey,
            List<ObjectNode> extraEntries)
            throws Exception {
        long start = System.nanoTime();
        Path out = Files.createDirectories(p.dir().resolve("delta-out-" + version));
        // zipped in-process with the same code as 'bundle zip' (crypto-core), to keep the scenarios lean
        BundleZipper.ZippedBundle zip = BundleZipper.zip(
                www,
                out.resolve(p.appId() + "_" + version + ".zip"),
                new BundleZipper.Options(true, false),
                ProgressListener.NONE);
        BundlePrivateKey key = BundlePrivateKey.read(p.dir().resolve(".capgo_key_v2"));
        DeltaEncryption release = reuseIvSessionKey == null
                ? DeltaEncryption.fresh(key)
                : DeltaEncryption.reusing(key, reuseIvSessionKey);
        BundleEncryptor.EncryptedBundle enc = release.encryptZip(
                zip.file(), out.resolve(p.appId() + "_" + version + ".zip_encrypted.zip"), ProgressListener.NONE);
        String zipPath = "/" + p.appId() + "/" + enc.file().getFileName();
        long uploaded = put(store, uploadToken, zipPath, enc.file());
        String folder =
                "/" + p.appId() + "/delta/" + sha256(release.ivSessionKey()) + "/"; // payloads depend on the key
        DeltaPayloadWriter writer = release.payloads(true);
        ArrayNode manifest = JSON.createArrayNode();
        Map<String, String> paths = new LinkedHashMap<>();
        Map<String, Long> sizes = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(www)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        // Payloads are made and uploaded by a few workers at once, as a CLI would; the manifest keeps the files' order.
        ExecutorService workers = Executors.newFixedThreadPool(8);
        List<Future<Made>> made = new ArrayList<>();
        try {
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                Path payloadFile = out.resolve("payload-" + i);
                made.add(workers.submit(() -> {
                    String rel = www.relativize(f).toString().replace('\\', '/');
                    DeltaPayloadWriter.Payload payload = writer.write(f, rel, true, payloadFile);
                    String storePath = folder + sha256(payload.fileHash()) + "_"
                            + payload.fileName().replace('/', '_');
                    long sent = exists(store, storePath) ? -1 : put(store, uploadToken, storePath, payloadFile);
                    Files.delete(payloadFile);
                    return new Made(rel, payload, storePath, sent);
                }));
            }
        } finally {
            workers.shutdown();
        }
        int uploadedFiles = 0;
        for (Future<Made> f : made) {
            Made m = f.get();
            if (m.sent() >= 0) {
                uploaded += m.sent();
                uploadedFiles++;
            }
            manifest.addObject()
                    .put("file_name", m.payload().fileName())
                    .put("file_hash", m.payload().fileHash())
                    .put("download_url", store.url(m.storePath()));
            paths.put(m.rel(), m.storePath());
            sizes.put(m.rel(), m.payload().size());
        }
        extraEntries.forEach(manifest::add);
        ObjectNode body = JSON.createObjectNode()
                .put("version", version)
                .put("external_url", store.url(zipPath))
                .put("checksum", enc.checksum().hex())
                .put("session_key", release.ivSessionKey())
                .put("key_id", key.publicKey().keyId())
                .put("channel", "production")
                .put("create_channel", true);
        body.set("manifest", manifest);
        HttpResponse<String> r = adminPost(server, "/api/v1/apps/" + p.appId() + "/bundles", body);
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new IOException("registering " + version + " answered " + r.statusCode() + ": " + r.body());
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        return new Published(version, release.ivSessionKey(), paths, sizes, zipPath, uploaded, uploadedFiles, ms);
    }

    static HttpResponse<String> adminPost(ServerProcess server, String path, JsonNode body)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url(path)))
                        .header("Authorization", "Bearer " + server.adminKey())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean exists(MockStore store, String path) throws IOException, InterruptedException {
        return HTTP.send(
                                HttpRequest.newBuilder(URI.create(store.url(path)))
                                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                == 200;
    }

    /** PUT with the store's upload token (never replaces an object); the bytes sent. */
    private static long put(MockStore store, String token, String path, Path file)
            throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(store.url(path)))
                        .header("Authorization", "Bearer " + token)
                        .PUT(HttpRequest.BodyPublishers.ofFile(file))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new IOException("PUT " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Files.size(file);
    }

    static String sha256(String s) throws IOException {
        return BundleChecksum.of(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)))
                .hex();
    }

    /** A hash of one byte signed by another team's key: 512 hex digits the server accepts and a device cannot recover. */
    static String foreignSignedHash() throws CryptoException, IOException {
        return BundleChecksum.of(new ByteArrayInputStream(new byte[] {42}))
                .sign(BundlePrivateKey.generate())
                .hex();
    }
}
