package dev.updraft.server.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the database at run time, on the same built jar.
 *
 * <p>Quarkus fixes a datasource's {@code db-kind} at build time, so the application declares two datasources and two
 * Hibernate ORM persistence units over the same entity classes: the default one on H2 (embedded) and {@code "pg"} on
 * PostgreSQL. Exactly one pair is activated at run time ({@code quarkus.datasource[."pg"].active},
 * {@code quarkus.hibernate-orm[."pg"].active}); {@link dev.updraft.server.persistence.Db} hands out the session of the
 * active one. Panache is not used because a Panache entity can belong to one persistence unit only.
 *
 * <p>This factory derives those Quarkus properties from the operator-facing ones:
 * <ul>
 *   <li>{@code updraft.db.kind} ({@code UPDRAFT_DB_KIND}): {@code h2} or {@code postgresql}; defaults to
 *       {@code postgresql} when {@code updraft.db.url} is a {@code jdbc:postgresql:} URL, else {@code h2};</li>
 *   <li>{@code updraft.db.url}, {@code updraft.db.user}, {@code updraft.db.password};</li>
 *   <li>{@code updraft.data-dir} ({@code UPDRAFT_DATA_DIR}, default {@code ./data}): the H2 file lives there as
 *       {@code updraft.mv.db} unless {@code updraft.db.url} names another H2 URL.</li>
 * </ul>
 * Its ordinal (275) is above application.properties and below environment variables and system properties, so an
 * operator can still set any {@code quarkus.datasource.*} property directly.
 */
public final class DatabaseSelection implements ConfigSourceFactory {
    public static final String POSTGRESQL = "postgresql";
    public static final String H2 = "h2";
    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String url = value(context, "updraft.db.url");
        String kind = kindOf(value(context, "updraft.db.kind"), url);
        Map<String, String> props = new HashMap<>();
        boolean pg = POSTGRESQL.equals(kind);
        props.put("quarkus.datasource.active", Boolean.toString(!pg));
        props.put("quarkus.hibernate-orm.active", Boolean.toString(!pg));
        props.put("quarkus.flyway.active", Boolean.toString(!pg));
        props.put("quarkus.datasource.\"pg\".active", Boolean.toString(pg));
        props.put("quarkus.hibernate-orm.\"pg\".active", Boolean.toString(pg));
        props.put("quarkus.flyway.\"pg\".active", Boolean.toString(pg));
        props.put("updraft.db.selected-kind", kind);
        String user = value(context, "updraft.db.user");
        String password = value(context, "updraft.db.password");
        if (pg) {
            props.put("quarkus.datasource.\"pg\".jdbc.url", url == null ? "jdbc:postgresql://localhost:5432/updraft" : url);
            putIfSet(props, "quarkus.datasource.\"pg\".username", user);
            putIfSet(props, "quarkus.datasource.\"pg\".password", password);
        } else {
            props.put("quarkus.datasource.jdbc.url", url != null ? url : h2FileUrl(value(context, "updraft.data-dir")));
            putIfSet(props, "quarkus.datasource.username", user);
            putIfSet(props, "quarkus.datasource.password", password);
        }
        return List.of(new PropertiesConfigSource(props, "updraft-database-selection", ORDINAL));
    }

    @Override
    public java.util.OptionalInt getPriority() {
        return java.util.OptionalInt.of(ORDINAL);
    }

    static String kindOf(String configuredKind, String url) {
        if (configuredKind != null && !configuredKind.isBlank()) {
            String k = kindNamed(configuredKind);
            // An unknown kind stops the start (UpdraftConfig.DbKindConverter); H2 here only lets the config build.
            return k == null ? H2 : k;
        }
        return url != null && url.startsWith("jdbc:postgresql:") ? POSTGRESQL : H2;
    }

    /** The kind a {@code updraft.db.kind} value names ({@code postgres} and {@code pg} mean postgresql), or null. */
    public static String kindNamed(String setting) {
        String k = setting.strip().toLowerCase(Locale.ROOT);
        return switch (k) {
            case POSTGRESQL, "postgres", "pg" -> POSTGRESQL;
            case H2 -> H2;
            default -> null;
        };
    }

    /** An absolute file URL: H2 refuses paths that are implicitly relative to the working directory. */
    static String h2FileUrl(String dataDir) {
        Path dir = Path.of(dataDir == null || dataDir.isBlank() ? "./data" : dataDir).toAbsolutePath().normalize();
        // WRITE_DELAY=0: a commit reaches the file before the request that made it is answered (stats durability).
        // DB_CLOSE_ON_EXIT=FALSE: Quarkus closes the pool at shutdown, after the last batch of device sightings.
        return "jdbc:h2:file:" + dir.resolve("updraft") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
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
