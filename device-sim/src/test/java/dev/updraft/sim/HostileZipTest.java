package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.sim.CheckResult.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Zips with hostile entry names are refused with the plugin's stat, and nothing lands outside the device folder. */
class HostileZipTest extends DeviceTestSupport {

    private SimulatedDevice install(String entryName) throws Exception {
        TestBundles.Made m = TestBundles.hostile(tmp.resolve("build"), "evil", entryName, teamKey);
        Files.createDirectories(store.dir().resolve("bundles"));
        Files.copy(m.file(), store.dir().resolve("bundles/6.6.6.zip"));
        server.offer(m, "6.6.6", urlOf("6.6.6"));
        SimulatedDevice d = device();
        d.launch();
        return d;
    }

    private void assertNoEvilFileAnywhere() throws Exception {
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(p -> p.getFileName().toString().equals("evil.txt")))
                    .isEmpty();
        }
        assertThat(Path.of("/evil.txt")).doesNotExist();
        assertThat(tmp.getParent().resolve("evil.txt")).doesNotExist();
    }

    @Test
    void pathTraversalIsRefusedWithCanonicalPathFail() throws Exception {
        SimulatedDevice d = install("../../../../../../../../evil.txt");
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.DOWNLOAD_FAILED);
        assertThat(server.statsActions()).containsSubsequence("canonical_path_fail", "download_fail");
        assertThat(server.statsEvents())
                .filteredOn(e -> e.getString("action").equals("canonical_path_fail"))
                .singleElement()
                .satisfies(e -> assertThat(e.getString("version_name")).isEqualTo("1.0.0"));
        assertThat(d.currentBundle().isBuiltin()).isTrue();
        assertThat(d.nextBundle()).isNull();
        assertThat(d.bundle("6.6.6").status()).isEqualTo(BundleStatus.ERROR);
        assertNoEvilFileAnywhere();
        try (Stream<Path> cache = Files.list(d.stateDir().resolve("cache"))) {
            assertThat(cache).as("no extraction folder or decrypted zip left").isEmpty();
        }
    }

    @Test
    void anAbsolutePathIsRefused() throws Exception {
        install("/tmp/evil.txt");
        assertThat(server.statsActions()).containsSubsequence("canonical_path_fail", "download_fail");
        assertThat(Path.of("/tmp/evil.txt")).doesNotExist();
    }

    @Test
    void aBackslashPathIsRefusedWithWindowsPathFail() throws Exception {
        SimulatedDevice d = install("..\\..\\evil.txt");
        assertThat(server.statsActions()).containsSubsequence("windows_path_fail", "download_fail");
        assertThat(d.currentBundle().isBuiltin()).isTrue();
        assertNoEvilFileAnywhere();
    }
}
