package dev.updraft.server.capgo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.crypto.BundleChecksum;
import dev.updraft.server.admin.AdminCommands;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.BundleEntity;
import dev.updraft.server.persistence.Transactions;
import dev.updraft.server.storage.BundleStorage;
import dev.updraft.server.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import org.hibernate.Session;

/**
 * The Capgo CLI's version upsert ({@code POST /rest/v1/app_versions}) and its upload through the server
 * (docs/protocol.md, "The Capgo CLI"). A version with an {@code external_url} is registered at once. One without is
 * kept pending (V11) until: the CLI asked for an upload link, PUT the zip, the server stored it and checked it against
 * the announced checksum, (with {@code --delta}) set_manifest gave it a checked manifest ({@link CapgoManifests}), and
 * the CLI upserted the version again; only then it becomes a bundle, with its manifest, through the admin
 * API's validation and publishing ({@link AdminCommands}), so devices never see a version whose file is missing.
 * An upsert whose content differs from what is pending or registered is refused with 409.
 */
@ApplicationScoped
public class CapgoUploads {
    /** The largest zip accepted through the server: the HTTP body limit (quarkus.http.limits.max-body-size) applies first. */
    static final long MAX_BYTES = 1L << 30;

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    AdminCommands admin;

    @Inject
    BundleStorage storage;

    @Inject
    Transactions tx;

    @Inject
    Session session;

    @Inject
    ObjectMapper mapper;

    /** What the CLI sends for a version: the fields that make its content. */
    record Announced(String appId, String version, String checksum, String sessionKey, String link, String comment) {
        static Announced of(JsonNode body) {
            return new Announced(
                    text(body, "app_id"),
                    text(body, "name"),
                    text(body, "checksum"),
                    text(body, "session_key"),
                    text(body, "link"),
                    text(body, "comment"));
        }

        boolean sameAs(String checksum, String sessionKey) {
            return Objects.equals(this.checksum, checksum) && Objects.equals(blankToNull(this.sessionKey), sessionKey);
        }
    }

    /** {@code POST /rest/v1/app_versions}: the answer's one row. */
    public ObjectNode upsert(JsonNode body, URI serverBase) {
        Announced in = Announced.of(body);
        if (in.appId() == null || in.version() == null) {
            throw ApiException.badRequest("validation_failed", "app_versions needs app_id and name");
        }
        String external = text(body, "external_url");
        if (external != null) {
            return registered(in, publish(in, external, null));
        }
        BundleEntity existing = bundle(in.appId(), in.version());
        if (existing != null) {
            if (existing.deletedAt != null || !in.sameAs(existing.checksum, existing.sessionKey)) {
                throw conflict(in.version());
            }
            return registered(in, existing);
        }
        boolean announce = "r2-direct".equals(text(body, "storage_provider"));
        PendingUploadEntity pending = tx.write(() -> {
            AppEntity a = app(in.appId());
            PendingUploadEntity p = pending(a.id, in.version());
            if (p != null && !in.sameAs(p.checksum, p.sessionKey)) {
                throw conflict(in.version());
            }
            if (p == null) {
                if (!announce) {
                    throw ApiException.conflict(
                            "upload_missing", "Version " + in.version() + " was never uploaded: upload the zip first");
                }
                // Everything the registration will check is checked now, before the upload: a dry run.
                publishJson(in, placeholderUrl(in.appId(), serverBase), null, true);
                p = new PendingUploadEntity();
                p.appPk = a.id;
                p.version = in.version();
                p.checksum = in.checksum();
                p.sessionKey = blankToNull(in.sessionKey());
                p.link = in.link();
                p.comment = in.comment();
                p.createdAt = Instant.now();
                session.persist(p);
            }
            return p;
        });
        if (announce || pending.storedName == null) {
            if (!announce) {
                throw ApiException.conflict(
                        "upload_missing",
                        "Version " + in.version() + " has no uploaded file yet: upload the zip first");
            }
            ObjectNode row = CapgoRows.object();
            row.put("id", -pending.id);
            row.put("name", in.version());
            row.put("app_id", in.appId());
            row.put("checksum", in.checksum());
            row.put("storage_provider", "r2-direct");
            return row;
        }
        BundleEntity b =
                publish(in, storage.publicUrl(pending.storedName, serverBase).toString(), pending.manifest);
        tx.write(() -> {
            PendingUploadEntity p = session.find(PendingUploadEntity.class, pending.id);
            if (p != null) {
                session.remove(p);
            }
        });
        return registered(in, b);
    }

    /** {@code POST /functions/v1/files/upload_link}: a one-upload URL for the pending version's zip. */
    public String uploadLink(String appId, String version, URI serverBase) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        tx.write(() -> {
            PendingUploadEntity p = pending(app(appId).id, version);
            if (p == null) {
                throw ApiException.notFound(
                        "version_not_found", "No pending version " + version + ": upsert app_versions first");
            }
            if (p.storedName != null) {
                throw ApiException.conflict("already_uploaded", "The zip of version " + version + " is stored already");
            }
            p.tokenHash = sha256(token);
        });
        return serverBase.resolve("capgo/uploads/" + token).toString();
    }

    /** {@code PUT /capgo/uploads/{token}}: stores the zip, checks it, and marks the pending version uploaded. */
    public void receive(String token, InputStream zip) throws IOException {
        String hash = sha256(token);
        PendingUploadEntity p = tx.write(() -> session.createSelectionQuery(
                        "from PendingUploadEntity where tokenHash = :h", PendingUploadEntity.class)
                .setParameter("h", hash)
                .uniqueResult());
        if (p == null) {
            throw ApiException.notFound("upload_not_found", "This upload URL is not valid (or was used already)");
        }
        String appId = tx.write(() -> session.find(AppEntity.class, p.appPk).appId);
        BundleStorage.Stored stored;
        try {
            stored = storage.put(appId, zip, MAX_BYTES);
        } catch (BundleStorage.TooLargeException e) {
            throw ApiException.payloadTooLarge(MAX_BYTES);
        }
        // An unencrypted zip is checked byte for byte; an encrypted one's checksum is signed over the plain zip,
        // which only devices can decrypt (docs/protocol.md, "The Capgo CLI").
        if (p.sessionKey == null && BundleChecksum.isLowercaseHex(p.checksum) && !p.checksum.equals(stored.sha256())) {
            throw ApiException.badRequest(
                    "checksum_mismatch", "The uploaded zip's SHA-256 is not the checksum announced for the version");
        }
        tx.write(() -> {
            PendingUploadEntity row = session.find(PendingUploadEntity.class, p.id);
            if (row == null || !hash.equals(row.tokenHash)) {
                throw ApiException.notFound("upload_not_found", "This upload URL is not valid (or was used already)");
            }
            row.storedName = stored.name();
            row.tokenHash = null; // one upload per URL
        });
    }

    /** {@code manifest}: the JSON array set_manifest stored (CapgoManifests), or null for a zip-only release. */
    private BundleEntity publish(Announced in, String url, String manifest) {
        publishJson(in, URI.create(url), manifest, false);
        return bundle(in.appId(), in.version());
    }

    /** Where a stored zip's URL will be, for the dry runs that check a version before its zip is there. */
    URI placeholderUrl(String appId, URI serverBase) {
        return storage.publicUrl(appId + "/" + "0".repeat(64) + ".zip", serverBase);
    }

    /** The admin API's registration of the version (a dry run: only its checks). */
    void publishJson(Announced in, URI url, String manifest, boolean dryRun) {
        ObjectNode b = mapper.createObjectNode();
        b.put("version", in.version());
        b.put("external_url", url.toString());
        if (in.checksum() != null) {
            b.put("checksum", in.checksum());
        }
        if (blankToNull(in.sessionKey()) != null) {
            b.put("session_key", in.sessionKey());
        }
        if (in.link() != null) {
            b.put("link", in.link());
        }
        if (in.comment() != null) {
            b.put("comment", in.comment());
        }
        try {
            if (manifest != null) {
                b.set("manifest", mapper.readTree(manifest));
            }
            if (dryRun) {
                b.put("dry_run", true);
            }
            admin.publish(in.appId(), mapper.writeValueAsString(b), false);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode registered(Announced in, BundleEntity b) {
        return CapgoRows.version(in.appId(), b);
    }

    BundleEntity bundle(String appId, String version) {
        return tx.write(() -> session.createSelectionQuery(
                        "select b from BundleEntity b, AppEntity a where b.appPk = a.id and a.appId = :app and b.version = :v",
                        BundleEntity.class)
                .setParameter("app", appId)
                .setParameter("v", version)
                .uniqueResult());
    }

    AppEntity app(String appId) {
        AppEntity a = session.createSelectionQuery("from AppEntity where appId = :id", AppEntity.class)
                .setParameter("id", appId)
                .uniqueResult();
        if (a == null) {
            throw ApiException.notFound("app_not_found", "No app '" + appId + "'");
        }
        return a;
    }

    PendingUploadEntity pending(long appPk, String version) {
        return session.createSelectionQuery(
                        "from PendingUploadEntity where appPk = :pk and version = :v", PendingUploadEntity.class)
                .setParameter("pk", appPk)
                .setParameter("v", version)
                .uniqueResult();
    }

    private static ApiException conflict(String version) {
        return ApiException.conflict(
                "version_exists", "Version " + version + " already exists with other content; use a new version name");
    }

    static String text(JsonNode body, String field) {
        JsonNode v = body == null ? null : body.get(field);
        return v == null || !v.isTextual() ? null : v.textValue();
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
