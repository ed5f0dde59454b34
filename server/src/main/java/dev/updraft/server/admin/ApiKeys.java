package dev.updraft.server.admin;

import dev.updraft.server.persistence.ApiKeyEntity;
import dev.updraft.server.persistence.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Admin API keys. Only SHA-256 hashes are stored (the keys are 256-bit random, so a plain hash is enough); a key is
 * checked in constant time against every stored hash. There is no built-in key: on first start with no key in the
 * database the server generates one and writes it to {@code <data-dir>/admin-api-key} (owner-only), unless
 * {@code updraft.admin-api-key} provides one. Keys are never logged.
 */
@ApplicationScoped
public class ApiKeys {
    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    static final String KEY_FILE = "admin-api-key";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Db db;
    @ConfigProperty(name = "updraft.admin-api-key")
    Optional<String> configuredKey;
    @ConfigProperty(name = "updraft.data-dir")
    String dataDir;

    private volatile List<byte[]> hashes = List.of();

    void onStart(@Observes @Priority(5) StartupEvent ev) {
        try {
            QuarkusTransaction.requiringNew().run(this::bootstrap);
        } catch (RuntimeException e) {
            // Several instances starting together on one database race to insert the same configured key; the
            // loser's insert hits the unique hash. Once more: the winner's row is visible now, and nothing is inserted.
            LOG.debugf("admin key bootstrap raced another instance (%s); retrying", e.getClass().getSimpleName());
            QuarkusTransaction.requiringNew().run(this::bootstrap);
        }
        refresh();
    }

    private void bootstrap() {
        List<String> stored = db.session().createSelectionQuery("select k.keyHash from ApiKeyEntity k", String.class).getResultList();
        if (configuredKey.isPresent() && !configuredKey.get().isBlank()) {
            String hash = hashHex(configuredKey.get().strip());
            if (!stored.contains(hash)) {
                insert(hash, "configured");
            }
            LOG.info("admin API key taken from configuration (updraft.admin-api-key)");
            return;
        }
        if (!stored.isEmpty()) {
            return;
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String key = "updraft_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Path file = writeKeyFile(Path.of(dataDir), key);
        insert(hashHex(key), "generated");
        LOG.infof("generated the admin API key; it is in %s (readable by this user only)", file.toAbsolutePath());
    }

    private void insert(String hash, String label) {
        ApiKeyEntity k = new ApiKeyEntity();
        k.keyHash = hash;
        k.label = label;
        k.createdAt = Instant.now();
        db.session().persist(k);
    }

    static Path writeKeyFile(Path dir, String key) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(KEY_FILE);
            Files.deleteIfExists(file);
            Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin API key file in " + dir, e);
        }
    }

    /** Picks up keys added by another instance. */
    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        List<String> stored = QuarkusTransaction.requiringNew().call(() ->
                db.session().createSelectionQuery("select k.keyHash from ApiKeyEntity k", String.class).getResultList());
        hashes = stored.stream().map(h -> HexFormat.of().parseHex(h)).toList();
    }

    /** Constant time with respect to the key's content. */
    public boolean isValid(String presented) {
        byte[] h = hash(presented);
        boolean ok = false;
        for (byte[] stored : hashes) {
            ok |= MessageDigest.isEqual(stored, h);
        }
        return ok;
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
