package dev.updraft.server.security;

import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a request presents as an admin credential, read from its headers by an ordered list of {@link Source}s (the
 * first that finds something wins): {@code capgkey: <key>}, then {@code Authorization: Bearer <key>}, then (TUS
 * requests only) a bare {@code Authorization: <key>}. The Capgo CLI
 * sends {@code capgkey: <key>} together with {@code Authorization: Bearer <its anon placeholder>}; the capgkey source
 * comes first, so the placeholder is never read, never checked and never counted as a wrong key (docs/protocol.md,
 * "The Capgo CLI").
 *
 * <p>A bearer value shaped like a JWT ({@code eyJ...}.{@code ...}.{@code ...}) is the Capgo CLI's anon placeholder, not
 * an Updraft key (Updraft keys are opaque, never JWTs): it counts as no key at all, so it is answered
 * {@code missing_api_key} and never throttled (docs/security-model.md, "Admin credentials").
 */
public sealed interface PresentedKey {
    /** Nothing that looks like an admin key. */
    record None() implements PresentedKey {}

    /** A key to check. Never logged, never put in an exception message. */
    record Key(String value) implements PresentedKey {
        @Override
        public String toString() {
            return "Key[redacted]";
        }
    }

    /** Reads one header (or other part of the request); empty when that source has nothing to say. */
    @FunctionalInterface
    interface Source {
        Optional<PresentedKey> read(HttpServerRequest request);
    }

    Pattern JWT_SHAPE = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    /** {@code Authorization: Bearer <key>}; another scheme (Basic, ...) is not an admin key. */
    Source BEARER = request -> {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String value = header.substring(7).strip();
        if (value.isEmpty() || JWT_SHAPE.matcher(value).matches()) {
            return Optional.of(new None());
        }
        return Optional.of(new Key(value));
    };

    /** {@code capgkey: <key>}, the Capgo CLI's key header; an empty one counts as no key. */
    Source CAPGKEY = request -> {
        String header = request.getHeader("capgkey");
        if (header == null) {
            return Optional.empty();
        }
        String value = header.strip();
        return Optional.of(value.isEmpty() ? new None() : new Key(value));
    };

    /**
     * A TUS request's bare {@code Authorization: <key>} (no scheme): how the Capgo CLI's TUS client sends the key for
     * a delta upload (docs/protocol.md, "The Capgo CLI"). Only for requests that carry {@code Tus-Resumable}, so a
     * scheme-less Authorization is no key anywhere else.
     */
    Source TUS_AUTHORIZATION = request -> {
        String header = request.getHeader("Authorization");
        if (request.getHeader("Tus-Resumable") == null || header == null) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.isEmpty() || value.indexOf(' ') >= 0) {
            return Optional.empty();
        }
        return Optional.of(new Key(value));
    };

    /** The sources, in order of precedence. */
    List<Source> SOURCES = List.of(CAPGKEY, BEARER, TUS_AUTHORIZATION);

    static PresentedKey from(HttpServerRequest request) {
        for (Source source : SOURCES) {
            Optional<PresentedKey> found = source.read(request);
            if (found.isPresent()) {
                return found.get();
            }
        }
        return new None();
    }
}
