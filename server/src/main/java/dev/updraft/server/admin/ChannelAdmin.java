package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.protocol.Identifier;
import dev.updraft.server.decision.BuiltinTarget;
import dev.updraft.server.decision.DisableAutoUpdate;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.BundleEntity;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.server.persistence.Transactions;
import dev.updraft.server.snapshot.AppChanged;
import dev.updraft.server.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.Session;

/** Channels: what each group of devices should run, and the update-check rules. */
@ApplicationScoped
public class ChannelAdmin {
    public static final Set<String> FIELDS = Set.of(
            "name",
            "bundle",
            "public",
            "allow_device_self_set",
            "ios",
            "android",
            "electron",
            "allow_dev",
            "allow_prod",
            "allow_device",
            "allow_emulator",
            "disable_auto_update",
            "disable_auto_update_under_native",
            "builtin_target",
            "rollout_version",
            "rollout_percentage_bps",
            "rollout_enabled",
            AutoPauseFields.MIN_ATTEMPTS,
            AutoPauseFields.MIN_FAILURES,
            AutoPauseFields.MAX_FAILURE_RATE,
            AutoPauseFields.CONFIDENCE,
            AutoPauseFields.ACTION);

    @Inject
    Session session;

    @Inject
    Transactions tx;

    @Inject
    Event<AppChanged> changes;

    static Dtos.Channel dto(ChannelEntity c) {
        return dto(
                c,
                c.bundlePk == null ? null : BundleEntity.<BundleEntity>findById(c.bundlePk).version,
                c.rolloutBundlePk == null ? null : BundleEntity.<BundleEntity>findById(c.rolloutBundlePk).version);
    }

    /** The channel as it reads when it serves {@code bundle} (null: the built-in bundle) and rolls out {@code rollout}. */
    static Dtos.Channel dto(ChannelEntity c, String bundle, String rollout) {
        return new Dtos.Channel(
                c.name,
                bundle,
                c.isPublic,
                c.allowDeviceSelfSet,
                c.ios,
                c.android,
                c.electron,
                c.allowDev,
                c.allowProd,
                c.allowDevice,
                c.allowEmulator,
                c.disableAutoUpdate,
                c.disableAutoUpdateUnderNative,
                c.builtinTarget,
                rollout,
                c.rolloutPercentageBps,
                c.rolloutEnabled,
                c.rolloutId,
                Times.iso(c.rolloutPausedAt),
                c.rolloutPausedBy,
                c.rolloutPauseReason,
                c.autoPauseMinAttempts,
                c.autoPauseMinFailures,
                c.autoPauseMaxFailureRate,
                c.autoPauseConfidence,
                c.autoPauseAction,
                Dtos.AutoPausePolicy.of(AutoPauseFields.effective(c)),
                Times.iso(c.createdAt),
                Times.iso(c.updatedAt));
    }

    /** Channels by name. */
    @Transactional
    public Page<Dtos.Channel> list(String appId, Paging.Request page) {
        Session s = session;
        AppEntity a = Lookups.app(appId);
        List<ChannelEntity> rows = page.query(s, ChannelEntity.class, "appPk = :pk", "name > :after", "name")
                .setParameter("pk", a.id)
                .getResultList();
        Map<Long, String> versions = Lookups.bundleVersions(rows);
        return page.page(
                rows,
                Paging.each(c -> dto(
                        c,
                        c.bundlePk == null ? null : versions.get(c.bundlePk),
                        c.rolloutBundlePk == null ? null : versions.get(c.rolloutBundlePk))),
                c -> List.of(c.name));
    }

    @Transactional
    public Dtos.Channel get(String appId, String name) {
        return dto(Lookups.channel(Lookups.app(appId).id, name));
    }

    /** Creates the channel; of identical concurrent creates one wins, the others get 409 channel_exists. */
    public Dtos.Channel create(String appId, Body body) {
        String name = body.string("name", true);
        body.identifier("name", name, Identifier.CHANNEL_NAME);
        ChannelEntity template = new ChannelEntity();
        String bundle = apply(body, template);
        body.throwIfProblems();
        return tx.write(() -> {
            Session s = session;
            AppEntity a = Lookups.appLocked(appId);
            if (Lookups.channelOrNull(a.id, name) != null) {
                throw ApiException.conflict("channel_exists", "The channel '" + name + "' already exists");
            }
            ChannelEntity c = new ChannelEntity();
            copy(template, c);
            c.name = name;
            c.appPk = a.id;
            c.bundlePk = bundle == null ? null : Lookups.bundle(a.id, bundle).id;
            RolloutAdmin.apply(a.id, body, c);
            c.createdAt = Times.now();
            c.updatedAt = c.createdAt;
            s.persist(c);
            changes.fire(AppChanged.app(appId, a.id));
            return dto(c);
        });
    }

    /** Changes the fields the body names, on the row as it is under the app's lock (Lookups.appLocked). */
    public Dtos.Channel patch(String appId, String name, Body body) {
        if (body.has("name")) {
            body.problem("name", "cannot be changed");
        }
        ChannelEntity scratch = new ChannelEntity();
        String bundle = apply(body, scratch); // checks the body; applied again below to the row as it is now
        body.throwIfProblems();
        return tx.write(() -> {
            AppEntity a = Lookups.appLocked(appId);
            ChannelEntity c = Lookups.channel(a.id, name);
            apply(body, c);
            if (body.has("bundle")) {
                c.bundlePk = bundle == null ? null : Lookups.bundle(a.id, bundle).id;
            }
            RolloutAdmin.apply(a.id, body, c);
            c.updatedAt = Times.now();
            changes.fire(AppChanged.app(appId, a.id));
            return dto(c);
        });
    }

    /** Deletes the channel and its overrides; of identical concurrent deletes one answers 204, the others 404. */
    public void delete(String appId, String name) {
        tx.write(() -> {
            Session s = session;
            AppEntity a = Lookups.appLocked(appId);
            ChannelEntity c = Lookups.channel(a.id, name);
            s.createMutationQuery("delete from DeviceOverrideEntity where channelPk = :id")
                    .setParameter("id", c.id)
                    .executeUpdate();
            s.remove(c);
            changes.fire(AppChanged.app(appId, a.id));
        });
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
        c.disableAutoUpdate = choice(
                b,
                "disable_auto_update",
                c.disableAutoUpdate,
                v -> DisableAutoUpdate.of(v) != null,
                "must be one of none, major, minor, patch, version_number");
        c.builtinTarget =
                choice(b, "builtin_target", c.builtinTarget, v -> BuiltinTarget.of(v) != null, "must be reset or keep");
        AutoPauseFields.apply(b, c);
        return bundle;
    }

    /** A field with a fixed set of values: the body's when present and valid, else {@code current} (a problem if invalid). */
    private static String choice(
            Body b, String field, String current, java.util.function.Predicate<String> valid, String rule) {
        if (!b.has(field)) {
            return current;
        }
        String v = b.string(field, true);
        if (v != null && !valid.test(v)) {
            b.problem(field, rule);
        }
        return v != null && valid.test(v) ? v : current;
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
        to.builtinTarget = from.builtinTarget;
        to.autoPauseMinAttempts = from.autoPauseMinAttempts;
        to.autoPauseMinFailures = from.autoPauseMinFailures;
        to.autoPauseMaxFailureRate = from.autoPauseMaxFailureRate;
        to.autoPauseConfidence = from.autoPauseConfidence;
        to.autoPauseAction = from.autoPauseAction;
    }
}
