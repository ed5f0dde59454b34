package dev.updraft.server.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.server.persistence.AuditEntryEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stores and reads the audit log of admin writes (docs/admin-api.md, "Audit log"). Never holds a secret. */
@ApplicationScoped
public class AuditLog {
    static final int MAX_VALUE = 100;

    /** One admin write as recorded; {@code id} is null until stored. */
    public record Entry(
            Long id,
            Instant at,
            String keyName,
            String clientAddress,
            String method,
            String route,
            Map<String, String> pathParams,
            int status) {}

    /** A page of entries, newest first, and the cursor of the next (older) page, or null at the end. */
    public record Page(List<Entry> entries, Long nextCursor) {}

    @Inject
    ObjectMapper mapper;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void write(Entry e) {
        writeHere(e);
    }

    /** Records the entry in the caller's transaction: it is committed with the change it describes, or not at all. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void writeInCurrent(Entry e) {
        writeHere(e);
    }

    private void writeHere(Entry e) {
        AuditEntryEntity row = new AuditEntryEntity();
        row.at = e.at();
        row.keyName = e.keyName();
        row.clientAddress = e.clientAddress();
        row.method = e.method();
        row.route = e.route().length() > 255 ? e.route().substring(0, 255) : e.route();
        row.pathParams = toJson(e.pathParams());
        row.status = e.status();
        row.persist();
    }

    /** At most {@code limit} entries older than {@code before} (an entry id; null for the newest). */
    @Transactional
    public Page read(int limit, Long before) {
        var query = before == null
                ? AuditEntryEntity.<AuditEntryEntity>find("order by id desc")
                : AuditEntryEntity.<AuditEntryEntity>find("id < ?1 order by id desc", before);
        List<AuditEntryEntity> rows = query.range(0, limit).list();
        List<Entry> entries = rows.stream()
                .limit(limit)
                .map(r -> new Entry(
                        r.id, r.at, r.keyName, r.clientAddress, r.method, r.route, fromJson(r.pathParams), r.status))
                .toList();
        return new Page(
                entries, rows.size() > limit ? entries.get(entries.size() - 1).id() : null);
    }

    /** Path parameter values as they came (possibly refused ones): bounded and without control characters. */
    static Map<String, String> bounded(Map<String, String> params) {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            String value = v == null ? "" : v.replaceAll("\\p{Cntrl}", "?");
            out.put(k, value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) + "..." : value);
        });
        return out;
    }

    private String toJson(Map<String, String> params) {
        try {
            return mapper.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write path parameters as JSON", e);
        }
    }

    private Map<String, String> fromJson(String json) {
        try {
            return mapper.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
