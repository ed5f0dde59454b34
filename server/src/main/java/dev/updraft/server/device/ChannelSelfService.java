package dev.updraft.server.device;

import dev.updraft.server.persistence.Db;
import dev.updraft.server.persistence.DeviceOverrideEntity;
import dev.updraft.server.persistence.Revisions;
import dev.updraft.server.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.time.Instant;

/** Stores the channel a device chose for itself (a 'self' override); never replaces an operator's override. */
@ApplicationScoped
public class ChannelSelfService {
    @Inject
    Db db;

    @Transactional
    public void choose(long appPk, String deviceId, long channelPk) {
        Session s = db.session();
        DeviceOverrideEntity o = DeviceOverrideEntity.find(s, appPk, deviceId);
        if (o != null && DeviceOverrideEntity.ADMIN.equals(o.source)) {
            throw cannotOverride();
        }
        if (o != null && o.channelPk == channelPk) {
            return;
        }
        if (o == null) {
            o = new DeviceOverrideEntity();
            o.appPk = appPk;
            o.deviceId = deviceId;
            o.source = DeviceOverrideEntity.SELF;
            o.createdAt = Instant.now();
            o.channelPk = channelPk;
            s.persist(o);
        } else {
            o.channelPk = channelPk;
            o.createdAt = Instant.now();
        }
        Revisions.bump(s, appPk);
    }

    /** Removes the device's own choice; {@code true} when there was one. */
    @Transactional
    public boolean forget(long appPk, String deviceId) {
        Session s = db.session();
        DeviceOverrideEntity o = DeviceOverrideEntity.find(s, appPk, deviceId);
        if (o == null) {
            return false;
        }
        if (DeviceOverrideEntity.ADMIN.equals(o.source)) {
            throw cannotOverride();
        }
        s.remove(o);
        Revisions.bump(s, appPk);
        return true;
    }

    static ApiException cannotOverride() {
        return ApiException.badRequest("cannot_override", "An operator has assigned this device's channel; the device cannot change it");
    }
}
