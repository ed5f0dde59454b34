package dev.updraft.server.capgo;

import dev.updraft.protocol.Identifier;
import dev.updraft.server.config.UpdraftConfig;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.Transactions;
import dev.updraft.server.storage.BundleStorage;
import dev.updraft.server.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.Session;

/**
 * The Capgo CLI's per-file uploads of a delta release, TUS 1.0.0 core plus creation (docs/protocol.md, "The Capgo
 * CLI"): {@code POST} creates an upload of {@code Upload-Length} bytes for the object path in {@code Upload-Metadata}
 * ({@code filename}), {@code PATCH} appends at {@code Upload-Offset}, {@code HEAD} tells the offset to resume from.
 * An upload belongs to the admin key that created it: any other key, or an unknown id, gets 404. The bytes wait in an
 * owner-only file under {@code <data-dir>/capgo-tus}; once all have arrived they go to {@link BundleStorage}
 * (content-addressed, never overwriting). Nothing here is visible to devices: a payload only reaches them through a
 * manifest that {@link CapgoManifests} checked and the version's registration.
 */
@ApplicationScoped
public class CapgoTus {
    /** The largest file accepted (the same as a zip); each PATCH is also bounded by the HTTP body limit. */
    static final long MAX_LENGTH = CapgoUploads.MAX_BYTES;

    static final int MAX_PATH = 2048;

    /** Where the CLI puts the app id in its object path: {@code orgs/<org>/apps/<app_id>/delta/...}. */
    private static final Pattern APP_IN_PATH = Pattern.compile("^orgs/[^/]+/apps/([^/]+)/delta/[^/].*");

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Transactions tx;

    @Inject
    Session session;

    @Inject
    BundleStorage storage;

    private final Path partials;

    @Inject
    public CapgoTus(UpdraftConfig config) {
        this.partials = config.dataDir().resolve("capgo-tus").toAbsolutePath().normalize();
    }

    /** Where an upload stands: bytes received of its length, and (complete) the stored file's size. */
    public record State(long offset, long length, Long storedSize) {}

    /** {@code POST}: a new upload; the answer is its id (the last segment of its {@code Location}). */
    public String create(String keyName, String uploadLength, String uploadMetadata) {
        long length = length(uploadLength);
        String objectPath = metadata(uploadMetadata).get("filename");
        if (objectPath == null) {
            throw ApiException.badRequest(
                    "validation_failed", "Upload-Metadata needs the object path as filename (base64)");
        }
        if (objectPath.length() > MAX_PATH || objectPath.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.badRequest(
                    "validation_failed",
                    "The filename in Upload-Metadata is longer than " + MAX_PATH
                            + " characters or has control characters");
        }
        Matcher m = APP_IN_PATH.matcher(objectPath);
        if (!m.matches() || !Identifier.APP_ID.matches(m.group(1))) {
            throw ApiException.badRequest(
                    "validation_failed",
                    "The filename in Upload-Metadata must be orgs/<org>/apps/<app_id>/delta/<file>");
        }
        String appId = m.group(1);
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        tx.write(() -> {
            AppEntity a = session.createSelectionQuery("from AppEntity where appId = :id", AppEntity.class)
                    .setParameter("id", appId)
                    .uniqueResult();
            if (a == null) {
                throw ApiException.notFound("app_not_found", "No app '" + appId + "'");
            }
            TusUploadEntity u = new TusUploadEntity();
            u.tokenHash = CapgoUploads.sha256(id);
            u.keyName = keyName;
            u.appPk = a.id;
            u.objectPath = objectPath;
            u.pathHash = CapgoUploads.sha256(objectPath);
            u.length = length;
            u.offset = 0;
            u.createdAt = Instant.now();
            session.persist(u);
        });
        return id;
    }

    /** {@code HEAD}: where the upload stands. */
    public State state(String keyName, String id) {
        return tx.write(() -> {
            TusUploadEntity u = find(keyName, id, LockModeType.NONE);
            return state(u);
        });
    }

    /**
     * {@code PATCH}: appends the body at {@code offset}, which must be where the upload stands (409 otherwise, as TUS
     * says); more bytes than the upload's length are refused (413) and nothing of them is kept. The body is read into
     * a file of its own first, so no database transaction waits on the network; it is appended under the upload's
     * row lock, at its offset (run again after a lost race, the append gives the same file).
     */
    public State append(String keyName, String id, String uploadOffset, InputStream body) throws IOException {
        long offset = offset(uploadOffset);
        TusUploadEntity before = tx.write(() -> find(keyName, id, LockModeType.NONE));
        if (offset != before.offset) {
            throw offsetConflict(before.offset);
        }
        Files.createDirectories(
                partials, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path chunk = partials.resolve(before.id + "." + UUID.randomUUID() + ".chunk");
        Path partial = partials.resolve(before.id + ".part");
        try {
            long n = copyAtMost(body, chunk, before.length - offset);
            State after = tx.write(() -> {
                TusUploadEntity u = find(keyName, id, LockModeType.PESSIMISTIC_WRITE);
                if (u.offset != offset) {
                    throw offsetConflict(u.offset);
                }
                try {
                    appendAt(partial, chunk, offset);
                    u.offset = offset + n;
                    if (u.offset == u.length) {
                        String appId = session.find(AppEntity.class, u.appPk).appId;
                        try (InputStream in = Files.newInputStream(partial)) {
                            u.storedName = storage.put(appId, in, u.length).name();
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return state(u);
            });
            if (after.storedSize() != null) {
                Files.deleteIfExists(partial);
            }
            return after;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            Files.deleteIfExists(chunk);
        }
    }

    private State state(TusUploadEntity u) {
        return new State(u.offset, u.length, u.storedName == null ? null : u.length);
    }

    private TusUploadEntity find(String keyName, String id, LockModeType lock) {
        if (id == null || !Identifier.UPLOAD_TOKEN.matches(id)) {
            throw notFound();
        }
        TusUploadEntity u = session.createSelectionQuery(
                        "from TusUploadEntity where tokenHash = :h", TusUploadEntity.class)
                .setParameter("h", CapgoUploads.sha256(id))
                .setLockMode(lock)
                .uniqueResult();
        // Another key's upload is answered as if it did not exist: ids are not confirmed to whoever guesses them.
        if (u == null || !u.keyName.equals(keyName)) {
            throw notFound();
        }
        return u;
    }

    /** Copies at most {@code limit} bytes of {@code in} to a new owner-only file; more is 413 and nothing stays. */
    private static long copyAtMost(InputStream in, Path target, long limit) throws IOException {
        long n = 0;
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
            byte[] buf = new byte[64 * 1024];
            for (int r; (r = in.read(buf)) > 0; ) {
                n += r;
                if (n > limit) {
                    throw new ApiException(
                            413,
                            "upload_too_long",
                            "The PATCH has more bytes than are left of the upload's Upload-Length (" + limit + ")");
                }
                out.write(buf, 0, r);
            }
        }
        return n;
    }

    /** Writes {@code chunk} into {@code partial} from {@code offset} and cuts the file there: the same on a rerun. */
    private static void appendAt(Path partial, Path chunk, long offset) throws IOException {
        try (FileChannel out = FileChannel.open(
                        partial,
                        java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                FileChannel in = FileChannel.open(chunk, StandardOpenOption.READ)) {
            long size = in.size();
            long done = 0;
            while (done < size) {
                done += in.transferTo(done, size - done, out.position(offset + done));
            }
            out.truncate(offset + size);
            out.force(true);
        }
    }

    private static long length(String header) {
        long n = number(header, "Upload-Length");
        if (n < 1) {
            throw ApiException.badRequest(
                    "validation_failed", "Upload-Length must be at least 1 (empty files are not delta payloads)");
        }
        if (n > MAX_LENGTH) {
            throw ApiException.payloadTooLarge(MAX_LENGTH);
        }
        return n;
    }

    private static long offset(String header) {
        return number(header, "Upload-Offset");
    }

    private static long number(String header, String name) {
        if (header == null || !header.matches("[0-9]{1,18}")) {
            throw ApiException.badRequest(
                    "validation_failed",
                    name + " must be a whole number of bytes (Upload-Defer-Length is not supported)");
        }
        return Long.parseLong(header);
    }

    /** TUS {@code Upload-Metadata}: comma-separated {@code key base64(value)} pairs. */
    static Map<String, String> metadata(String header) {
        Map<String, String> out = new java.util.HashMap<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        for (String pair : header.split(",")) {
            String[] kv = pair.strip().split(" ", 2);
            try {
                out.put(
                        kv[0],
                        kv.length < 2
                                ? ""
                                : new String(Base64.getDecoder().decode(kv[1].strip()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("validation_failed", "An Upload-Metadata value is not base64");
            }
        }
        return out;
    }

    private static ApiException offsetConflict(long current) {
        return ApiException.conflict(
                "offset_mismatch", "Upload-Offset is not where the upload stands (" + current + " bytes received)");
    }

    private static ApiException notFound() {
        return ApiException.notFound("upload_not_found", "No such upload for this key");
    }
}
