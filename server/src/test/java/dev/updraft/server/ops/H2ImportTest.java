package dev.updraft.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --import-h2}: an H2 database written with the first wave's schema (its migrations V1..V5, run on H2 by Flyway
 * as that release did: the same files, which Flyway never lets change, up to {@link #FIRST_WAVE}) and rows in every
 * table is copied into a real PostgreSQL 15 migrated by this release; every row arrives with every value, and new rows get new ids. Refused
 * without a change: a target that has data, a file that is not an H2 database, an H2 schema of another version.
 */
class H2ImportTest {
    /** The last migration of the release that ran on H2. */
    static final String FIRST_WAVE = "5";

    static EmbeddedPostgres pg;
    static DataSource target;
    static final Path DIR = Path.of(
                    "target", "h2-import-" + UUID.randomUUID().toString().substring(0, 8))
            .toAbsolutePath();
    static Path h2File;

    @BeforeAll
    static void fixtures() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        target = pg.getPostgresDatabase();
        Flyway.configure()
                .dataSource(target)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        Files.createDirectories(DIR);
        String h2Url = "jdbc:h2:file:" + DIR.resolve("updraft") + ";WRITE_DELAY=0";
        Flyway.configure()
                .dataSource(h2Url, "", "")
                .locations("classpath:db/migration")
                .target(FIRST_WAVE)
                .load()
                .migrate();
        try (Connection h2 = DriverManager.getConnection(h2Url, "", "");
                Statement s = h2.createStatement()) {
            OffsetDateTime t = OffsetDateTime.of(2026, 3, 1, 12, 30, 15, 123_456_000, ZoneOffset.UTC);
            s.execute("insert into admin_api_keys (id, key_hash, label, name, created_at, last_used_at) values"
                    + " (1, 'aa11', 'configured', 'configured', TIMESTAMP WITH TIME ZONE '" + t + "', null),"
                    + " (4, 'bb22', 'ci', 'ci', TIMESTAMP WITH TIME ZONE '" + t.plusDays(1)
                    + "', TIMESTAMP WITH TIME ZONE '" + t.plusDays(2) + "')");
            s.execute(
                    "insert into admin_audit (id, at, key_name, client_address, method, route, path_params, status) values"
                            + " (7, TIMESTAMP WITH TIME ZONE '" + t
                            + "', 'ci', '10.0.0.1', 'POST', '/api/v1/apps', '{}', 201)");
            s.execute("insert into apps (id, app_id, name, revision, created_at, expose_metadata) values"
                    + " (3, 'com.example.first', 'First', 12, TIMESTAMP WITH TIME ZONE '" + t + "', true),"
                    + " (9, 'com.example.second', 'Second', 1, TIMESTAMP WITH TIME ZONE '" + t + "', false)");
            s.execute(
                    "insert into bundles (id, app_pk, version, external_url, checksum, session_key, key_id, min_update_version,"
                            + " link, comment, breaking, created_at, deleted_at) values"
                            + " (5, 3, '1.0.1', 'https://cdn.example.com/1.0.1.zip', 'c0ffee', 'iv:key', 'kid1', '1.0.0', 'https://l', 'first ''one''',"
                            + " false, TIMESTAMP WITH TIME ZONE '" + t + "', null),"
                            + " (6, 3, '1.0.2', 'https://cdn.example.com/1.0.2.zip', 'beef', null, null, null, null, null, true,"
                            + " TIMESTAMP WITH TIME ZONE '" + t + "', TIMESTAMP WITH TIME ZONE '" + t.plusHours(1)
                            + "')");
            s.execute(
                    "insert into bundle_manifest_entries (id, bundle_pk, position, file_name, file_hash, download_url) values"
                            + " (2, 5, 0, 'index.html', 'abc', 'https://cdn.example.com/m/index.html')");
            String flags =
                    "ios, android, electron, allow_dev, allow_prod, allow_device, allow_emulator, disable_auto_update,"
                            + " disable_auto_update_under_native";
            s.execute("insert into channels (id, app_pk, name, bundle_pk, is_public, allow_device_self_set, " + flags
                    + ", created_at,"
                    + " updated_at, builtin_target) values (8, 3, 'production', 5, true, false, true, false, true, false, true, true,"
                    + " false, 'minor', true, TIMESTAMP WITH TIME ZONE '" + t + "', TIMESTAMP WITH TIME ZONE '" + t
                    + "', 'keep'),"
                    + " (10, 9, 'beta', null, false, true, true, true, true, true, true, true, true, 'none', false,"
                    + " TIMESTAMP WITH TIME ZONE '" + t + "', TIMESTAMP WITH TIME ZONE '" + t + "', 'reset')");
            s.execute("insert into device_overrides (id, app_pk, device_id, channel_pk, source, created_at) values"
                    + " (11, 3, '6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f', 8, 'admin', TIMESTAMP WITH TIME ZONE '" + t
                    + "')");
            s.execute(
                    "insert into devices (id, app_pk, device_id, platform, version_name, version_build, plugin_version, is_prod,"
                            + " is_emulator, custom_id, last_seen) values (12, 3, '6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f', 'android', '1.0.1',"
                            + " '100', '8.51.23', true, false, 'customer-7', TIMESTAMP WITH TIME ZONE '" + t + "')");
            for (int i = 1; i <= 120; i++) { // more than a batch of copied rows, ids from the pooled sequence
                s.execute(
                        "insert into stats_events (id, app_pk, device_id, action, version_name, version, old_version_name, platform,"
                                + " client_timestamp, received_at, metadata) values (" + (i * 3) + ", 3, 'dev-" + i
                                + "', 'set', '1.0.1', '1.0.1',"
                                + " 'builtin', 'ios', " + (1_700_000_000_000L + i) + ", TIMESTAMP WITH TIME ZONE '"
                                + t.plusSeconds(i) + "', " + (i % 2 == 0 ? "'{\"k\":\"v\"}'" : "null") + ")");
            }
        }
        h2File = DIR.resolve("updraft.mv.db");
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void emptyTarget() throws SQLException {
        try (Connection c = target.getConnection();
                Statement s = c.createStatement()) {
            s.execute("truncate " + String.join(", ", H2Import.TABLES) + " restart identity cascade");
        }
    }

    @Test
    void everyRowOfEveryTableArrives_withEveryValue_andNewRowsGetNewIds() throws Exception {
        Map<String, Long> copied = H2Import.run(h2File, target);

        assertThat(copied)
                .containsExactly(
                        Map.entry("admin_api_keys", 2L),
                        Map.entry("admin_audit", 1L),
                        Map.entry("apps", 2L),
                        Map.entry("bundles", 2L),
                        Map.entry("bundle_manifest_entries", 1L),
                        Map.entry("channels", 2L),
                        Map.entry("device_overrides", 1L),
                        Map.entry("devices", 1L),
                        Map.entry("stats_events", 120L));
        try (Connection h2 = DriverManager.getConnection(
                        "jdbc:h2:file:" + DIR.resolve("updraft") + ";ACCESS_MODE_DATA=r", "", "");
                Connection p = target.getConnection()) {
            for (String table : H2Import.TABLES) {
                // every column the H2 release had arrives as it was; columns of later migrations keep their defaults
                List<List<Object>> before = rows(h2, table);
                List<List<Object>> after = rows(p, table);
                assertThat(after).as(table).hasSameSizeAs(before).isNotEmpty();
                for (int i = 0; i < before.size(); i++) {
                    assertThat(after.get(i)).as(table).containsAll(before.get(i));
                }
            }
            try (Statement s = p.createStatement();
                    ResultSet r = s.executeQuery(
                            "select count(*) from channels where rollout_bundle_pk is null and rollout_enabled = false and rollout_percentage_bps = 0")) {
                r.next();
                assertThat(r.getLong(1)).as("imported channels have no rollout").isEqualTo(2);
            }
            try (Statement s = p.createStatement();
                    ResultSet r = s.executeQuery("select stage, devices from release_funnel_counts where app_pk = 3"
                            + " and version = '1.0.1'")) {
                assertThat(r.next())
                        .as("the imported events are counted in the release's funnel")
                        .isTrue();
                assertThat(r.getString(1) + "=" + r.getLong(2)).isEqualTo("installed=120");
                assertThat(r.next()).isFalse();
            }
            try (Statement s = p.createStatement()) {
                s.execute(
                        "insert into apps (app_id, name, revision, created_at) values ('com.example.new', 'New', 0, now())");
                try (ResultSet r = s.executeQuery("select id from apps where app_id = 'com.example.new'")) {
                    r.next();
                    assertThat(r.getLong(1)).isGreaterThan(9);
                }
                try (ResultSet r = s.executeQuery("select nextval('stats_events_seq')")) {
                    r.next();
                    assertThat(r.getLong(1) - 49)
                            .as("the next block of stats event ids")
                            .isGreaterThan(360);
                }
            }
        }
    }

    @Test
    void aTargetWithData_isRefused_andKeepsWhatItHas() throws Exception {
        try (Connection c = target.getConnection();
                Statement s = c.createStatement()) {
            s.execute(
                    "insert into apps (app_id, name, revision, created_at) values ('com.example.there', 'There', 0, now())");
        }
        assertThatThrownBy(() -> H2Import.run(h2File, target))
                .isInstanceOf(StartupProblem.class)
                .hasMessage(
                        "the server's database already has apps: import into a fresh data folder (or an empty external database),"
                                + " nothing was changed");
        try (Connection c = target.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select count(*), min(app_id) from apps")) {
            r.next();
            assertThat(r.getLong(1)).isEqualTo(1);
            assertThat(r.getString(2)).isEqualTo("com.example.there");
        }
        assertThat(count("stats_events")).isZero();
    }

    @Test
    void aFileThatIsNotAnH2Database_isRefused() throws Exception {
        Path notH2 = Files.writeString(DIR.resolve("notes.txt"), "not a database");
        assertThatThrownBy(() -> H2Import.run(notH2, target))
                .isInstanceOf(StartupProblem.class)
                .hasMessageStartingWith(
                        "--import-h2 needs the H2 database file (updraft.mv.db in the old data folder): ");
        assertThatThrownBy(() -> H2Import.run(DIR.resolve("missing.mv.db"), target))
                .isInstanceOf(StartupProblem.class);
        assertThat(count("apps")).isZero();
    }

    @Test
    void anH2SchemaOfAnotherVersion_isRefused() throws Exception {
        Path older = DIR.resolve("older");
        String url = "jdbc:h2:file:" + older + ";WRITE_DELAY=0";
        Flyway.configure()
                .dataSource(url, "", "")
                .locations("classpath:db/migration")
                .target("2")
                .load()
                .migrate();
        assertThatThrownBy(() -> H2Import.run(DIR.resolve("older.mv.db"), target))
                .isInstanceOf(StartupProblem.class)
                .hasMessageContaining(
                        "has schema version 2; only the schema of the last release with H2 (5) can be imported");
        assertThat(count("apps")).isZero();
    }

    static long count(String table) throws SQLException {
        try (Connection c = target.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select count(*) from " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Every row, ordered by id, as lists of values (timestamps as instants, so both drivers' types compare). */
    static List<List<Object>> rows(Connection c, String table) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select * from " + table + " order by id")) {
            ResultSetMetaData m = r.getMetaData();
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= m.getColumnCount(); i++) {
                names.add(m.getColumnName(i).toLowerCase(java.util.Locale.ROOT));
            }
            List<String> sorted = names.stream().sorted().toList();
            while (r.next()) {
                List<Object> row = new ArrayList<>();
                for (String name : sorted) {
                    Object v = r.getObject(names.indexOf(name) + 1);
                    if (v instanceof OffsetDateTime odt) {
                        v = odt.toInstant();
                    } else if (v instanceof java.sql.Timestamp ts) {
                        v = ts.toInstant();
                    } else if (v instanceof Number n && !(v instanceof java.math.BigDecimal)) {
                        v = n.longValue();
                    }
                    row.add(name + "=" + v);
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
