package dev.updraft.server.device;

import dev.updraft.protocol.ChannelSelfAnswers;
import dev.updraft.protocol.DeviceErrors;
import dev.updraft.server.persistence.DeviceOverrideEntity;
import dev.updraft.server.snapshot.AppChanged;
import dev.updraft.server.web.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.time.Instant;
import java.util.function.Supplier;
import org.hibernate.Session;

/**
 * Stores the channel a device chose for itself (a 'self' override), for the plugins that rely on the server to keep it
 * (docs/protocol.md §4.2); never replaces an operator's override. Identical concurrent calls for one device converge:
 * a write that loses a race with another (a duplicate insert, a conflicting update) is retried in a new transaction,
 * and a delete removes what is there, or nothing, without failing.
 */
@ApplicationScoped
public class ChannelSelfService {
    private static final int ATTEMPTS = 3;

    @Inject
    Session session;

    @Inject
    Event<AppChanged> changes;

    /** Stores the device's choice; {@code true} when something changed. */
    public boolean choose(String appId, long appPk, String deviceId, long channelPk) {
        return retried(() -> {
            Session s = session;
            DeviceOverrideEntity o = DeviceOverrideEntity.of(appPk, deviceId);
            if (o != null && DeviceOverrideEntity.ADMIN.equals(o.source)) {
                throw cannotOverride();
            }
            if (o != null && o.channelPk == channelPk) {
                return false;
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
            changes.fire(AppChanged.deviceChoice(appId, appPk));
            return true;
        });
    }

    /** Removes the device's own choice; {@code true} when there was one. */
    public boolean forget(String appId, long appPk, String deviceId) {
        return retried(() -> {
            Session s = session;
            int removed = s.createMutationQuery(
                            "delete from DeviceOverrideEntity where appPk = :pk and deviceId = :d and source = :self")
                    .setParameter("pk", appPk)
                    .setParameter("d", deviceId)
                    .setParameter("self", DeviceOverrideEntity.SELF)
                    .executeUpdate();
            if (removed > 0) {
                changes.fire(AppChanged.deviceChoice(appId, appPk));
                return true;
            }
            DeviceOverrideEntity o = DeviceOverrideEntity.of(appPk, deviceId);
            if (o != null && DeviceOverrideEntity.ADMIN.equals(o.source)) {
                throw cannotOverride();
            }
            return false;
        });
    }

    /**
     * Runs the work in its own transaction; a persistence failure (another request won the race) is retried, and if
     * the database keeps refusing, the device is told to retry later (503), never a 500.
     */
    private static boolean retried(Supplier<Boolean> work) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(work::get);
            } catch (RuntimeException e) {
                if (!fromTheDatabase(e)) {
                    throw e;
                }
                last = e;
            }
        }
        throw new ApiException(
                503,
                DeviceErrors.OVERLOADED,
                "The channel choice could not be stored now; retry later ("
                        + last.getClass().getSimpleName() + ")");
    }

    /** A failure of the statement or of the commit (also when the transaction manager wraps it), not of the logic. */
    private static boolean fromTheDatabase(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PersistenceException
                    || t instanceof java.sql.SQLException
                    || t instanceof jakarta.transaction.RollbackException) {
                return true;
            }
        }
        return false;
    }

    static ApiException cannotOverride() {
        return ApiException.badRequest(
                ChannelSelfAnswers.CANNOT_OVERRIDE,
                "An operator has assigned this device's channel; the device cannot change it");
    }
}
