package dev.updraft.server.admin;

import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.server.persistence.Db;
import dev.updraft.server.persistence.DeviceEntity;
import dev.updraft.server.persistence.DeviceOverrideEntity;
import dev.updraft.server.persistence.Revisions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The devices seen, and operator overrides of a device's channel. */
@ApplicationScoped
public class DeviceAdmin {
    @Inject
    Db db;

    @Transactional
    public List<Dtos.Device> list(String appId) {
        Session s = db.session();
        AppEntity a = Lookups.app(s, appId);
        Map<String, String> overrides = new HashMap<>();
        for (Object[] row : s.createSelectionQuery(
                        "select o.deviceId, c.name from DeviceOverrideEntity o, ChannelEntity c where o.channelPk = c.id and o.appPk = :pk", Object[].class)
                .setParameter("pk", a.id).getResultList()) {
            overrides.put((String) row[0], (String) row[1]);
        }
        return s.createSelectionQuery("from DeviceEntity where appPk = :pk order by lastSeen desc, deviceId", DeviceEntity.class)
                .setParameter("pk", a.id).getResultList().stream()
                .map(d -> new Dtos.Device(d.deviceId, d.platform, d.versionName, d.versionBuild, d.pluginVersion, d.isProd,
                        d.isEmulator, d.customId, overrides.get(d.deviceId), Times.iso(d.lastSeen)))
                .toList();
    }

    /** Forces the device onto the channel (replacing any choice the device made itself). */
    @Transactional
    public Dtos.Override setOverride(String appId, String deviceId, String channelName) {
        Session s = db.session();
        AppEntity a = Lookups.app(s, appId);
        ChannelEntity c = Lookups.channel(s, a.id, channelName);
        DeviceOverrideEntity o = DeviceOverrideEntity.find(s, a.id, deviceId);
        if (o == null) {
            o = new DeviceOverrideEntity();
            o.appPk = a.id;
            o.deviceId = deviceId;
            o.channelPk = c.id;
            o.source = DeviceOverrideEntity.ADMIN;
            o.createdAt = Times.now();
            s.persist(o);
        } else {
            o.channelPk = c.id;
            o.source = DeviceOverrideEntity.ADMIN;
            o.createdAt = Times.now();
        }
        Revisions.bump(s, a.id);
        return new Dtos.Override(deviceId, c.name);
    }

    @Transactional
    public void deleteOverride(String appId, String deviceId) {
        Session s = db.session();
        AppEntity a = Lookups.app(s, appId);
        DeviceOverrideEntity o = DeviceOverrideEntity.find(s, a.id, deviceId);
        if (o != null) {
            s.remove(o);
            Revisions.bump(s, a.id);
        }
    }
}
