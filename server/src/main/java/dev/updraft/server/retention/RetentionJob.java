package dev.updraft.server.retention;

import dev.updraft.server.config.UpdraftConfig;
import dev.updraft.server.persistence.ConcurrencyFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Deletes what devices send without credentials once it is older than the retention settings (docs/operations.md,
 * "Retention"): stats events received more than {@code updraft.retention.stats-events} ago, and devices not seen for
 * {@code updraft.retention.devices} (their overrides stay: an operator's pin is configuration, not data). Without this,
 * anyone who knows an app id can fill the disk.
 *
 * <p>Deletes in batches of {@code updraft.retention.batch-size} rows, each its own short transaction, so it never
 * holds locks for long nor builds a large transaction. Several instances on one database may run it at the same time:
 * each batch deletes by id and re-checks the age, so rows deleted by another instance (or seen again meanwhile) are
 * skipped, and a lost race only ends that batch.
 */
@ApplicationScoped
public class RetentionJob {
    private static final Logger LOG = Logger.getLogger(RetentionJob.class);
    /** Batches in a row that lose a race with another instance before this pass leaves the rest to it. */
    private static final int MAX_LOST_BATCHES = 3;

    /** What one pass deleted. */
    public record Result(long statsEvents, long devices) {}

    /** One kind of row that expires: which entity, and which timestamp says how old a row is. */
    private record Expiring(String entity, String timestamp, String metricTag) {}

    private static final Expiring STATS_EVENTS = new Expiring("StatsEventEntity", "receivedAt", "stats_events");
    private static final Expiring DEVICES = new Expiring("DeviceEntity", "lastSeen", "devices");
    /** What was offered to devices goes with the devices' retention: it is about devices that stopped checking. */
    private static final Expiring OFFERS = new Expiring("DeviceOfferEntity", "lastOfferedAt", "device_offers");

    @Inject
    Session session;

    @Inject
    UpdraftConfig config;

    @Inject
    MeterRegistry registry;

    @Scheduled(
            every = "${updraft.retention.interval}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            run(Instant.now());
        } catch (RuntimeException e) {
            // The database is away or shutting down: the next run catches up.
            LOG.warnf(
                    "retention pass failed, will run again in %s: %s",
                    config.retention().interval(), e.toString());
        }
    }

    /** One pass as of {@code now}: deletes everything that was older than its retention period at that instant. */
    public Result run(Instant now) {
        UpdraftConfig.Retention r = config.retention();
        long events = purge(STATS_EVENTS, r.statsEvents(), now, r.batchSize());
        long devices = purge(DEVICES, r.devices(), now, r.batchSize());
        purge(OFFERS, r.devices(), now, r.batchSize());
        if (events > 0 || devices > 0) {
            LOG.infof(
                    "retention: deleted %d stats event(s) received before %s and %d device(s) not seen since %s",
                    events, cutoffText(r.statsEvents(), now), devices, cutoffText(r.devices(), now));
        }
        return new Result(events, devices);
    }

    private static String cutoffText(Duration keep, Instant now) {
        return keep.isZero() ? "(kept forever)" : now.minus(keep).toString();
    }

    private long purge(Expiring what, Duration keep, Instant now, int batchSize) {
        if (keep.isZero()) {
            return 0;
        }
        Instant cutoff = now.minus(keep);
        String select = "select x.id from " + what.entity() + " x where x." + what.timestamp() + " < :cutoff";
        String delete =
                "delete from " + what.entity() + " x where x.id in :ids and x." + what.timestamp() + " < :cutoff";
        long deleted = 0;
        int lost = 0;
        while (true) {
            int[] batch; // {rows selected, rows deleted}
            try {
                batch = QuarkusTransaction.requiringNew().call(() -> {
                    List<Long> ids = session.createSelectionQuery(select, Long.class)
                            .setParameter("cutoff", cutoff)
                            .setMaxResults(batchSize)
                            .getResultList();
                    int n = ids.isEmpty()
                            ? 0
                            : session.createMutationQuery(delete)
                                    .setParameter("ids", ids)
                                    .setParameter("cutoff", cutoff)
                                    .executeUpdate();
                    return new int[] {ids.size(), n};
                });
            } catch (RuntimeException e) {
                if (ConcurrencyFailure.of(e).isEmpty()) {
                    throw e;
                }
                // Another instance is deleting the same rows.
                if (++lost >= MAX_LOST_BATCHES) {
                    LOG.debugf(
                            "retention of %s: another instance is deleting the same rows; leaving them to it",
                            what.metricTag());
                    break;
                }
                continue;
            }
            deleted += batch[1];
            Counter.builder("updraft.retention.deleted")
                    .description("Rows deleted by the retention job")
                    .tag("table", what.metricTag())
                    .register(registry)
                    .increment(batch[1]);
            if (batch[0] < batchSize) {
                break;
            }
        }
        return deleted;
    }
}
