package dev.updraft.server.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.protocol.Platform;
import dev.updraft.protocol.StatsAction;
import dev.updraft.protocol.StatsEvent;
import dev.updraft.server.persistence.StatsEventEntity;
import dev.updraft.server.release.FunnelCounts;
import dev.updraft.server.release.FunnelStage;
import dev.updraft.server.release.ReleaseAttribution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.Session;

/**
 * Stores a request's events in one transaction, with the release funnel stages they reach ({@link FunnelCounts});
 * the caller answers 2xx only after it commits.
 */
@ApplicationScoped
public class StatsService {
    @Inject
    ObjectMapper mapper;

    @Inject
    OfferRecorder offers;

    @Inject
    Session session;

    @Transactional
    public void store(long appPk, List<StatsEvent> events) {
        Instant now = Instant.now();
        Set<FunnelCounts.Reached> reached = new LinkedHashSet<>();
        for (StatsEvent e : events) {
            StatsEventEntity row = new StatsEventEntity();
            row.appPk = appPk;
            row.deviceId = e.info().deviceId();
            row.action = e.action();
            row.versionName = e.versionName();
            row.version = releaseOf(appPk, e);
            row.oldVersionName = e.oldVersionName();
            row.platform = e.info().platform();
            row.clientTimestamp = e.timestamp();
            row.receivedAt = now;
            row.metadata = e.metadata() == null ? null : json(e.metadata());
            row.persist();
            if (row.version != null) {
                for (FunnelStage stage : FunnelStage.reachedBy(row.action)) {
                    reached.add(new FunnelCounts.Reached(row.version, stage, row.deviceId));
                }
            }
        }
        FunnelCounts.count(session, appPk, reached);
    }

    /**
     * The release the event is about (docs/protocol.md §3.7): a failure naming the running bundle counts for the
     * release last offered to the device, looked up only for such events.
     */
    private String releaseOf(long appPk, StatsEvent e) {
        StatsAction action = StatsAction.of(e.action()).orElse(null);
        if (e.versionName() == null) {
            return null;
        }
        Platform platform = Platform.fromWire(e.info().platform()).orElse(Platform.ANDROID);
        String lastOffered = ReleaseAttribution.needsLastOffer(action, platform)
                ? offers.lastOffered(appPk, e.info().deviceId())
                : null;
        return ReleaseAttribution.releaseOf(action, platform, e.versionName(), lastOffered);
    }

    private String json(Object o) {
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }
}
