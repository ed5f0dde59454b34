package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.fixtures.GoldenVectors;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bundle made by the real Capgo CLI 8.68.1 (module test-fixtures), served from the store, is accepted. */
class GoldenVectorTest extends DeviceTestSupport {

    @Test
    void theGoldenBundleFromTheStoreIsInstalledAndConfirmed() throws Exception {
        GoldenVectors.EncryptionRun run = GoldenVectors.RUN1;
        GoldenVectors.copy(
                run.encryptedFile(), store.dir().resolve("bundles"), "com.example.selfhosted_1.0.1.zip_encrypted.zip");
        server.offer(
                run.version(),
                store.url("/bundles/com.example.selfhosted_1.0.1.zip_encrypted.zip"),
                run.encryptedChecksumHex(),
                run.ivSessionKey());

        BundlePublicKey goldenKey = BundlePublicKey.read(GoldenVectors.file("keys/.capgo_key_v2.pub"));
        SimulatedDevice d = device(config().publicKey(goldenKey).build(), "golden");
        d.launch();
        assertThat(server.updateRequests.get(0).object().getString("key_id")).isEqualTo("MIIBCgKCAQEAzNUtP9rS");
        assertThat(d.nextBundle().version()).isEqualTo("1.0.1");
        assertThat(d.nextBundle().checksum()).isEqualTo(run.plainSha256());
        assertThat(d.bytesDownloaded())
                .isEqualTo(GoldenVectors.json()
                        .path("encryption_runs")
                        .path(0)
                        .path("encrypted_file_size")
                        .asLong())
                .isEqualTo(Files.size(GoldenVectors.file(run.encryptedFile())));
        d.background();
        BundleInfo current = d.currentBundle();
        assertThat(current.version()).isEqualTo("1.0.1");
        assertThat(current.status()).as("its js/app.js calls notifyAppReady()").isEqualTo(BundleStatus.SUCCESS);
        Path root = d.stateDir().resolve("files/versions/" + current.id());
        assertThat(root.resolve("index.html")).exists();
        assertThat(root.resolve("js/app.js")).content().contains("notifyAppReady(");
        assertThat(root.resolve("assets/data/big.txt")).exists();
        assertThat(server.statsActions())
                .contains("download_complete", "set")
                .doesNotContain("checksum_fail", "download_fail");
        // sanity: what was installed is what the vector says the plain zip held
        assertThat(BundleChecksum.parse(run.plainSha256()).hex()).isEqualTo(current.checksum());
    }
}
