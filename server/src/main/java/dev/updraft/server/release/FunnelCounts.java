package dev.updraft.server.release;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hibernate.Session;

/**
 * Keeps release funnels counted as events and offers arrive (docs/operations.md, "Release health"; migration V19):
 * {@code release_funnel_devices} holds one row per release, {@link FunnelStage} and device that reached it, and
 * {@code release_funnel_counts} the number of those rows, incremented in the same transaction by the rows actually
 * inserted. A device counts once per stage however often, and by however many instances, it is reported.
 *
 * <p>No deadlock between concurrent writers: every transaction takes its rows in one fixed order (devices' rows
 * sorted by version, stage and device, then counter rows sorted by app, version and stage, byte order), and takes its
 * counter rows last, in one statement.
 */
public final class FunnelCounts {
    private FunnelCounts() {}

    /** A device that reached {@code stage} of the release {@code version}. */
    public record Reached(String version, FunnelStage stage, String deviceId) {
        public Reached {
            Objects.requireNonNull(version);
            Objects.requireNonNull(stage);
            Objects.requireNonNull(deviceId);
        }
    }

    /** The key of one counter, for {@link #add}. */
    public record Counter(long appPk, String version, FunnelStage stage) {}

    private static final String COUNT_REACHED = "with reached as ("
            + " insert into release_funnel_devices (app_pk, version, stage, device_id)"
            + " select ?, r.version, r.stage, r.device_id from unnest(?::varchar[], ?::varchar[], ?::varchar[])"
            + " as r (version, stage, device_id)"
            + " order by r.version collate \"C\", r.stage collate \"C\", r.device_id collate \"C\""
            + " on conflict do nothing returning version, stage)"
            + " insert into release_funnel_counts (app_pk, version, stage, devices)"
            + " select ?, version, stage, count(*) from reached group by version, stage"
            + " order by version collate \"C\", stage collate \"C\""
            + " on conflict (app_pk, version, stage) do update"
            + " set devices = release_funnel_counts.devices + excluded.devices";

    private static final String ADD = "insert into release_funnel_counts (app_pk, version, stage, devices)"
            + " select c.app_pk, c.version, c.stage, c.devices"
            + " from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::bigint[]) as c (app_pk, version, stage, devices)"
            + " order by c.app_pk, c.version collate \"C\", c.stage collate \"C\""
            + " on conflict (app_pk, version, stage) do update"
            + " set devices = release_funnel_counts.devices + excluded.devices";

    /**
     * Records that these devices reached these stages, and counts the ones that had not yet: one statement, in the
     * caller's transaction (the one that stores the events).
     */
    public static void count(Session s, long appPk, Collection<Reached> reached) {
        if (reached.isEmpty()) {
            return;
        }
        s.doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement(COUNT_REACHED)) {
                ps.setLong(1, appPk);
                ps.setArray(2, varchars(c, reached.stream().map(Reached::version)));
                ps.setArray(3, varchars(c, reached.stream().map(r -> r.stage().code())));
                ps.setArray(4, varchars(c, reached.stream().map(Reached::deviceId)));
                ps.setLong(5, appPk);
                ps.executeUpdate();
            }
        });
    }

    /**
     * Adds {@code increments} to their counters: the last statement of a transaction that inserted the matching
     * {@code release_funnel_devices} rows itself (the offers' flush).
     */
    public static void add(Session s, Map<Counter, Long> increments) {
        if (increments.isEmpty()) {
            return;
        }
        List<Counter> keys = List.copyOf(increments.keySet());
        s.doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement(ADD)) {
                ps.setArray(
                        1,
                        c.createArrayOf(
                                "bigint", keys.stream().map(Counter::appPk).toArray()));
                ps.setArray(2, varchars(c, keys.stream().map(Counter::version)));
                ps.setArray(3, varchars(c, keys.stream().map(k -> k.stage().code())));
                ps.setArray(
                        4,
                        c.createArrayOf(
                                "bigint", keys.stream().map(increments::get).toArray()));
                ps.executeUpdate();
            }
        });
    }

    /**
     * Counts what is already stored in {@code stats_events} and {@code device_offers}: the backfill of migration V19,
     * its statements from the line {@code -- backfill} on, for rows copied in after it ran (H2Import). Idempotent.
     */
    public static void backfill(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : backfillStatements()) {
                st.execute(sql);
            }
        }
    }

    static List<String> backfillStatements() {
        String migration;
        try (InputStream in = FunnelCounts.class.getResourceAsStream("/db/migration/V19__release_funnels.sql")) {
            migration = new String(
                    Objects.requireNonNull(in, "V19 is on the class path").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the V19 migration", e);
        }
        int start = migration.indexOf("\n-- backfill");
        if (start < 0) {
            throw new IllegalStateException("V19 has no '-- backfill' section");
        }
        return java.util.Arrays.stream(migration.substring(start).split(";\\s*\n"))
                .map(part -> part.lines()
                        .filter(l -> !l.startsWith("--"))
                        .reduce("", (a, b) -> a + "\n" + b)
                        .strip())
                .filter(sql -> !sql.isEmpty())
                .toList();
    }

    private static Array varchars(Connection c, java.util.stream.Stream<String> values) throws SQLException {
        return c.createArrayOf("varchar", values.toArray());
    }
}
