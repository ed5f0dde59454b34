package dev.updraft.sim.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The store's faults by path: a path ({@code "/a.zip"}), a prefix ({@code "/app/delta/*"}: every payload of a delta
 * release) or every path ({@link MockStore#ALL_PATHS}). A path's own faults come before its prefixes' (longest first)
 * and those before the {@code "*"} faults; the first fault that has not worn off applies. Thread-safe.
 */
final class FaultRegistry {
    private final Map<String, List<Fault>> faults = new ConcurrentHashMap<>();

    void add(String path, Fault fault) {
        faults.computeIfAbsent(key(path), k -> new CopyOnWriteArrayList<>()).add(fault);
    }

    void clear() {
        faults.clear();
    }

    void clear(String path) {
        faults.remove(key(path));
    }

    /** The faults set now, by path; worn-off one-shot faults are gone. */
    Map<String, List<Fault>> live() {
        Map<String, List<Fault>> m = new LinkedHashMap<>();
        faults.forEach((k, v) -> {
            List<Fault> live = v.stream().filter(f -> !f.wornOff()).toList();
            if (!live.isEmpty()) {
                m.put(k, live);
            }
        });
        return m;
    }

    /** {@code "a.zip"} and {@code "/a.zip"} are one key; {@code "*"} stays. */
    static String key(String path) {
        return path.equals(MockStore.ALL_PATHS) || path.startsWith("/") ? path : "/" + path;
    }

    /**
     * Takes the fault that applies to a request for {@code path} (one use of it), or null.
     *
     * @param wholeResponseOnly only faults that replace the whole response (a HEAD has no body to spoil)
     */
    Fault take(String path, boolean wholeResponseOnly) {
        for (String key : keysFor(path)) {
            List<Fault> list = faults.get(key);
            if (list == null) {
                continue;
            }
            for (Fault f : list) {
                if (wholeResponseOnly && !f.kind().replacesResponse()) {
                    continue;
                }
                if (f.take()) {
                    if (f.wornOff()) {
                        list.remove(f);
                    }
                    return f;
                }
                list.remove(f);
            }
        }
        return null;
    }

    /**
     * The keys whose faults apply to {@code path}, most specific first: the path itself, then the prefixes that end
     * in {@code *} (longest first: {@code /app/delta/*} before {@code /app/*}), then {@link MockStore#ALL_PATHS}.
     */
    private List<String> keysFor(String path) {
        List<String> keys = new ArrayList<>();
        keys.add(path);
        faults.keySet().stream()
                .filter(k -> k.length() > 1
                        && k.endsWith(MockStore.ALL_PATHS)
                        && path.startsWith(k.substring(0, k.length() - 1)))
                .sorted((a, b) -> b.length() - a.length())
                .forEach(keys::add);
        keys.add(MockStore.ALL_PATHS);
        return keys;
    }
}
