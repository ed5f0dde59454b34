package dev.updraft.server.capgo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.crypto.CryptoException;
import dev.updraft.crypto.DeltaPayloadReader;
import dev.updraft.crypto.SignedChecksum;
import dev.updraft.protocol.ManifestEntry;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.BundleEntity;
import dev.updraft.server.persistence.ManifestEntryEntity;
import dev.updraft.server.persistence.Transactions;
import dev.updraft.server.storage.BundleStorage;
import dev.updraft.server.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.hibernate.Session;

/**
 * {@code POST /functions/v1/private/set_manifest}: the Capgo CLI's manifest of a delta release, {@code {app_id, name,
 * manifest: [{file_name, s3_path, file_hash, file_size_receipt}]}} (docs/protocol.md, "The Capgo CLI"). Each entry
 * must name a complete TUS upload ({@link CapgoTus}) of the same app by the same key, and its bytes are checked before
 * the manifest is kept with the pending version (V11, V17): an unencrypted payload is decoded (Brotli for a {@code .br}
 * name) and its SHA-256 compared with {@code file_hash}; an encrypted one must lie under the version's session-key
 * folder, be whole AES blocks and carry a signed hash (its plain hash only devices can recover, as for the zip). The
 * admin API's validation runs on the whole registration (a dry run) before anything is kept; the version stays
 * invisible until the CLI confirms it ({@link CapgoUploads}), which registers zip and manifest together. The same
 * manifest again is an idempotent {@code ok}; another one for the same version is 409.
 */
@ApplicationScoped
public class CapgoManifests {
    /** The admin API's limit on a manifest (BundleInput). */
    static final int MAX_ENTRIES = 10_000;

    @Inject
    CapgoUploads uploads;

    @Inject
    BundleStorage storage;

    @Inject
    Transactions tx;

    @Inject
    Session session;

    @Inject
    ObjectMapper mapper;

    /** One entry as the CLI sent it. */
    record Sent(String fileName, String objectPath, String fileHash) {}

    public void set(JsonNode body, String keyName, URI serverBase) throws IOException {
        String appId = CapgoTables.required(body, "app_id");
        String version = CapgoTables.required(body, "name");
        List<Sent> sent = entries(body.get("manifest"));
        AppEntity app = tx.write(() -> uploads.app(appId));

        PendingUploadEntity pending = tx.write(() -> uploads.pending(app.id, version));
        if (pending == null) {
            BundleEntity registered = uploads.bundle(appId, version);
            if (registered != null && registered.deletedAt == null && sameAsRegistered(registered, sent)) {
                return; // a retry after the version was registered
            }
            throw registered != null
                    ? manifestConflict(version)
                    : ApiException.notFound(
                            "version_not_found", "No pending version " + version + ": upsert app_versions first");
        }
        String folder = pending.sessionKey == null
                ? null
                : "/apps/" + appId + "/delta/"
                        + HexFormat.of().formatHex(pending.sessionKey.getBytes(StandardCharsets.UTF_8)) + "/";
        ArrayNode manifest = mapper.createArrayNode();
        for (Sent e : sent) {
            manifest.add(checked(app, keyName, pending, folder, e, serverBase));
        }
        String json = manifest.toString();
        CapgoUploads.Announced announced = new CapgoUploads.Announced(
                appId, version, pending.checksum, pending.sessionKey, pending.link, pending.comment);
        uploads.publishJson(announced, uploads.placeholderUrl(appId, serverBase), json, true);
        tx.write(() -> {
            PendingUploadEntity p = session.find(PendingUploadEntity.class, pending.id, LockModeType.PESSIMISTIC_WRITE);
            if (p == null) {
                // Registered meanwhile (the CLI confirmed it): the same manifest is a retry, another a conflict.
                BundleEntity b = uploads.bundle(appId, version);
                if (b == null || !sameAsRegistered(b, sent)) {
                    throw manifestConflict(version);
                }
                return;
            }
            if (p.manifest == null) {
                p.manifest = json;
            } else if (!p.manifest.equals(json)) {
                throw manifestConflict(version);
            }
        });
    }

    /** The admin API's manifest entry for one sent entry, after its upload was found and its bytes checked. */
    private ObjectNode checked(
            AppEntity app, String keyName, PendingUploadEntity pending, String folder, Sent e, URI serverBase)
            throws IOException {
        if (folder != null && !e.objectPath().contains(folder)) {
            throw refused(e, "is not under this version's session-key folder: it was encrypted for another release");
        }
        TusUploadEntity u = tx.write(() -> session.createSelectionQuery(
                        "from TusUploadEntity where appPk = :pk and pathHash = :h and keyName = :k"
                                + " and storedName is not null order by id desc",
                        TusUploadEntity.class)
                .setParameter("pk", app.id)
                .setParameter("h", CapgoUploads.sha256(e.objectPath()))
                .setParameter("k", keyName)
                .setMaxResults(1)
                .uniqueResult());
        if (u == null || !u.objectPath.equals(e.objectPath())) {
            throw ApiException.badRequest(
                    "file_not_uploaded",
                    "Manifest entry '" + e.fileName() + "' names no complete upload of this app by this key");
        }
        if (!storage.exists(u.storedName)) {
            throw refused(e, "was uploaded but its stored file is gone");
        }
        long size = storage.size(u.storedName);
        if (pending.sessionKey == null) {
            verifyPlain(e, u.storedName, size);
        } else if (!SignedChecksum.isV3Hex(e.fileHash())) {
            throw refused(e, "needs the 512 lowercase hex digit signed hash of an encrypted release");
        } else if (size % 16 != 0) {
            throw refused(e, "is not whole AES blocks: it is not an encrypted payload");
        }
        ObjectNode entry = mapper.createObjectNode();
        entry.put("file_name", e.fileName());
        entry.put("file_hash", e.fileHash());
        entry.put("download_url", storage.publicUrl(u.storedName, serverBase).toString());
        entry.put("size", size);
        return entry;
    }

    /** Decodes the payload as a device without a key would and compares its SHA-256 with the entry's hash. */
    private void verifyPlain(Sent e, String storedName, long size) throws IOException {
        Path scratch = Files.createTempDirectory("updraft-manifest-check");
        try (InputStream in = storage.open(storedName, 0, size)) {
            DeltaPayloadReader.forPlain().file(e.fileName(), e.fileHash()).read(in, scratch);
        } catch (CryptoException bad) {
            throw ApiException.badRequest(
                    "checksum_mismatch",
                    "Manifest entry '" + e.fileName() + "': the uploaded bytes do not match its file_hash ("
                            + bad.failure() + ")");
        } finally {
            deleteTree(scratch);
        }
    }

    private List<Sent> entries(JsonNode manifest) {
        if (manifest == null || !manifest.isArray() || manifest.isEmpty()) {
            throw ApiException.badRequest("validation_failed", "manifest must be a non-empty array");
        }
        if (manifest.size() > MAX_ENTRIES) {
            throw ApiException.badRequest("validation_failed", "manifest has more than " + MAX_ENTRIES + " entries");
        }
        List<Sent> out = new ArrayList<>();
        for (int i = 0; i < manifest.size(); i++) {
            JsonNode e = manifest.get(i);
            String name = CapgoUploads.text(e, "file_name");
            String path = CapgoUploads.text(e, "s3_path");
            String hash = CapgoUploads.text(e, "file_hash");
            if (name == null || path == null || hash == null) {
                throw ApiException.badRequest(
                        "validation_failed", "manifest[" + i + "] needs the strings file_name, s3_path and file_hash");
            }
            if (!ManifestEntry.isSafeFileName(name)) {
                throw ApiException.badRequest(
                        "validation_failed",
                        "manifest[" + i + "].file_name must be a relative path with '/' separators, without '..', '\\'"
                                + " or NUL");
            }
            out.add(new Sent(name, path, hash));
        }
        return out;
    }

    /** Whether the registered bundle's manifest has these files with these hashes, in this order. */
    private boolean sameAsRegistered(BundleEntity b, List<Sent> sent) {
        List<ManifestEntryEntity> rows = tx.write(() -> session.createSelectionQuery(
                        "from ManifestEntryEntity where bundlePk = :id order by position", ManifestEntryEntity.class)
                .setParameter("id", b.id)
                .getResultList());
        if (rows.size() != sent.size()) {
            return false;
        }
        for (int i = 0; i < rows.size(); i++) {
            if (!Objects.equals(rows.get(i).fileName, sent.get(i).fileName())
                    || !Objects.equals(rows.get(i).fileHash, sent.get(i).fileHash())) {
                return false;
            }
        }
        return true;
    }

    private static ApiException refused(Sent e, String why) {
        return ApiException.badRequest("manifest_entry_refused", "Manifest entry '" + e.fileName() + "' " + why);
    }

    private static ApiException manifestConflict(String version) {
        return ApiException.conflict(
                "manifest_exists", "Version " + version + " already has another manifest; use a new version name");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
