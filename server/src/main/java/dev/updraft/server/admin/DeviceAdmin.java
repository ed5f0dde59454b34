package dev.updraft.server.admin;

import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.server.persistence.DeviceEntity;
import dev.updraft.server.persistence.DeviceOverrideEntity;
import dev.updraft.server.persistence.Transactions;
import dev.updraft.server.snapshot.AppChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/** The devices seen, and operator overrides of a device's channel. */
@ApplicationScoped
public class DeviceAdmin {
    @Inject
    Session session;

    @Inject
    Transactions tx;

    @Inject
    Event<AppChanged> changes;

    /**
     * The devices seen, by device id: an order in which a device keeps its place however often it is seen, so
     * paging never shows one twice or skips one.
     */
    @Transactional
    public Page<Dtos.Device> list(String appId, Paging.Request page) {
        Session s = session;
        AppEntity a = Lookups.app(appId);
        List<DeviceEntity> rows = page.query(s, DeviceEntity.class, "appPk = :pk", "deviceId > :after", "deviceId")
                .setParameter("pk", a.id)
                .getResultList();
        return page.page(
                rows,
                shown -> {
                    Map<String, String> overrides = overrides(
                            s, a.id, shown.stream().map(d -> d.deviceId).toList());
                    return shown.stream()
                            .map(d -> new Dtos.Device(
                                    d.deviceId,
                                    d.platform,
                                    d.versionName,
                                    d.versionBuild,
                                    d.pluginVersion,
                                    d.isProd,
                                    d.isEmulator,
                                    d.customId,
                                    overrides.get(d.deviceId),
                                    Times.iso(d.lastSeen)))
                            .toList();
                },
                d -> List.of(d.deviceId));
    }

    /** The channel each of these devices is pinned to, if any. */
    private static Map<String, String> overrides(Session s, long appPk, List<String> deviceIds) {
        Map<String, String> overrides = new HashMap<>();
        if (deviceIds.isEmpty()) {
            return overrides;
        }
        for (Object[] row : s.createSelectionQuery(
                        "select o.deviceId, c.name from DeviceOverrideEntity o, ChannelEntity c"
                                + " where o.channelPk = c.id and o.appPk = :pk and o.deviceId in :ids",
                        Object[].class)
                .setParameter("pk", appPk)
                .setParameter("ids", deviceIds)
                .getResultList()) {
            overrides.put((String) row[0], (String) row[1]);
        }
        return overrides;
    }

    /**
     * Forces the device onto the channel (replacing any choice the device made itself). An upsert: identical
     * concurrent requests all answer 200 and leave one override.
     */
    public Dtos.Override setOverride(String appId, String deviceId, String channelName) {
        return tx.write(() -> {
            Session s = session;
            AppEntity a = Lookups.appLocked(appId);
            ChannelEntity c = Lookups.channel(a.id, channelName);
            DeviceOverrideEntity found = DeviceOverrideEntity.of(a.id, deviceId);
            DeviceOverrideEntity o = found != null ? found : new DeviceOverrideEntity();
            o.appPk = a.id;
            o.deviceId = deviceId;
            o.channelPk = c.id;
            o.source = DeviceOverrideEntity.ADMIN;
            o.createdAt = Times.now();
            if (found == null) {
                s.persist(o);
            }
            changes.fire(AppChanged.app(appId, a.id));
            return new Dtos.Override(deviceId, c.name);
        });
    }

    /** Removes the device's override, if it has one: 204 either way, also for concurrent identical requests. */
    public void deleteOverride(String appId, String deviceId) {
        tx.write(() -> {
            Session s = session;
            AppEntity a = Lookups.appLocked(appId);
            int removed = s.createMutationQuery("delete from DeviceOverrideEntity where appPk = :pk and deviceId = :d")
                    .setParameter("pk", a.id)
                    .setParameter("d", deviceId)
                    .executeUpdate();
            if (removed > 0) {
                changes.fire(AppChanged.app(appId, a.id));
            }
        });
    }
}
