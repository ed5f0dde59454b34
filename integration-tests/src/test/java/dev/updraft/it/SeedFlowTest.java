package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.fixtures.GoldenVectors;
import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.Platform;
import dev.updraft.protocol.UpdateAnswer;
import dev.updraft.sim.BundleInfo;
import dev.updraft.sim.BundleStatus;
import dev.updraft.sim.SimulatedDevice;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The seed flow across real processes: the packaged CLI makes and registers the bundle, the packaged server decides,
 * the store serves it, a simulated device installs it; encrypted, unencrypted, the Capgo CLI's own golden bundle, and
 * a rollback.
 */
class SeedFlowTest extends EndToEnd {
    /** The seed flow runs each command as the real process a team runs (EndToEnd's other scenarios run it in-JVM). */
    @Override
    CliRunner.Mode cliMode() {
        return CliRunner.Mode.PROCESS;
    }

    @Test
    void encryptedBundleMadeByTheCliIsOfferedInstalledAndCounted() throws Exception {
        SampleProject p = project("dev.updraft.it.seed");
        String keyId = p.keyCreate().path("keyId").asText();
        SampleProject.Release r = p.release("1.0.1", p.www(), true, true);
        publish(p, r, "production");

        // What a matching device is told, byte for byte: exactly the four keys of an update answer.
        InfoObject info = InfoObject.builder()
                .platform(Platform.ANDROID)
                .deviceId("6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f")
                .appId(p.appId())
                .customId("")
                .versionBuild("1.0.0")
                .versionCode("1")
                .versionOs("14")
                .versionName("1.0.0")
                .pluginVersion("8.51.23")
                .isEmulator(false)
                .isProd(true)
                .installSource("google_play")
                .defaultChannel("")
                .keyId(keyId)
                .build();
        HttpResponse<String> answer = rawUpdateCheck(info);
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder("version", "url", "session_key", "checksum");
        assertThat(body.path("version").asText()).isEqualTo("1.0.1");
        assertThat(body.path("url").asText()).isEqualTo(storeUrl(p, r));
        assertThat(body.path("session_key").asText()).isEqualTo(r.ivSessionKey());
        assertThat(body.path("checksum").asText()).isEqualTo(r.checksum()).hasSize(512);

        SimulatedDevice d = device(p.appId(), p.publicKeyFile());
        launchAndApply(d);
        assertThat(d.currentBundle())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.1", BundleStatus.SUCCESS);
        assertThat(d.sentActions()).contains("download_complete", "set_next", "set");

        d.checkForUpdate();
        assertThat(d.lastCheck().answer().kind()).isEqualTo(UpdateAnswer.Kind.UP_TO_DATE);
        assertThat(d.lastCheck().answer().error()).isEqualTo("no_new_version_available");

        JsonNode stats = p.versionStats("1.0.1");
        assertThat(stats.path("installs").asInt()).isEqualTo(1);
        assertThat(stats.path("failures").asInt()).isZero();
        assertThat(stats.path("devices").asInt()).isEqualTo(1);
    }

    @Test
    void unencryptedBundleGoesToDevicesWithoutAKeyAndIsRefusedByDevicesWithOne() throws Exception {
        SampleProject p = project("dev.updraft.it.plain");
        SampleProject.Release r = p.release("1.0.1", p.www(), false, true);
        assertThat(r.checksum()).hasSize(64);
        publish(p, r, "production");

        SimulatedDevice plain = device(p.appId(), null);
        launchAndApply(plain);
        assertThat(plain.currentBundle())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.1", BundleStatus.SUCCESS);

        // A device that has a public key: as the Capgo cloud, the server offers the unencrypted bundle (a bundle
        // without a
        // key id has nothing to compare, docs/protocol.md §2.9 rule 7), and the plugin refuses it before downloading a
        // byte: fail-closed, session_key_required.
        Path otherKey = work.resolve("other.pub");
        Files.writeString(otherKey, BundlePrivateKey.generate().publicKey().toPem());
        SimulatedDevice keyed = device(p.appId(), otherKey);
        keyed.launch();
        assertThat(keyed.lastCheck().answer().kind()).isEqualTo(UpdateAnswer.Kind.UPDATE);
        assertThat(keyed.lastCheck().answer().sessionKey()).isEmpty();
        assertThat(keyed.lastCheck().outcome()).isEqualTo(dev.updraft.sim.CheckResult.Outcome.REFUSED);
        assertThat(keyed.lastCheck().detail()).isEqualTo("session_key_required");
        assertThat(keyed.currentBundle().isBuiltin()).isTrue();
        assertThat(keyed.bytesDownloaded()).isZero();
    }

    @Test
    void theCapgoClisGoldenBundleIsServedFromTheStoreAndAccepted() throws Exception {
        GoldenVectors.EncryptionRun golden = GoldenVectors.RUN1;
        String appId = golden.appId();
        SampleProject p = project(appId);
        Path pub = GoldenVectors.copy("keys/.capgo_key_v2.pub", p.dir(), "golden.pub");
        Path zip =
                GoldenVectors.copy(golden.encryptedFile(), p.dir(), "com.example.selfhosted_1.0.1.zip_encrypted.zip");

        SampleProject.Release r =
                new SampleProject.Release(golden.version(), zip, golden.encryptedChecksumHex(), golden.ivSessionKey());
        publish(p, r, "production", "--public-key", pub.toString());
        JsonNode bundle = admin("/api/v1/apps/" + appId + "/bundles/1.0.1");
        assertThat(bundle.path("key_id").asText()).isEqualTo(golden.keyId());

        SimulatedDevice d = device(appId, pub);
        launchAndApply(d);
        assertThat(d.currentBundle())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.1", BundleStatus.SUCCESS);
        assertThat(d.currentBundle().checksum()).isEqualTo(golden.plainSha256());
    }

    @Test
    void aReleaseThatNeverCallsNotifyAppReadyIsRolledBackAndCountedAsAFailure() throws Exception {
        SampleProject p = encryptedApp("dev.updraft.it.rollback", "1.0.1");
        SimulatedDevice d = device(p.appId(), p.publicKeyFile());
        launchAndApply(d);
        assertThat(d.currentBundle().version()).isEqualTo("1.0.1");

        Path broken = p.variant("www-1.0.2", "1.0.2", false);
        publish(p, p.release("1.0.2", broken, true, false), "production");
        nextCycle(d);

        assertThat(d.currentBundle())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.1", BundleStatus.SUCCESS);
        assertThat(d.sentActions()).contains("update_fail");
        JsonNode stats = p.versionStats("1.0.2");
        assertThat(stats.path("failures").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(stats.path("actions").path("update_fail").asInt()).isEqualTo(1);
    }
}
