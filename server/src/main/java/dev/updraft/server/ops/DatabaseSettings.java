package dev.updraft.server.ops;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Where the server's one database is (docs/operations.md, "Database"): PostgreSQL, external or embedded.
 *
 * <ul>
 *   <li>{@code updraft.db.url} ({@code UPDRAFT_DB_URL}), {@code updraft.db.user}, {@code updraft.db.password}: an
 *       external PostgreSQL; nothing is started. Setting {@code quarkus.datasource.jdbc.url} directly does the same.</li>
 *   <li>Neither: the embedded default ({@link EmbeddedDatabase}) on {@code <updraft.data-dir>/pg}.</li>
 * </ul>
 *
 * <p>The embedded database has to run before Agroal and Flyway open their first connection, which happens while
 * Quarkus starts, before any application event. So its JDBC URL (a free loopback port chosen when the settings are
 * read) comes from a config source, and the datasource's driver ({@link EmbeddedDriver}) starts the database on the
 * first connection to that URL and hands it its password. Nothing is created or started while building the jar, in
 * tests, or with an external database; the packaged server starts the embedded one as soon as its URL is read, and a
 * start refused for a bad setting undoes that and leaves no trace ({@link EmbeddedDatabase#startWhenPlanned}). Its
 * ordinal (275) is above application.properties and below environment variables and system properties.
 */
public final class DatabaseSettings implements ConfigSourceFactory {
    static final int ORDINAL = 275;
    static final String URL = "quarkus.datasource.jdbc.url";
    static final String USERNAME = "quarkus.datasource.username";
    static final String PASSWORD = "quarkus.datasource.password";
    static final String ACQUISITION_TIMEOUT = "quarkus.datasource.jdbc.acquisition-timeout";
    /**
     * The first connection starts the embedded database (initdb on a fresh folder, recovery after a crash): Agroal must
     * wait for it longer than its default 5 s.
     */
    static final String EMBEDDED_ACQUISITION_TIMEOUT = "120S";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String url = value(context, "updraft.db.url");
        if (url == null && value(context, URL) != null) {
            return List.of(); // the operator configured the Quarkus datasource directly
        }
        if (url != null) {
            Map<String, String> props = new HashMap<>();
            props.put(URL, url);
            putIfSet(props, USERNAME, value(context, "updraft.db.user"));
            putIfSet(props, PASSWORD, value(context, "updraft.db.password"));
            return List.of(new PropertiesConfigSource(props, "updraft-external-database", ORDINAL));
        }
        String dataDir = value(context, "updraft.data-dir");
        String cache = value(context, "updraft.db.embedded.binaries-dir");
        return List.of(new EmbeddedSource(
                Path.of(dataDir == null ? "./data" : dataDir),
                cache == null ? EmbeddedDatabase.defaultBinariesCache() : Path.of(cache)));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /** The planned URL and the user of the embedded database; reading them starts nothing. */
    static final class EmbeddedSource implements ConfigSource {
        private final Path dataDir;
        private final Path binariesCache;

        EmbeddedSource(Path dataDir, Path binariesCache) {
            this.dataDir = dataDir;
            this.binariesCache = binariesCache;
        }

        /** The URL is left out: listing the settings does not choose a port. */
        @Override
        public Set<String> getPropertyNames() {
            return Set.of(USERNAME, ACQUISITION_TIMEOUT);
        }

        @Override
        public String getValue(String name) {
            return switch (name) {
                case URL -> EmbeddedDatabase.plan(dataDir, binariesCache);
                case USERNAME -> EmbeddedDatabase.USER;
                case ACQUISITION_TIMEOUT -> EMBEDDED_ACQUISITION_TIMEOUT;
                default -> null;
            };
        }

        @Override
        public String getName() {
            return "updraft-embedded-database";
        }

        @Override
        public int getOrdinal() {
            return ORDINAL;
        }
    }

    private static void putIfSet(Map<String, String> props, String key, String value) {
        if (value != null) {
            props.put(key, value);
        }
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isEmpty() ? null : v.getValue();
    }
}
