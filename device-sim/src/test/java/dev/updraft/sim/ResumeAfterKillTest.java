package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.sim.store.Fault;
import dev.updraft.sim.store.RequestRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A device killed mid-download, restarted on the same folder, resumes with Range and installs a verified bundle. */
class ResumeAfterKillTest extends DeviceTestSupport {

    private static long partialSize(Path stateDir) throws Exception {
        try (Stream<Path> files = Files.list(stateDir.resolve("files"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("temp_"))
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    @Test
    void aDownloadInterruptedByAKillResumesInTheNextProcess() throws Exception {
        TestBundles.Made m = publish("1.0.1", true, 400_000);
        offer("1.0.1", m);
        store.addFault("/bundles/1.0.1.zip", Fault.parse("slow:100000"));
        // The first process's stats get a 503 (retry later), so whatever it queued is certainly still queued when it is
        // killed, however fast its flush timer runs.
        server.stats = r -> FakeUpdateServer.Reply.raw(503, "");
        DeviceConfig cfg = config().build();
        SimulatedDevice first = device(cfg, "phone");
        Thread app = new Thread(first::launch, "first-process");
        app.start();
        long deadline = System.currentTimeMillis() + 20_000;
        // Half the bundle: well past the first progress steps.
        while (partialSize(first.stateDir()) < 200_000 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        first.kill();
        app.join(10_000);
        assertThat(app.isAlive()).isFalse();
        long partial = partialSize(first.stateDir());
        assertThat(partial).isBetween(200_000L, m.size() - 1);
        assertThat(first.bundle("1.0.1").status()).isEqualTo(BundleStatus.DOWNLOADING);
        assertThat(first.pendingStats())
                .as("queued stats wait for the next process")
                .isNotEmpty();
        store.clearFaults();
        server.stats = r -> FakeUpdateServer.Reply.wire(200, dev.updraft.protocol.StatsAnswers.ok());
        server.statsRequests.clear();

        SimulatedDevice second = device(cfg, "phone"); // the simulator restarted: same folder
        assertThat(second.deviceId()).isEqualTo(first.deviceId());
        second.launch();
        List<RequestRecord> gets = store.requests("/bundles/1.0.1.zip");
        RequestRecord resume = gets.get(gets.size() - 1);
        assertThat(resume.range()).startsWith("bytes=").isNotEqualTo("bytes=0-");
        long offset = Long.parseLong(resume.range().substring(6, resume.range().length() - 1));
        assertThat(offset).isGreaterThanOrEqualTo(partial);
        assertThat(resume.status()).isEqualTo(206);
        assertThat(second.bytesDownloaded()).isEqualTo(m.size() - offset);
        assertThat(second.downloads().get(0).resumedFrom()).isEqualTo(offset);
        assertThat(second.nextBundle().version()).isEqualTo("1.0.1");
        assertThat(second.nextBundle().checksum()).isEqualTo(m.plainChecksum());
        second.background();
        assertThat(second.currentBundle().version()).isEqualTo("1.0.1");
        assertThat(second.currentBundle().status()).isEqualTo(BundleStatus.SUCCESS);
        // Both processes' launches arrive, delivered by the second one (the first one's waited in the queue).
        assertThat(server.statsActions()).filteredOn("app_launch_start"::equals).hasSize(2);
        assertThat(partialSize(second.stateDir())).isZero();
    }
}
