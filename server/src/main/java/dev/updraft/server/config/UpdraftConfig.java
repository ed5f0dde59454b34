package dev.updraft.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import org.eclipse.microprofile.config.spi.Converter;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The operator settings of the server's operations surface, typed, with their defaults in application.properties
 * (docs/operations.md, "Configuration reference"). A value that does not convert (a port that is not a number, an
 * unknown database kind) stops the start with one line naming the setting, before anything is opened.
 *
 * <p>Other settings under {@code updraft.} are still read where they are used ({@code @ConfigProperty}).
 */
@ConfigMapping(prefix = "updraft")
public interface UpdraftConfig {
    /** {@code updraft.data-dir}: the H2 database and the generated admin key; owner-only (0700, files 0600). */
    Path dataDir();

    /** {@code updraft.access-log}: one access log line per request on the public port. */
    boolean accessLog();

    Management management();

    Db db();

    /** The management interface: health, metrics, OpenAPI. */
    interface Management {
        /** {@code updraft.management.port} (quarkus.management.port follows it). */
        int port();

        /** {@code updraft.management.host}: 127.0.0.1 unless the operator opens it wider. */
        String host();
    }

    interface Db {
        /** {@code updraft.db.kind}: h2 or postgresql (also postgres, pg); absent means "from the URL". */
        @WithConverter(DbKindConverter.class)
        Optional<String> kind();
    }

    /** Refuses a database kind that {@link DatabaseSelection} would not recognise. */
    final class DbKindConverter implements Converter<String> {
        @Override
        public String convert(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            String kind = DatabaseSelection.kindNamed(value);
            if (kind == null) {
                throw new IllegalArgumentException("unknown database kind \"" + value.strip() + "\": use h2 or postgresql");
            }
            return kind;
        }
    }
}
