package dev.updraft.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The expected failures of a client: one scenario name per line; {@code #} starts a comment; blank lines are
 * ignored. A name that is no scenario is an error (a typo would otherwise hide a real failure).
 */
final class Xfail {
    private Xfail() {}

    static Set<String> read(Path file, List<Scenario> all) throws IOException {
        Set<String> known = new LinkedHashSet<>();
        all.forEach(s -> known.add(s.name()));
        Set<String> names = new LinkedHashSet<>();
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            int hash = line.indexOf('#');
            String name = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException(
                        file + ":" + n + ": '" + name + "' is not a scenario (./updraft conformance list shows them)");
            }
            names.add(name);
        }
        return names;
    }
}
