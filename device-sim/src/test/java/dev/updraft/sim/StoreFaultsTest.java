package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.Platform;
import dev.updraft.sim.CheckResult.Outcome;
import dev.updraft.sim.store.Fault;
import dev.updraft.sim.store.RequestRecord;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each store fault is survived with the plugin's stats, and the device keeps running its previous bundle. Or, for
 * passing faults, the retry (with a Range resume) gets the bundle after all.
 */
class StoreFaultsTest extends DeviceTestSupport {
    private static final int BLOB = 300_000;

    /** A device on a good 1.0.1; 1.0.2 (about 300 kB) is offered and served with the fault. */
    private SimulatedDevice tryUpdateWith(String fault, DeviceConfig cfg) throws Exception {
        SimulatedDevice d = deviceOn("1.0.1", publish("1.0.1", true, 1_000), cfg);
        offer("1.0.2", publish("1.0.2", true, BLOB));
        store.addFault("/bundles/1.0.2.zip", Fault.parse(fault));
        server.statsRequests.clear();
        d.background();
        d.foreground();
        return d;
    }

    private SimulatedDevice survives(String fault, DeviceConfig cfg, String... expectedStats) throws Exception {
        SimulatedDevice d = tryUpdateWith(fault, cfg);
        assertThat(d.lastCheck().outcome()).as(fault).isEqualTo(Outcome.DOWNLOAD_FAILED);
        assertThat(server.statsActions()).as(fault).containsSubsequence(expectedStats);
        assertThat(server.statsActions()).as(fault).doesNotContain("set_next", "set", "download_complete");
        assertThat(d.currentBundle().version()).as(fault).isEqualTo("1.0.1");
        assertThat(d.currentBundle().status()).isEqualTo(BundleStatus.SUCCESS);
        assertThat(d.nextBundle()).isNull();
        assertThat(d.bundle("1.0.2").status()).isEqualTo(BundleStatus.ERROR);
        assertThat(d.hasFolder(d.bundle("1.0.2").id())).isFalse();
        try (var files = java.nio.file.Files.list(d.stateDir().resolve("files"))) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("temp_")))
                    .as("no partial file left")
                    .isEmpty();
        }
        d.background();
        d.foreground(); // still alive and checking
        assertThat(d.currentBundle().version()).isEqualTo("1.0.1");
        return d;
    }

    private static String versionOf(List<JsonObject> events, String action) {
        return events.stream()
                .filter(e -> e.getString("action").equals(action))
                .findFirst()
                .orElseThrow()
                .getString("version_name");
    }

    @Test
    void truncatedBodies() throws Exception {
        survives("truncate:20000", config().build(), "download_fail");
        assertThat(versionOf(server.statsEvents(), "download_fail"))
                .as("a worker failure names the target")
                .isEqualTo("1.0.2");
        List<RequestRecord> gets = store.requests("/bundles/1.0.2.zip");
        assertThat(gets).hasSizeGreaterThanOrEqualTo(3);
        assertThat(gets.get(1).range()).as("the retry resumes").isEqualTo("bytes=20000-");
    }

    @Test
    void aFlippedByte() throws Exception {
        survives("flip", config().build(), "download_zip_complete", "checksum_fail", "download_fail");
        assertThat(versionOf(server.statsEvents(), "checksum_fail"))
                .as("Android: current version")
                .isEqualTo("1.0.1");
        assertThat(versionOf(server.statsEvents(), "download_fail")).isEqualTo("1.0.1");
    }

    @Test
    void aFlippedByteOnIos() throws Exception {
        survives("flip", config().platform(Platform.IOS).build(), "checksum_fail", "download_fail");
        assertThat(versionOf(server.statsEvents(), "checksum_fail"))
                .as("iOS: target version")
                .isEqualTo("1.0.2");
    }

    @Test
    void aWrongContentLength() throws Exception {
        survives("wrong_length", config().build(), "download_fail");
        assertThat(server.statsActions())
                .doesNotContain("checksum_fail"); // Android: a decrypt failure is only download_fail
    }

    @Test
    void aWrongContentLengthOnIos() throws Exception {
        survives("wrong_length", config().platform(Platform.IOS).build(), "decrypt_fail", "download_fail");
    }

    @Test
    void notFoundIsNotRetried() throws Exception {
        survives("404", config().build(), "download_fail");
        assertThat(store.requests("/bundles/1.0.2.zip")).hasSize(2); // one per check
    }

    @Test
    void serverErrorsAreRetriedThenGivenUp() throws Exception {
        survives("500", config().downloadAttempts(4).build(), "download_fail");
        assertThat(store.requests("/bundles/1.0.2.zip"))
                .extracting(RequestRecord::status)
                .startsWith(500, 500, 500, 500);
        assertThat(store.requests("/bundles/1.0.2.zip")).hasSize(8);
    }

    @Test
    void aConnectionDroppedMidway() throws Exception {
        survives("drop", config().build(), "download_fail");
    }

    @Test
    void aBodyThatNeverEndsHitsTheResponseTimeout() throws Exception {
        SimulatedDevice d = survives(
                "hang:1000",
                config().responseTimeoutSeconds(1).downloadAttempts(2).build(),
                "download_fail");
        // each attempt got 1000 bytes and then nothing: the device gave up on it (no byte count or clock reading
        // could tell a hang from a slow store; the timeout's own failure does)
        List<RequestRecord> requests = store.requests("/bundles/1.0.2.zip");
        assertThat(requests).allSatisfy(q -> assertThat(q.fault()).startsWith("hang"));
        assertThat(requests.get(1).range())
                .as("the second attempt resumes after the 1000 bytes")
                .isEqualTo("bytes=1000-");
        DownloadRecord download = d.downloads().stream()
                .filter(x -> x.version().equals("1.0.2"))
                .findFirst()
                .orElseThrow();
        assertThat(download.attempts()).isEqualTo(2);
        assertThat(download.result()).isEqualTo("retries_exhausted");
        assertThat(d.checks())
                .filteredOn(c -> c.outcome() == Outcome.DOWNLOAD_FAILED)
                .first()
                .satisfies(c -> assertThat(c.detail()).isEqualTo("retries_exhausted (io_error: no data for 1000 ms)"));
    }

    @Test
    void aSlowStoreStillDelivers() throws Exception {
        SimulatedDevice d = tryUpdateWith("slow:2000000", config().build());
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.SCHEDULED);
    }

    @Test
    void aPassing503IsRetriedAndTheBundleArrives() throws Exception {
        SimulatedDevice d = tryUpdateWith("503:1#1", config().build());
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.SCHEDULED);
        assertThat(store.requests("/bundles/1.0.2.zip"))
                .extracting(RequestRecord::status)
                .containsExactly(503, 200);
        d.background();
        assertThat(d.currentBundle().version()).isEqualTo("1.0.2");
        assertThat(d.currentBundle().status()).isEqualTo(BundleStatus.SUCCESS);
    }

    @Test
    void aPassingTruncationIsResumedWithRangeAndVerifies() throws Exception {
        SimulatedDevice d = tryUpdateWith("truncate:100000#1", config().build());
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.SCHEDULED);
        List<RequestRecord> gets = store.requests("/bundles/1.0.2.zip");
        assertThat(gets).extracting(RequestRecord::range).containsExactly(null, "bytes=100000-");
        assertThat(gets.get(1).status()).isEqualTo(206);
        DownloadRecord dl = d.downloads().get(d.downloads().size() - 1);
        assertThat(dl.attempts()).isEqualTo(2);
        assertThat(dl.networkBytes()).isEqualTo(dl.size());
        d.background();
        assertThat(d.currentBundle().version()).isEqualTo("1.0.2");
    }
}
