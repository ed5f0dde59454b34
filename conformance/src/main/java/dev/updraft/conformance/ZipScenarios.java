package dev.updraft.conformance;

import dev.updraft.conformance.Release.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Hostile bundle zips (docs/protocol.md §8.3; the duplicate and zip-bomb limits are Updraft's own rule). */
final class ZipScenarios {
    private ZipScenarios() {}

    /** The failures of the unzip stage (docs/protocol.md §3.3). */
    static final Set<String> UNZIP_FAILURES =
            Set.of("unzip_fail", "canonical_path_fail", "windows_path_fail", "directory_path_fail");

    static final String MARKER = "conformance-hostile-entry";

    static Entry index() {
        return Entry.file("index.html", "<script>CapacitorUpdater.notifyAppReady()</script>\n");
    }

    /** A zip with a good page plus {@code hostile}: refused at unzip, nothing written, the device keeps its bundle. */
    private static Scenario refused(String name, String section, String summary, HostileEntries hostile) {
        return new Scenario(name, section, summary, c -> {
            List<Entry> entries = new ArrayList<>();
            entries.add(index());
            entries.addAll(hostile.entries(c));
            Release r = Release.rawZip("1.0.1", entries, c.stage().store().dir(), c.app(), c.key());
            c.publish(r);
            c.start();
            c.installCycle();
            c.expect(
                    UNZIP_FAILURES.stream().anyMatch(a -> c.sent(a, null)),
                    "a zip with a hostile entry must fail the unzip stage (" + UNZIP_FAILURES + ")");
            c.expectSent("download_fail", null);
            c.expectNotSent("set");
            c.expectBuiltin();
            c.expectNothingWritten(MARKER);
        });
    }

    @FunctionalInterface
    interface HostileEntries {
        List<Entry> entries(ScenarioContext c);
    }

    static List<Scenario> all() {
        return List.of(
                refused(
                        "zip/traversal",
                        "§8.3",
                        "an entry ../../x",
                        c -> List.of(Entry.file("../../conformance-escape.txt", MARKER))),
                refused(
                        "zip/absolute",
                        "§8.3",
                        "an absolute entry name",
                        c -> List.of(Entry.file(
                                c.dir()
                                        .toAbsolutePath()
                                        .resolve("absolute-escape.txt")
                                        .toString(),
                                MARKER))),
                refused(
                        "zip/backslash",
                        "§8.3",
                        "an entry name with a backslash",
                        c -> List.of(Entry.file("..\\..\\conformance-escape.txt", MARKER))),
                refused(
                        "zip/nul",
                        "§8.3",
                        "an entry name with a NUL character",
                        c -> List.of(Entry.file("js/evil\u0000.js", MARKER))),
                refused(
                        "zip/duplicate",
                        "Updraft's own rule (docs/protocol.md §8.3)",
                        "two entries for index.html",
                        c -> List.of(Entry.file("index.html", MARKER))),
                refused(
                        "zip/bomb",
                        "Updraft's own rule (docs/protocol.md §8.3)",
                        "an entry that inflates 16 MiB of zeros (compression ratio far above 200)",
                        c -> List.of(new Entry("assets/bomb.bin", new byte[16 * 1024 * 1024], false))),
                new Scenario(
                        "zip/symlink",
                        "§8.3 (by platform)",
                        "a link entry pointing outside: iOS refuses it; Android writes it as a plain file; never a link",
                        c -> {
                            List<Entry> entries =
                                    List.of(index(), new Entry("escape", "/etc/hostname".getBytes(), true));
                            Release r = Release.rawZip(
                                    "1.0.1", entries, c.stage().store().dir(), c.app(), c.key());
                            c.publish(r);
                            c.start();
                            c.installCycle();
                            c.expectNothingWritten("\u0000never-a-marker\u0000"); // links only
                            boolean refused = UNZIP_FAILURES.stream().anyMatch(a -> c.sent(a, null));
                            if (c.ios()) {
                                c.expect(refused, "iOS checks links: a link pointing outside must fail the unzip");
                                c.expectBuiltin();
                            } else if (!refused) {
                                c.expectRunning("1.0.1");
                            }
                        }));
    }
}
