package dev.updraft.server.ops;

import dev.updraft.server.release.FunnelCounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The one-shot copy of a first-wave H2 database ({@code <data dir>/updraft.mv.db}) into the server's PostgreSQL
 * ({@code ./updraft server --import-h2 <file>}, docs/operations.md "Importing an H2 database"). The same Flyway
 * migrations ran on both up to the last H2 release, so every row of every table is copied as it is, ids included, parents
 * before children, in one PostgreSQL transaction; then the id sequences continue after the largest copied id.
 *
 * <p>Refused, changing nothing: a file that is not an H2 database, an H2 database whose schema is not the last H2
 * release's ({@link #LAST_H2_SCHEMA}), and a PostgreSQL database that already holds apps, keys or audit entries. The H2 file is opened read
 * only and never changed.
 */
public final class H2Import {
    /** Every table, parents before the tables that refer to them. */
    static final List<String> TABLES = List.of(
            "admin_api_keys",
            "admin_audit",
            "apps",
            "bundles",
            "bundle_manifest_entries",
            "channels",
            "device_overrides",
            "devices",
            "stats_events");

    private static final int BATCH = 500;
    /**
     * The schema of the last release that ran on H2. Later migrations only add tables and columns with defaults, so its
     * rows fit the server's newer schema as they are.
     */
    static final String LAST_H2_SCHEMA = "5";

    private H2Import() {}

    /** Copies everything; returns the rows copied per table. */
    public static Map<String, Long> run(Path h2File, DataSource postgres) {
        Path file = h2File.toAbsolutePath().normalize();
        String name = file.getFileName().toString();
        if (!Files.isRegularFile(file) || !name.endsWith(".mv.db")) {
            throw new StartupProblem(
                    "--import-h2 needs the H2 database file (updraft.mv.db in the old data folder): " + file
                            + " is not one",
                    null);
        }
        String base = file.resolveSibling(name.substring(0, name.length() - ".mv.db".length()))
                .toString();
        Properties props = new Properties();
        props.setProperty("user", "");
        props.setProperty("password", "");
        try (Connection h2 = new org.h2.Driver()
                        .connect("jdbc:h2:file:" + base + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE", props);
                Connection pg = postgres.getConnection()) {
            String from = schemaVersion(h2);
            if (!LAST_H2_SCHEMA.equals(from)) {
                throw new StartupProblem(
                        "the H2 database " + file + " has schema version " + from + "; only the schema of the last"
                                + " release with H2 (" + LAST_H2_SCHEMA
                                + ") can be imported: start that release once on it, then import again",
                        null);
            }
            pg.setAutoCommit(false);
            try {
                refuseIfNotEmpty(pg);
                Map<String, Long> copied = new LinkedHashMap<>();
                for (String table : TABLES) {
                    copied.put(table, copy(h2, pg, table));
                    continueIdsAfterCopy(pg, table);
                }
                // The copied events count in the release funnels as if they had arrived here (migration V19).
                FunnelCounts.backfill(pg);
                pg.commit();
                return copied;
            } catch (SQLException | RuntimeException e) {
                pg.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StartupProblem("could not import " + file + ": " + StartupFailure.firstLine(e.getMessage()), e);
        }
    }

    static String schemaVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery("select \"version\" from \"flyway_schema_history\" where \"success\" = true"
                                + " and \"version\" is not null order by \"installed_rank\" desc")) {
            return r.next() ? r.getString(1) : "(none)";
        }
    }

    private static void refuseIfNotEmpty(Connection pg) throws SQLException {
        for (String table : List.of("apps", "admin_api_keys", "admin_audit")) {
            try (Statement s = pg.createStatement();
                    ResultSet r = s.executeQuery("select count(*) from " + table)) {
                r.next();
                if (r.getLong(1) > 0) {
                    throw new StartupProblem(
                            "the server's database already has " + table.replace('_', ' ')
                                    + ": import into a fresh data folder (or an empty external database), nothing was changed",
                            null);
                }
            }
        }
    }

    private static long copy(Connection h2, Connection pg, String table) throws SQLException {
        long rows = 0;
        try (Statement s = h2.createStatement();
                ResultSet r = s.executeQuery("select * from " + table + " order by id")) {
            ResultSetMetaData meta = r.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i).toLowerCase(java.util.Locale.ROOT));
            }
            String insert = "insert into " + table + " (" + String.join(", ", columns) + ") values ("
                    + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
            try (PreparedStatement p = pg.prepareStatement(insert)) {
                while (r.next()) {
                    for (int i = 1; i <= columns.size(); i++) {
                        p.setObject(i, r.getObject(i));
                    }
                    p.addBatch();
                    if (++rows % BATCH == 0) {
                        p.executeBatch();
                    }
                }
                p.executeBatch();
            }
        }
        return rows;
    }

    /**
     * New rows get ids above the copied ones: identity columns continue after the largest id; {@code stats_events}
     * takes its ids from {@code stats_events_seq} in blocks of 50 (Hibernate's pooled optimizer), so it continues a
     * whole block further.
     */
    private static void continueIdsAfterCopy(Connection pg, String table) throws SQLException {
        boolean pooled = table.equals("stats_events");
        String sequence = pooled ? "'stats_events_seq'" : "pg_get_serial_sequence('" + table + "', 'id')";
        try (Statement s = pg.createStatement()) {
            s.execute("select setval(" + sequence + ", coalesce((select max(id) from " + table + "), 0) + "
                    + (pooled ? 51 : 1) + ", false)");
        }
    }

    /** For the log: "3 apps, 12 bundles, ...". */
    static String summary(Map<String, Long> copied) {
        List<String> parts = new ArrayList<>();
        copied.forEach((table, n) -> parts.add(n + " " + table));
        return String.join(", ", parts);
    }
}
