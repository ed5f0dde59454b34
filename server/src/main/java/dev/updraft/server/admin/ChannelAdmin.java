package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.protocol.Identifier;
import dev.updraft.server.decision.DisableAutoUpdate;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.BundleEntity;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.server.persistence.Db;
import dev.updraft.server.persistence.Revisions;
import dev.updraft.server.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.util.List;
import java.util.Set;

/** Channels: what each group of devices should run, and the update-check rules. */
@ApplicationScoped
public class ChannelAdmin {
    static final Set<String> FIELDS = Set.of("name", "bundle", "public", "allow_device_self_set", "ios", "android", "electron",
            "allow_dev", "allow_prod", "allow_device", "allow_emulator", "disable_auto_update", "disable_auto_update_under_native");

    @Inject
    Db db;

    static Dtos.Channel dto(Session s, ChannelEntity c) {
        return dto(c, c.bundlePk == null ? null : s.find(BundleEntity.class, c.bundlePk).version);
    }

    /** The channel as it reads when it serves {@code bundle} (null: the built-in bundle). */
    static Dtos.Channel dto(ChannelEntity c, String bundle) {
        return new Dtos.Channel(c.name, bundle, c.isPublic, c.allowDeviceSelfSet, c.ios, c.android, c.electron, c.allowDev,
                c.allowProd, c.allowDevice, c.allowEmulator, c.disableAutoUpdate, c.disableAutoUpdateUnderNative,
                Times.iso(c.createdAt), Times.iso(c.updatedAt));
    }

    @Transactional
    public List<Dtos.Channel> list(String appId) {
        Session s = db.session();
        AppEntity a = Lookups.app(s, appId);
        return s.createSelectionQuery("from ChannelEntity where appPk = :pk order by name", ChannelEntity.class)
                .setParameter("pk", a.id).getResultList().stream().map(c -> dto(s, c)).toList();
    }

    @Transactional
    public Dtos.Channel get(String appId, String name) {
        Session s = db.session();
        return dto(s, Lookups.channel(s, Lookups.app(s, appId).id, name));
    }

    @Transactional
    public Dtos.Channel create(String appId, Body body) {
        String name = body.string("name", true);
        body.identifier("name", name, Identifier.CHANNEL_NAME);
        ChannelEntity c = new ChannelEntity();
        c.name = name;
        Session s = db.session();
        String bundle = apply(body, c);
        body.throwIfProblems();
        AppEntity a = Lookups.app(s, appId);
        if (Lookups.channelOrNull(s, a.id, name) != null) {
            throw ApiException.conflict("channel_exists", "The channel '" + name + "' already exists");
        }
        c.appPk = a.id;
        c.bundlePk = bundle == null ? null : Lookups.bundle(s, a.id, bundle).id;
        c.createdAt = Times.now();
        c.updatedAt = c.createdAt;
        s.persist(c);
        Revisions.bump(s, a.id);
        return dto(s, c);
    }

    @Transactional
    public Dtos.Channel patch(String appId, String name, Body body) {
        if (body.has("name")) {
            body.problem("name", "cannot be changed");
        }
        Session s = db.session();
        ChannelEntity scratch = new ChannelEntity();
        AppEntity a = Lookups.app(s, appId);
        ChannelEntity c = Lookups.channel(s, a.id, name);
        copy(c, scratch);
        String bundle = apply(body, scratch);
        body.throwIfProblems();
        if (body.has("bundle")) {
            scratch.bundlePk = bundle == null ? null : Lookups.bundle(s, a.id, bundle).id;
        }
        copy(scratch, c);
        c.updatedAt = Times.now();
        Revisions.bump(s, a.id);
        return dto(s, c);
    }

    @Transactional
    public void delete(String appId, String name) {
        Session s = db.session();
        AppEntity a = Lookups.app(s, appId);
        ChannelEntity c = Lookups.channel(s, a.id, name);
        s.createMutationQuery("delete from DeviceOverrideEntity where channelPk = :id").setParameter("id", c.id).executeUpdate();
        s.remove(c);
        Revisions.bump(s, a.id);
    }

    /** Applies the present fields of the body to {@code c}; returns the named bundle version (or null). */
    private static String apply(Body b, ChannelEntity c) {
        String bundle = null;
        JsonNode bn = b.raw("bundle");
        if (bn != null && !bn.isNull()) {
            bundle = b.string("bundle", false);
        }
        c.isPublic = b.bool("public", c.isPublic);
        c.allowDeviceSelfSet = b.bool("allow_device_self_set", c.allowDeviceSelfSet);
        c.ios = b.bool("ios", c.ios);
        c.android = b.bool("android", c.android);
        c.electron = b.bool("electron", c.electron);
        c.allowDev = b.bool("allow_dev", c.allowDev);
        c.allowProd = b.bool("allow_prod", c.allowProd);
        c.allowDevice = b.bool("allow_device", c.allowDevice);
        c.allowEmulator = b.bool("allow_emulator", c.allowEmulator);
        c.disableAutoUpdateUnderNative = b.bool("disable_auto_update_under_native", c.disableAutoUpdateUnderNative);
        if (b.has("disable_auto_update")) {
            String d = b.string("disable_auto_update", true);
            if (d != null && DisableAutoUpdate.of(d) == null) {
                b.problem("disable_auto_update", "must be one of none, major, minor, patch, version_number");
            } else if (d != null) {
                c.disableAutoUpdate = d;
            }
        }
        return bundle;
    }

    private static void copy(ChannelEntity from, ChannelEntity to) {
        to.bundlePk = from.bundlePk;
        to.isPublic = from.isPublic;
        to.allowDeviceSelfSet = from.allowDeviceSelfSet;
        to.ios = from.ios;
        to.android = from.android;
        to.electron = from.electron;
        to.allowDev = from.allowDev;
        to.allowProd = from.allowProd;
        to.allowDevice = from.allowDevice;
        to.allowEmulator = from.allowEmulator;
        to.disableAutoUpdate = from.disableAutoUpdate;
        to.disableAutoUpdateUnderNative = from.disableAutoUpdateUnderNative;
    }
}
