package dev.updraft.server.console;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The console's sessions (docs/console.md, "Sessions"): a random id of 256 bits handed to the browser once, in an
 * HttpOnly cookie; the database keeps its SHA-256, the key it was opened with, its CSRF token and its expiry. A session
 * is valid while it has not expired and its key is not revoked, on every instance that shares the database.
 */
@ApplicationScoped
public class ConsoleSessions {
    /** How long a session lasts after its login; there is no sliding renewal (log in again). */
    public static final Duration LIFETIME = Duration.ofHours(8);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A session as the console sees it: never its id, only what it may do and until when. */
    public record Session(String idHash, long keyPk, String keyName, String csrfToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "Session[key " + keyName + ", until " + expiresAt + "]";
        }
    }

    /** What a login hands out: the id for the cookie (shown to no one else), and the stored session. */
    public record Opened(String id, Session session) {
        @Override
        public String toString() {
            return "Opened[" + session + "]";
        }
    }

    /** Opens a session for the key; expired sessions of any key are removed on the way. */
    public Opened open(long keyPk, String keyName, Instant now) {
        String id = random();
        ConsoleSessionEntity row = new ConsoleSessionEntity();
        row.idHash = hash(id);
        row.keyPk = keyPk;
        row.csrfToken = random();
        row.createdAt = now;
        row.expiresAt = now.plus(LIFETIME);
        QuarkusTransaction.requiringNew().run(() -> {
            ConsoleSessionEntity.delete("expiresAt <= ?1", now);
            row.persist();
        });
        return new Opened(id, new Session(row.idHash, keyPk, keyName, row.csrfToken, row.expiresAt));
    }

    /** The live session whose id is {@code id}: not expired at {@code now}, its key not revoked. */
    public Optional<Session> find(String id, Instant now) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        String h = hash(id);
        List<Object[]> rows = QuarkusTransaction.requiringNew()
                .call(() -> ConsoleSessionEntity.getEntityManager()
                        .createQuery(
                                "select s, k.name from ConsoleSessionEntity s, ApiKeyEntity k where s.idHash = :h"
                                        + " and s.keyPk = k.id and k.revokedAt is null and s.expiresAt > :now",
                                Object[].class)
                        .setParameter("h", h)
                        .setParameter("now", now)
                        .getResultList());
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        ConsoleSessionEntity s = (ConsoleSessionEntity) rows.get(0)[0];
        return Optional.of(new Session(s.idHash, s.keyPk, (String) rows.get(0)[1], s.csrfToken, s.expiresAt));
    }

    /** Ends the session (logout): removes only its row. */
    public void close(Session session) {
        QuarkusTransaction.requiringNew().run(() -> ConsoleSessionEntity.deleteById(session.idHash()));
    }

    /** Whether {@code presented} is the session's CSRF token; constant time in the token's content. */
    public static boolean csrfMatches(Session session, String presented) {
        return presented != null
                && MessageDigest.isEqual(
                        session.csrfToken().getBytes(StandardCharsets.UTF_8),
                        presented.getBytes(StandardCharsets.UTF_8));
    }

    /** 256 random bits, base64url: session ids and CSRF tokens. */
    static String random() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static String hash(String id) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
