package dev.updraft.server.device;

import dev.updraft.server.persistence.DeviceOfferEntity;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
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
        String key() {
            return appPk + "/" + deviceId + "/" + version;
        }
    }

    private final AtomicReference<ConcurrentHashMap<String, Offer>> pending =
            new AtomicReference<>(new ConcurrentHashMap<>());
    /** The latest offer per device (appPk/deviceId), for the stats of this instance's devices without a query. */
    private final ConcurrentHashMap<String, String> latest = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<String, Long> written = new ConcurrentHashMap<>();
    private final BatchWriter writer =
            new BatchWriter(LOG, "offer record(s)"); // used under this (flush is synchronized)

    @Inject
    Session session;

    /** Cheap and non-blocking: called on the request thread for every update answer. */
    public void offered(long appPk, String deviceId, String version, String channel, String rolloutId) {
        if (latest.size() >= MAX_REMEMBERED) {
            latest.clear();
        }
        latest.put(appPk + "/" + deviceId, version);
        ConcurrentHashMap<String, Offer> map = pending.get();
        if (map.size() < MAX_PENDING) {
            Offer o = new Offer(appPk, deviceId, version, channel, rolloutId, System.currentTimeMillis());
            map.put(o.key(), o);
        }
    }

    /** The version last offered to the device, by this instance or (from the database) by any; {@code null}: none. */
    @Transactional
    public String lastOffered(long appPk, String deviceId) {
        String v = latest.get(appPk + "/" + deviceId);
        if (v != null) {
            return v;
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
        ConcurrentHashMap<String, Offer> batch = pending.getAndSet(new ConcurrentHashMap<>());
        List<Offer> list = new ArrayList<>();
        batch.forEach((k, o) -> {
            Long w = written.get(k);
            if (w == null || o.atMillis() - w >= REWRITE_AFTER_MILLIS) {
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
            if (written.size() + list.size() > MAX_REMEMBERED) {
                written.clear();
            }
            list.forEach(o -> written.put(o.key(), o.atMillis()));
        }
    }

    private void write(List<Offer> offers) {
        Session s = session;
        Map<Long, List<Offer>> byApp = new HashMap<>();
        offers.forEach(
                o -> byApp.computeIfAbsent(o.appPk(), k -> new ArrayList<>()).add(o));
        for (Map.Entry<Long, List<Offer>> e : byApp.entrySet()) {
            if (s.createSelectionQuery("select count(a) from AppEntity a where a.id = :pk", Long.class)
                            .setParameter("pk", e.getKey())
                            .getSingleResult()
                    == 0) {
                continue; // the app was deleted since
            }
            List<Offer> list = e.getValue();
            for (int i = 0; i < list.size(); i += CHUNK) {
                List<Offer> chunk = list.subList(i, Math.min(list.size(), i + CHUNK));
                Map<String, DeviceOfferEntity> known = new HashMap<>();
                for (DeviceOfferEntity d : s.createSelectionQuery(
                                "from DeviceOfferEntity where appPk = :pk and deviceId in :ids",
                                DeviceOfferEntity.class)
                        .setParameter("pk", e.getKey())
                        .setParameter(
                                "ids",
                                chunk.stream().map(Offer::deviceId).distinct().toList())
                        .getResultList()) {
                    known.put(d.deviceId + "/" + d.version, d);
                }
                for (Offer o : chunk) {
                    Instant at = Instant.ofEpochMilli(o.atMillis());
                    DeviceOfferEntity d = known.get(o.deviceId() + "/" + o.version());
                    if (d == null) {
                        d = new DeviceOfferEntity();
                        d.appPk = o.appPk();
                        d.deviceId = o.deviceId();
                        d.version = o.version();
                        d.firstOfferedAt = at;
                        d.lastOfferedAt = at;
                        d.channel = o.channel();
                        d.rolloutId = o.rolloutId();
                        s.persist(d);
                        known.put(o.deviceId() + "/" + o.version(), d);
                    } else if (d.lastOfferedAt.isBefore(at)) {
                        d.lastOfferedAt = at;
                        d.channel = o.channel();
                        d.rolloutId = o.rolloutId();
                    }
                }
            }
        }
    }
}
