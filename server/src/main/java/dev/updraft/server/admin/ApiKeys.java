package dev.updraft.server.admin;

import dev.updraft.server.config.UpdraftConfig;
import dev.updraft.server.persistence.ApiKeyEntity;
import dev.updraft.server.security.PresentedKey;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The admin API keys: the first key at start-up, the in-memory cache of active keys that every authentication is
 * checked against, and key hashing. Only SHA-256 hashes are stored (the keys are 256-bit random, so a plain hash is
 * enough); a key is checked in constant time against every active hash. Keys are never logged.
 *
 * <p>The first key: on first start with no key in the database the server generates one, named {@code generated},
 * and writes it to {@code <data-dir>/admin-api-key} (owner-only); or {@code updraft.admin-api-key} provides the key
 * named {@code configured} (a changed value replaces that key's hash at the next start). The cache is reloaded after
 * every local create or revoke and every {@code updraft.admin-keys.refresh-interval} (5 s), so a key revoked on
 * another instance stops working here within that interval (docs/security-model.md, "Admin credentials").
 */
@ApplicationScoped
public class ApiKeys {
    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    static final String KEY_FILE = "admin-api-key";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An active key as cached: enough to authenticate, nothing to leak (the hash of a random key). */
    public record ActiveKey(long id, String name, byte[] hash) {}

    @Inject
    UpdraftConfig config;

    private volatile List<ActiveKey> active = List.of();
    /** Keys used since the last flush, and when: written to last_used_at with the periodic refresh. */
    private final Map<Long, Instant> used = new ConcurrentHashMap<>();

    void onStart(@Observes @Priority(5) StartupEvent ev) {
        try {
            QuarkusTransaction.requiringNew().run(this::bootstrap);
        } catch (RuntimeException e) {
            // Several instances starting together on one database race to insert the same first key; the loser's
            // insert hits the unique name. Once more: the winner's row is visible now, and nothing is inserted.
            LOG.debugf(
                    "admin key bootstrap raced another instance (%s); retrying",
                    e.getClass().getSimpleName());
            QuarkusTransaction.requiringNew().run(this::bootstrap);
        }
        refresh();
    }

    /** The start's reads of keys are SQL, not HQL, like the snapshot's (SnapshotLoader says why). */
    private void bootstrap() {
        Optional<String> configuredKey = config.adminApiKey();
        if (configuredKey.isPresent() && !configuredKey.get().isBlank()) {
            String key = configuredKey.get().strip();
            if (PresentedKey.JWT_SHAPE.matcher(key).matches()) {
                // Such a bearer is taken for the Capgo CLI's anon placeholder and never checked: refuse it now.
                throw new IllegalStateException(
                        "updraft.admin-api-key looks like a JWT (eyJ...), which is never accepted as an admin key;"
                                + " choose an opaque random key");
            }
            bootstrapConfigured(hashHex(key));
            return;
        }
        long stored = ApiKeyEntity.getSession()
                .createNativeQuery("select count(*) from admin_api_keys", Long.class)
                .getSingleResult();
        if (stored > 0) {
            return;
        }
        String key = newSecret();
        Path file = writeKeyFile(config.dataDir(), key);
        insert(ApiKeyEntity.GENERATED, hashHex(key), ApiKeyEntity.GENERATED);
        LOG.infof(
                "generated the admin API key 'generated'; it is in %s (readable by this user only)",
                file.toAbsolutePath());
    }

    private void bootstrapConfigured(String hash) {
        ApiKeyEntity named = byName(ApiKeyEntity.CONFIGURED);
        ApiKeyEntity sameHash = ApiKeyEntity.getSession()
                .createNativeQuery(
                        "select * from admin_api_keys where key_hash = :hash order by id", ApiKeyEntity.class)
                .setParameter("hash", hash)
                .setMaxResults(1)
                .uniqueResult();
        if (sameHash != null) {
            if (sameHash.revokedAt != null) {
                LOG.warnf(
                        "the admin key from updraft.admin-api-key ('%s') was revoked; it stays revoked", sameHash.name);
            } else {
                LOG.infof("admin API key '%s' taken from configuration (updraft.admin-api-key)", sameHash.name);
            }
            return;
        }
        if (named == null) {
            insert(ApiKeyEntity.CONFIGURED, hash, ApiKeyEntity.CONFIGURED);
        } else {
            // The operator changed the configured key: the old value stops working.
            named.keyHash = hash;
            named.revokedAt = null;
            named.createdAt = Instant.now();
        }
        LOG.info("admin API key 'configured' taken from configuration (updraft.admin-api-key)");
    }

    ApiKeyEntity byName(String name) {
        return ApiKeyEntity.getSession()
                .createNativeQuery("select * from admin_api_keys where name = :name order by id", ApiKeyEntity.class)
                .setParameter("name", name)
                .setMaxResults(1)
                .uniqueResult();
    }

    ApiKeyEntity insert(String name, String hash, String origin) {
        ApiKeyEntity k = new ApiKeyEntity();
        k.name = name;
        k.keyHash = hash;
        k.label = origin;
        k.createdAt = Times.now();
        k.persist();
        return k;
    }

    /**
     * Writes the key to {@code dir/admin-api-key}, owner-only, atomically: a reader sees the old file or the whole new
     * one, and the key never sits in a file that others can read, not even for a moment. The key goes into a
     * temporary file of the same folder, created 0600, which then replaces the old file in one rename; a failure on
     * the way leaves the old file as it was and no temporary file.
     */
    static Path writeKeyFile(Path dir, String key) {
        return writeKeyFile(dir, key, written -> {});
    }

    /** Test hook: {@code beforeRename} sees the temporary file once it holds the whole key. */
    static Path writeKeyFile(Path dir, String key, KeyFileStep beforeRename) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(KEY_FILE);
            Path temp = ownerOnlyTempFile(dir);
            try {
                Files.writeString(temp, key + "\n", StandardCharsets.UTF_8);
                beforeRename.run(temp);
                // Same folder, so the rename is atomic on every local file system; no non-atomic fallback.
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin API key file in " + dir, e);
        }
    }

    /** A step of {@link #writeKeyFile(Path, String, KeyFileStep)} that may fail. */
    interface KeyFileStep {
        void run(Path temp) throws IOException;
    }

    private static Path ownerOnlyTempFile(Path dir) throws IOException {
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        try {
            Path temp = Files.createTempFile(
                    dir, "." + KEY_FILE + "-", ".tmp", PosixFilePermissions.asFileAttribute(ownerOnly));
            // Still empty: a umask can only have removed bits (even the owner's, as DataFolder explains); set exactly.
            Files.setPosixFilePermissions(temp, ownerOnly);
            return temp;
        } catch (UnsupportedOperationException notPosix) {
            // Not a POSIX file system: no permission bits to set; the folder's own access rules apply.
            return Files.createTempFile(dir, "." + KEY_FILE + "-", ".tmp");
        }
    }

    /** Reloads the active keys (picks up keys created or revoked by another instance) after writing last-used times. */
    @Scheduled(
            every = "${updraft.admin-keys.refresh-interval}",
            delayed = "${updraft.admin-keys.refresh-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            flushLastUsed();
            refresh();
        } catch (RuntimeException e) {
            // The database is away (or shutting down): keep authenticating with the keys known so far.
            LOG.warnf("admin key refresh failed, keeping the cached keys: %s", e.toString());
        }
    }

    /** Reloads the cache now: after a local create or revoke has committed, so it takes effect at once. */
    public void refresh() {
        List<ApiKeyEntity> rows = QuarkusTransaction.requiringNew()
                .call(() -> ApiKeyEntity.getSession()
                        .createNativeQuery("select * from admin_api_keys where revoked_at is null", ApiKeyEntity.class)
                        .getResultList());
        active = rows.stream()
                .map(k -> new ActiveKey(k.id, k.name, HexFormat.of().parseHex(k.keyHash)))
                .toList();
    }

    private void flushLastUsed() {
        if (used.isEmpty()) {
            return;
        }
        Map<Long, Instant> batch = Map.copyOf(used);
        batch.forEach(used::remove);
        QuarkusTransaction.requiringNew()
                .run(() -> batch.forEach((id, at) -> ApiKeyEntity.update(
                        "lastUsedAt = ?1 where id = ?2 and (lastUsedAt is null or lastUsedAt < ?1)", at, id)));
    }

    /** The active key {@code presented} is, if any. Constant time with respect to the key's content. */
    public Optional<ActiveKey> find(String presented) {
        byte[] h = hash(presented);
        ActiveKey match = null;
        for (ActiveKey k : active) {
            if (MessageDigest.isEqual(k.hash(), h)) {
                match = k;
            }
        }
        if (match != null) {
            used.put(match.id(), Times.now());
        }
        return Optional.ofNullable(match);
    }

    /** A fresh key: {@code updraft_} and 256 random bits, base64url. */
    static String newSecret() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return "updraft_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static String hashHex(String key) {
        return HexFormat.of().formatHex(hash(key));
    }

    private static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
