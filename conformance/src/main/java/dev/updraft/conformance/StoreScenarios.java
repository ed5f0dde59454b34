package dev.updraft.conformance;

import dev.updraft.sim.store.RequestRecord;
import java.util.List;

/** What the company's store does wrong, and the resume after a kill (docs/protocol.md §8.1, §5.5). */
final class StoreScenarios {
    private StoreScenarios() {}

    /** One store fault that the client must survive and then install through (the fault wears off). */
    private static Scenario recovers(String name, String fault, String summary, int minGets, boolean range) {
        return new Scenario(name, "§8.1", summary, c -> {
            Release r = c.release("1.0.1", true, 64 * 1024, c.key());
            c.publish(r);
            c.storeFault(r, fault);
            c.start();
            c.installCycle();
            List<RequestRecord> gets = c.storeGets(r);
            c.expect(
                    gets.size() >= minGets,
                    "expected at least " + minGets + " GETs of the bundle (a retry after '" + fault + "'), saw "
                            + gets.size());
            if (range) {
                c.expect(
                        gets.stream()
                                .anyMatch(g -> g.range() != null && g.range().matches("bytes=[1-9][0-9]*-")),
                        "the retry after '" + fault + "' must resume with Range: bytes=<n>-; Range headers seen: "
                                + gets.stream().map(RequestRecord::range).toList());
            }
            c.expectInstalled(r);
        });
    }

    /** One store fault that never wears off: the download fails, the client keeps what it runs. */
    private static Scenario fails(String name, String section, String fault, String summary, Integer exactGets) {
        return new Scenario(name, section, summary, c -> {
            Release r = c.release("1.0.1", true, 64 * 1024, c.key());
            c.publish(r);
            c.storeFault(r, fault);
            c.start();
            c.call("launch"); // one update check: its download and the retries it makes
            c.expectSent("download_fail", null);
            c.expectNotSent("set");
            c.expectBuiltin();
            if (exactGets != null) {
                c.expect(
                        c.storeGets(r).size() == exactGets,
                        "expected exactly " + exactGets + " GET(s) of the bundle" + " after '" + fault + "', saw "
                                + c.storeGets(r).size());
            } else {
                c.expect(
                        c.storeGets(r).size() >= 2,
                        "'" + fault + "' must be retried, saw " + c.storeGets(r).size() + " GET(s)");
            }
        });
    }

    static List<Scenario> all() {
        return List.of(
                new Scenario(
                        "store/flip",
                        "§5.5",
                        "a corrupted byte fails verification: a verify failure, download_fail, nothing applied",
                        c -> {
                            Release r = c.release("1.0.1", true, 64 * 1024, c.key());
                            c.publish(r);
                            c.storeFault(r, "flip");
                            c.start();
                            c.installCycle();
                            c.expect(
                                    c.sent("checksum_fail", null) || c.sent("decrypt_fail", null),
                                    "a corrupted download must fail its checksum (checksum_fail, or decrypt_fail on iOS)");
                            c.expectSent("download_fail", null);
                            c.expectNotSent("set");
                            c.expectBuiltin();
                        }),
                recovers(
                        "store/truncate-resumed",
                        "truncate:20000#1",
                        "a body cut off after 20000 bytes is resumed with Range and installed",
                        2,
                        true),
                fails(
                        "store/wrong-length",
                        "§8.1",
                        "wrong_length:-1",
                        "a Content-Length one byte short: the size check fails, download_fail",
                        1),
                recovers(
                        "store/drop-resumed",
                        "drop:50#1",
                        "a connection dropped half-way is retried and installed",
                        2,
                        false),
                fails("store/404", "§8.1", "404", "a 404 fails at once: one GET, no retry, download_fail", 1),
                recovers("store/500-retried", "500#1", "a 500 is retried with backoff and installed", 2, false),
                fails(
                        "store/500-persistent",
                        "§8.1",
                        "500",
                        "a store that always answers 500: retried, then download_fail",
                        null),
                recovers(
                        "store/503-retry-after",
                        "503:2#1",
                        "a 503 with Retry-After is retried and installed",
                        2,
                        false),
                recovers("store/slow", "slow:65536", "a slow store: the download completes", 1, false),
                recovers(
                        "store/hang-retried",
                        "hang#1",
                        "a store that hangs hits the client's read timeout, is retried and installed",
                        2,
                        false),
                new Scenario(
                        "resume/after-kill",
                        "§8.1, §8.7",
                        "a download cut by killing the process resumes with Range at the next launch",
                        c -> {
                            Release r = c.release("1.0.1", true, 96 * 1024, c.key());
                            c.publish(r);
                            c.storeFault(r, "slow:16384");
                            c.start();
                            c.killDuringDownload(r);
                            c.clearStoreFaults();
                            int before = c.storeGets(r).size();
                            c.restartClient();
                            c.installCycle();
                            List<RequestRecord> after = c.storeGets(r)
                                    .subList(before, c.storeGets(r).size());
                            c.expect(!after.isEmpty(), "the restarted client did not download 1.0.1 again");
                            c.expect(
                                    after.get(0).range() != null
                                            && after.get(0).range().matches("bytes=[1-9][0-9]*-"),
                                    "the first GET after the restart must resume with Range: bytes=<n>-, it had "
                                            + after.get(0).range());
                            c.expectInstalled(r);
                        }));
    }
}
