package dev.updraft.server.device;

import dev.updraft.protocol.InfoObject;
import dev.updraft.server.persistence.DeviceEntity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Remembers which devices the device API saw, for the admin devices list, without a database write per request:
 * the request thread only puts the latest sighting into a map (one entry per device), and a scheduled job writes
 * the coalesced batch every {@code updraft.devices.flush-interval}, off the request thread.
 */
@ApplicationScoped
public class DeviceSeenRecorder {
    private static final Logger LOG = Logger.getLogger(DeviceSeenRecorder.class);
    static final int MAX_PENDING = 200_000;
    private static final int CHUNK = 500;
    /** A device seen again with the same details is written at most this often (its last_seen is that coarse). */
    static final long REWRITE_AFTER_MILLIS = 60_000;

    static final int MAX_REMEMBERED = 500_000;

    /** The latest sighting of a device. */
    record Sighting(
            long appPk,
            String deviceId,
            String platform,
            String versionName,
            String versionBuild,
            String pluginVersion,
            Boolean isProd,
            Boolean isEmulator,
            String customId,
            long atMillis) {
        /** The details the admin list shows, without the time. */
        int detailsHash() {
            return java.util.Objects.hash(
                    platform, versionName, versionBuild, pluginVersion, isProd, isEmulator, customId);
        }

        /** This later sighting, with the fields it lacks taken from the earlier one. */
        Sighting over(Sighting earlier) {
            return new Sighting(
                    appPk,
                    deviceId,
                    keep(platform, earlier.platform),
                    keep(versionName, earlier.versionName),
                    keep(versionBuild, earlier.versionBuild),
                    keep(pluginVersion, earlier.pluginVersion),
                    isProd != null ? isProd : earlier.isProd,
                    isEmulator != null ? isEmulator : earlier.isEmulator,
                    keep(customId, earlier.customId),
                    Math.max(atMillis, earlier.atMillis));
        }
    }

    private final AtomicReference<ConcurrentHashMap<String, Sighting>> pending =
            new AtomicReference<>(new ConcurrentHashMap<>());
    /** What was last written per device (details hash, time), so unchanged devices are not rewritten every second. */
    private final ConcurrentHashMap<String, long[]> written = new ConcurrentHashMap<>();

    private final FlushEpoch epoch = new FlushEpoch();

    private final BatchWriter writer =
            new BatchWriter(LOG, "device sighting(s)"); // used under this (flush is synchronized)

    @Inject
    Session session;

    @Inject
    void metrics(MeterRegistry registry) {
        Gauge.builder("updraft.devices.pending", this, r -> r.pending.get().size())
                .description("Device sightings waiting for the next batch write")
                .register(registry);
    }

    /** Cheap and non-blocking: called on the request thread. */
    public void seen(long appPk, InfoObject info) {
        seen(appPk, info, info.versionName());
    }

    /** @param versionName the running bundle, or {@code null} when the call does not tell it (stats events) */
    public void seen(long appPk, InfoObject info, String versionName) {
        long token = epoch.open();
        ConcurrentHashMap<String, Sighting> map = pending.get();
        if (map.size() >= MAX_PENDING) {
            return; // the database is behind; a later sighting of the same device will be recorded
        }
        String key = appPk + "/" + info.deviceId();
        Sighting sighting = new Sighting(
                appPk,
                info.deviceId(),
                info.platform(),
                versionName,
                info.versionBuild(),
                info.pluginVersion(),
                info.isProd(),
                info.isEmulator(),
                info.customId(),
                System.currentTimeMillis());
        if (!map.containsKey(key) && alreadyWritten(key, sighting) && epoch.stillValid(token)) {
            // The flush would leave it out. Skipping it here keeps the pending map (and what each young collection
            // must copy) small under repeated checks (docs/performance.md).
            return;
        }
        map.merge(key, sighting, (earlier, later) -> later.over(earlier));
    }

    /** Whether the last write holds this device with these details, from less than REWRITE_AFTER_MILLIS before. */
    private boolean alreadyWritten(String key, Sighting x) {
        long[] w = written.get(key);
        return w != null && w[0] == x.detailsHash() && x.atMillis() - w[1] < REWRITE_AFTER_MILLIS;
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

    /** Writes what is pending; on failure the sightings go back for the next attempt. */
    public synchronized void flush() {
        epoch.flush(this::flushPending);
    }

    private void flushPending() {
        // The next batch starts at this one's size: growing a map from 16 to thousands of devices on the request
        // threads, again after every flush, showed in their profile (docs/performance.md).
        ConcurrentHashMap<String, Sighting> batch = pending.getAndSet(
                new ConcurrentHashMap<>(Math.max(16, pending.get().size())));
        List<Sighting> list = new ArrayList<>(batch.size());
        batch.forEach((key, x) -> {
            if (!alreadyWritten(key, x)) {
                list.add(x);
            }
        });
        if (list.isEmpty()) {
            return;
        }
        boolean done = writer.write(batch.size(), () -> write(list), () -> {
            ConcurrentHashMap<String, Sighting> now = pending.get();
            batch.forEach((k, v) -> now.merge(k, v, (later, earlier) -> later.over(earlier)));
        });
        if (done) {
            if (written.size() + list.size() > MAX_REMEMBERED) {
                written.clear();
            }
            for (Sighting x : list) {
                written.put(x.appPk() + "/" + x.deviceId(), new long[] {x.detailsHash(), x.atMillis()});
            }
        }
    }

    private void write(List<Sighting> sightings) {
        Session s = session;
        Set<Long> appPks = new HashSet<>();
        sightings.forEach(x -> appPks.add(x.appPk()));
        Set<Long> existingApps =
                new HashSet<>(s.createSelectionQuery("select a.id from AppEntity a where a.id in :ids", Long.class)
                        .setParameter("ids", appPks)
                        .getResultList());
        Map<Long, List<Sighting>> byApp = new HashMap<>();
        for (Sighting x : sightings) {
            if (existingApps.contains(x.appPk())) { // the app may have been deleted since
                byApp.computeIfAbsent(x.appPk(), k -> new ArrayList<>()).add(x);
            }
        }
        for (Map.Entry<Long, List<Sighting>> e : byApp.entrySet()) {
            List<Sighting> list = e.getValue();
            for (int i = 0; i < list.size(); i += CHUNK) {
                List<Sighting> chunk = list.subList(i, Math.min(list.size(), i + CHUNK));
                Map<String, DeviceEntity> known = new HashMap<>();
                for (DeviceEntity d : s.createSelectionQuery(
                                "from DeviceEntity where appPk = :pk and deviceId in :ids", DeviceEntity.class)
                        .setParameter("pk", e.getKey())
                        .setParameter(
                                "ids", chunk.stream().map(Sighting::deviceId).toList())
                        .getResultList()) {
                    known.put(d.deviceId, d);
                }
                for (Sighting x : chunk) {
                    DeviceEntity d = known.get(x.deviceId());
                    boolean fresh = d == null;
                    if (fresh) {
                        d = new DeviceEntity();
                        d.appPk = x.appPk();
                        d.deviceId = x.deviceId();
                    }
                    Instant at = Instant.ofEpochMilli(x.atMillis());
                    if (d.lastSeen != null && d.lastSeen.isAfter(at)) {
                        continue;
                    }
                    d.lastSeen = at;
                    d.platform = keep(cut(x.platform(), 16), d.platform);
                    d.versionName = keep(cut(x.versionName(), 255), d.versionName);
                    d.versionBuild = keep(cut(x.versionBuild(), 255), d.versionBuild);
                    d.pluginVersion = keep(cut(x.pluginVersion(), 64), d.pluginVersion);
                    d.isProd = x.isProd() != null ? x.isProd() : d.isProd;
                    d.isEmulator = x.isEmulator() != null ? x.isEmulator() : d.isEmulator;
                    d.customId = keep(cut(x.customId(), 255), d.customId);
                    if (fresh) {
                        s.persist(d);
                    }
                }
            }
        }
    }

    /** The devices table's column sizes; the device API accepts longer values, which are shortened here. */
    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static String keep(String fresh, String old) {
        return fresh != null ? fresh : old;
    }
}
