package dev.updraft.server.device;

import dev.updraft.server.release.FunnelCounts;
import dev.updraft.server.release.FunnelStage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Remembers which release the server offered each device (docs/protocol.md §3.7), so that a failure event naming
 * the running bundle counts for the release the device failed to get. Like {@link DeviceSeenRecorder}: the request
 * thread only puts the offer into a map; a scheduled job writes the coalesced batch, one row per device and release.
 */
@ApplicationScoped
public class OfferRecorder {
    private static final Logger LOG = Logger.getLogger(OfferRecorder.class);
    static final int MAX_PENDING = 200_000;
    static final int MAX_REMEMBERED = 500_000;
    private static final int CHUNK = 500;
    /** An offer made again is written at most this often (its last_offered_at is that coarse). */
    static final long REWRITE_AFTER_MILLIS = 60_000;

    /** One offer: the device got {@code version} from {@code channel}, through {@code rolloutId} (null: stable). */
    record Offer(long appPk, String deviceId, String version, String channel, String rolloutId, long atMillis) {
        String device() {
            return appPk + "/" + deviceId;
        }

        String key() {
            return device() + "/" + version;
        }
    }

    private final AtomicReference<ConcurrentHashMap<String, Offer>> pending =
            new AtomicReference<>(new ConcurrentHashMap<>());
    /**
     * Per device (appPk/deviceId): its latest offer, for the stats of this instance's devices without a query, and the
     * offer its last write holds. One map, so a repeated check looks its device up once (docs/performance.md).
     */
    private final ConcurrentHashMap<String, Remembered> devices = new ConcurrentHashMap<>();

    /** What this instance remembers of one device. Its fields are set by request threads and by the flush alike. */
    private static final class Remembered {
        volatile String latest;
        volatile Written written;

        /** Whether the last write holds {@code o}, from less than REWRITE_AFTER_MILLIS before it. */
        boolean holds(Offer o) {
            Written w = written;
            return w != null && w.version().equals(o.version()) && o.atMillis() - w.atMillis() < REWRITE_AFTER_MILLIS;
        }
    }

    /** A written offer: the release's version, and when it was offered. */
    private record Written(String version, long atMillis) {}

    private final FlushEpoch epoch = new FlushEpoch();
    private final BatchWriter writer =
            new BatchWriter(LOG, "offer record(s)"); // used under this (flush is synchronized)

    @Inject
    Session session;

    /** Cheap and non-blocking: called on the request thread for every update answer. */
    public void offered(long appPk, String deviceId, String version, String channel, String rolloutId) {
        long token = epoch.open();
        Offer o = new Offer(appPk, deviceId, version, channel, rolloutId, System.currentTimeMillis());
        Remembered device = remembered(o.device());
        if (!version.equals(device.latest)) { // a write only for a change: most checks repeat the last offer
            device.latest = version;
        }
        ConcurrentHashMap<String, Offer> map = pending.get();
        if (map.size() < MAX_PENDING) {
            String key = o.key();
            if (!map.containsKey(key) && device.holds(o) && epoch.stillValid(token)) {
                return; // the flush would leave it out (as in DeviceSeenRecorder)
            }
            map.put(key, o);
        }
    }

    /** The device's entry, made when it is new (the map is emptied when it is full, as a bound on memory). */
    private Remembered remembered(String device) {
        Remembered r = devices.get(device);
        if (r != null) {
            return r;
        }
        if (devices.size() >= MAX_REMEMBERED) {
            devices.clear();
        }
        return devices.computeIfAbsent(device, k -> new Remembered());
    }

    /** Whether the last write holds this offer, from less than REWRITE_AFTER_MILLIS before. */
    private boolean alreadyWritten(Offer o) {
        Remembered r = devices.get(o.device());
        return r != null && r.holds(o);
    }

    @Inject
    void metrics(MeterRegistry registry) {
        Gauge.builder("updraft.offers.pending", this, r -> r.pending.get().size())
                .description("Offers waiting for the next batch write")
                .register(registry);
    }

    /** The version last offered to the device, by this instance or (from the database) by any; {@code null}: none. */
    @Transactional
    public String lastOffered(long appPk, String deviceId) {
        Remembered r = devices.get(appPk + "/" + deviceId);
        if (r != null && r.latest != null) {
            return r.latest;
        }
        List<String> rows = session.createSelectionQuery(
                        "select o.version from DeviceOfferEntity o where o.appPk = :pk and o.deviceId = :d order by o.lastOfferedAt desc, o.id desc",
                        String.class)
                .setParameter("pk", appPk)
                .setParameter("d", deviceId)
                .setMaxResults(1)
                .getResultList();
        return rows.isEmpty() ? null : rows.get(0);
    }

    @Scheduled(
            every = "${updraft.devices.flush-interval}",
            delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledFlush() {
        flush();
    }

    void onStop(@Observes ShutdownEvent ev) {
        flush();
    }

    /** Writes what is pending; on a failure the offers go back for one more attempt ({@link BatchWriter}). */
    public synchronized void flush() {
        epoch.flush(this::flushPending);
    }

    private void flushPending() {
        // The next batch starts at this one's size: growing a map from 16 to thousands of devices on the request
        // threads, again after every flush, showed in their profile (docs/performance.md).
        ConcurrentHashMap<String, Offer> batch = pending.getAndSet(
                new ConcurrentHashMap<>(Math.max(16, pending.get().size())));
        List<Offer> list = new ArrayList<>();
        batch.forEach((k, o) -> {
            if (!alreadyWritten(o)) {
                list.add(o);
            }
        });
        if (list.isEmpty()) {
            return;
        }
        boolean done = writer.write(list.size(), () -> write(list), () -> {
            ConcurrentHashMap<String, Offer> now = pending.get();
            list.forEach(o -> now.putIfAbsent(o.key(), o));
        });
        if (done) {
            for (Offer o : list) {
                Remembered r = remembered(o.device());
                Written w = r.written;
                if (w == null || !w.version().equals(o.version()) || w.atMillis() < o.atMillis()) {
                    r.written = new Written(o.version(), o.atMillis());
                }
            }
        }
    }

    /**
     * Upserts the offers, a chunk per statement, and counts each newly inserted offer row ({@code xmax = 0}) as the
     * device reaching {@link FunnelStage#OFFERED} ({@link FunnelCounts}). Rows are taken in one order (app, version,
     * device) by every instance, and the counters last, so concurrent flushes wait for each other but never deadlock.
     */
    private void write(List<Offer> offers) {
        Session s = session;
        Map<Long, List<Offer>> byApp = new TreeMap<>();
        offers.forEach(
                o -> byApp.computeIfAbsent(o.appPk(), k -> new ArrayList<>()).add(o));
        Map<FunnelCounts.Counter, Long> offered = new HashMap<>();
        for (Map.Entry<Long, List<Offer>> e : byApp.entrySet()) {
            long appPk = e.getKey();
            if (s.createSelectionQuery("select count(a) from AppEntity a where a.id = :pk", Long.class)
                            .setParameter("pk", appPk)
                            .getSingleResult()
                    == 0) {
                continue; // the app was deleted since
            }
            List<Offer> list = new ArrayList<>(e.getValue());
            list.sort(Comparator.comparing(Offer::version).thenComparing(Offer::deviceId));
            for (int i = 0; i < list.size(); i += CHUNK) {
                List<Offer> chunk = list.subList(i, Math.min(list.size(), i + CHUNK));
                s.doWork(c -> {
                    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                        ps.setArray(1, strings(c, chunk, Offer::deviceId));
                        ps.setArray(2, strings(c, chunk, Offer::version));
                        ps.setArray(3, strings(c, chunk, Offer::channel));
                        ps.setArray(4, strings(c, chunk, Offer::rolloutId));
                        ps.setArray(
                                5,
                                c.createArrayOf(
                                        "bigint",
                                        chunk.stream().map(Offer::atMillis).toArray()));
                        ps.setLong(6, appPk);
                        ps.setLong(7, appPk);
                        try (ResultSet r = ps.executeQuery()) {
                            while (r.next()) {
                                offered.merge(
                                        new FunnelCounts.Counter(appPk, r.getString(1), FunnelStage.OFFERED),
                                        r.getLong(2),
                                        Long::sum);
                            }
                        }
                    }
                });
            }
        }
        FunnelCounts.add(s, offered);
    }

    /** One chunk of one app: the offers upserted, then the funnel rows of the inserted ones; per version, how many. */
    private static final String UPSERT = "with input as (select * from"
            + " unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[])"
            + " as i (device_id, version, channel, rollout_id, at_millis)),"
            + " offers as (insert into device_offers as o"
            + " (app_pk, device_id, version, channel, rollout_id, first_offered_at, last_offered_at)"
            + " select ?, device_id, version, channel, rollout_id, to_timestamp(at_millis / 1000.0),"
            + " to_timestamp(at_millis / 1000.0) from input order by version collate \"C\", device_id collate \"C\""
            + " on conflict (app_pk, device_id, version) do update set last_offered_at = excluded.last_offered_at,"
            + " channel = excluded.channel, rollout_id = excluded.rollout_id"
            + " where o.last_offered_at < excluded.last_offered_at"
            + " returning o.version, o.device_id, (o.xmax = 0) as inserted),"
            + " reached as (insert into release_funnel_devices (app_pk, version, stage, device_id)"
            + " select ?, version, 'offered', device_id from offers where inserted"
            + " order by version collate \"C\", device_id collate \"C\""
            + " on conflict do nothing returning version)"
            + " select version, count(*) from reached group by version";

    private static Array strings(Connection c, List<Offer> chunk, Function<Offer, String> field) throws SQLException {
        return c.createArrayOf("varchar", chunk.stream().map(field).toArray());
    }
}
