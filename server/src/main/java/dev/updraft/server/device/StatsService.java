package dev.updraft.server.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.protocol.StatsEvent;
import dev.updraft.server.persistence.StatsEventEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;

/** Stores a request's events in one transaction; the caller answers 2xx only after it commits. */
@ApplicationScoped
public class StatsService {
    @Inject
    ObjectMapper mapper;

    @Transactional
    public void store(long appPk, List<StatsEvent> events) {
        Instant now = Instant.now();
        for (StatsEvent e : events) {
            StatsEventEntity row = new StatsEventEntity();
            row.appPk = appPk;
            row.deviceId = e.info().deviceId();
            row.action = e.action();
            row.versionName = e.versionName();
            row.version = versionOf(e.versionName());
            row.oldVersionName = e.oldVersionName();
            row.platform = e.info().platform();
            row.clientTimestamp = e.timestamp();
            row.receivedAt = now;
            row.metadata = e.metadata() == null ? null : json(e.metadata());
            row.persist();
        }
    }

    /** "1.2.3:main.js" (a file-level failure) counts for version 1.2.3. */
    static String versionOf(String versionName) {
        if (versionName == null) {
            return null;
        }
        int colon = versionName.indexOf(':');
        return colon < 0 ? versionName : versionName.substring(0, colon);
    }

    private String json(Object o) {
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }
}
