package dev.updraft.sim.store;

import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/** The requests the store answered (the last 100 000), oldest first; and the JSON error answers that record them. */
final class RequestLog {
    private static final int MAX_RECORDS = 100_000;

    private final List<RequestRecord> requests = new ArrayList<>();

    synchronized List<RequestRecord> all() {
        return List.copyOf(requests);
    }

    List<RequestRecord> forPath(String path) {
        String p = FaultRegistry.key(path);
        return all().stream().filter(r -> r.path().equals(p)).toList();
    }

    synchronized void clear() {
        requests.clear();
    }

    synchronized void record(HttpServerRequest req, int status, Fault fault) {
        if (requests.size() >= MAX_RECORDS) {
            requests.remove(0);
        }
        requests.add(new RequestRecord(
                System.currentTimeMillis(),
                req.method().name(),
                req.path(),
                req.getHeader("Range"),
                status,
                fault == null ? null : fault.toString()));
    }
}
