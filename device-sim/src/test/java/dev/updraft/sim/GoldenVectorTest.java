package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundlePublicKey;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bundle made by the real Capgo CLI 8.68.1 (shared/vectors), served from the store, is accepted. */
class GoldenVectorTest extends DeviceTestSupport {

    private static Path resource(String name) throws Exception {
        return Path.of(GoldenVectorTest.class.getClassLoader().getResource("golden/" + name).toURI());
    }

    @Test
    void theGoldenBundleFromTheStoreIsInstalledAndConfirmed() throws Exception {
        JsonObject run = new JsonObject(Files.readString(resource("run1.json")));
        Path served = store.dir().resolve("bundles/com.example.selfhosted_1.0.1.zip_encrypted.zip");
        Files.createDirectories(served.getParent());
        Files.copy(resource(run.getString("encrypted_file")), served);
        server.offer("1.0.1", store.url("/bundles/com.example.selfhosted_1.0.1.zip_encrypted.zip"), run.getString("checksum"),
                run.getString("ivSessionKey"));

        BundlePublicKey goldenKey = BundlePublicKey.read(resource("capgo_key_v2.pub"));
        SimulatedDevice d = device(config().publicKey(goldenKey).build(), "golden");
        d.launch();
        assertThat(server.updateRequests.get(0).object().getString("key_id")).isEqualTo("MIIBCgKCAQEAzNUtP9rS");
        assertThat(d.nextBundle().version()).isEqualTo("1.0.1");
        assertThat(d.nextBundle().checksum()).isEqualTo(run.getString("plain_sha256"));
        assertThat(d.bytesDownloaded()).isEqualTo(run.getLong("encrypted_file_size"));
        d.background();
        BundleInfo current = d.currentBundle();
        assertThat(current.version()).isEqualTo("1.0.1");
        assertThat(current.status()).as("its js/app.js calls notifyAppReady()").isEqualTo(BundleStatus.SUCCESS);
        Path root = d.stateDir().resolve("files/versions/" + current.id());
        assertThat(root.resolve("index.html")).exists();
        assertThat(root.resolve("js/app.js")).content().contains("notifyAppReady(");
        assertThat(root.resolve("assets/data/big.txt")).exists();
        assertThat(server.statsActions()).contains("download_complete", "set").doesNotContain("checksum_fail", "download_fail");
        // sanity: what was installed is what the vector says the plain zip held
        assertThat(BundleChecksum.parse(run.getString("plain_sha256")).hex()).isEqualTo(current.checksum());
    }
}
