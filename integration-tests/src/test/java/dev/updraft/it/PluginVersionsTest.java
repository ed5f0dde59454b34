package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.sim.BundleInfo;
import dev.updraft.sim.BundleStatus;
import dev.updraft.sim.ChannelResult;
import dev.updraft.sim.CheckResult;
import dev.updraft.sim.SimulatedDevice;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Devices of different plugin versions against the packaged server (docs/simulator.md, "Plugin versions"): one playing
 * plugin 7.30.0 (no {@code key_id}, its channel choice stored by the server, {@code unsetChannel} a {@code DELETE}) and
 * one playing 8.51.23 install the same encrypted release made by the CLI and served by the store; and devices that
 * carry different keys install one release published for two keys (docs/operations.md, "Key rotation").
 */
class PluginVersionsTest extends EndToEnd {
    /** Before key ids (7.50.1) and before the on-device channel (7.34). */
    static final String PLUGIN_7 = "7.30.0";

    static final String PLUGIN_8 = "8.51.23";

    @Test
    void aPlugin7DeviceWithoutAKeyIdAndAPlugin8DeviceBothInstallAnEncryptedRelease() throws Exception {
        SampleProject p = encryptedApp("dev.updraft.it.versions", "1.0.1");
        SimulatedDevice old = device(p.appId(), p.publicKeyFile(), b -> b.pluginVersion(PLUGIN_7));
        SimulatedDevice current = device(p.appId(), p.publicKeyFile(), b -> b.pluginVersion(PLUGIN_8));
        assertThat(old.infoObject().pluginVersion()).isEqualTo(PLUGIN_7);
        assertThat(old.infoObject().keyId())
                .as("plugin 7.30 sends no key_id, although it has the public key")
                .isNull();
        assertThat(current.infoObject().keyId()).hasSize(20);

        launchAndApply(old);
        launchAndApply(current);

        for (SimulatedDevice d : List.of(old, current)) {
            String who = d.config().plugin() + ": "
                    + d.checks().stream().map(CheckResult::answer).toList();
            assertThat(d.currentBundle())
                    .as(who)
                    .extracting(BundleInfo::version, BundleInfo::status)
                    .containsExactly("1.0.1", BundleStatus.SUCCESS);
            assertThat(d.sentActions())
                    .as(who)
                    .contains("download_complete", "set")
                    .doesNotContain("download_fail", "update_fail");
            d.checkForUpdate();
            assertThat(d.lastCheck().outcome()).as(who).isEqualTo(CheckResult.Outcome.NO_UPDATE);
            assertThat(d.lastCheck().answer().error()).isEqualTo("no_new_version_available");
        }
        JsonNode stats = p.versionStats("1.0.1");
        assertThat(stats.path("installs").asInt()).as(stats.toString()).isEqualTo(2);
        assertThat(stats.path("devices").asInt()).isEqualTo(2);
        assertThat(stats.path("failures").asInt()).isZero();
    }

    @Test
    void aPlugin7DeviceChoosesItsChannelThroughTheServerStoreAndUnsetsItWithDelete() throws Exception {
        SampleProject p = encryptedApp("dev.updraft.it.store7", "1.0.1");
        publish(p, p.release("1.1.0-beta.1", p.variant("www-beta", "beta", true), true, true), "beta");
        p.run("channel", "set", "beta", p.appId(), "--self-assign");
        SimulatedDevice d = device(p.appId(), p.publicKeyFile(), b -> b.pluginVersion(PLUGIN_7));

        ChannelResult set = d.setChannel("beta");
        assertThat(set.ok()).as(set.toString()).isTrue();
        assertThat(d.infoObject().defaultChannel())
                .as("the choice is not kept on the device")
                .isEmpty();
        ChannelResult stored = d.getChannel();
        assertThat(stored.channel()).as(stored.toString()).isEqualTo("beta");
        assertThat(stored.status()).isEqualTo("override");

        launchAndApply(d);
        assertThat(d.currentBundle())
                .as(d.log().toString())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.1.0-beta.1", BundleStatus.SUCCESS);
        assertThat(d.infoObject().defaultChannel())
                .as("served by the server's store, not by defaultChannel")
                .isEmpty();

        ChannelResult unset = d.unsetChannel(); // DELETE /channel_self: the only way this device can tell the server
        assertThat(unset.ok()).as(unset.toString()).isTrue();
        assertThat(unset.httpStatus()).as("an answer came from the server").isEqualTo(200);
        ChannelResult after = d.getChannel();
        assertThat(after.channel()).isEqualTo("production");
        assertThat(after.status()).isEqualTo("default");

        nextCycle(d);
        assertThat(d.currentBundle())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.1", BundleStatus.SUCCESS);
    }

    @Test
    void aReleaseForTwoKeys_isInstalledByDevicesWithEitherKey_andAThirdKeyGetsKeyIdMismatch() throws Exception {
        SampleProject p = project("dev.updraft.it.rotation");
        p.keyCreate();
        JsonNode rotated = p.json("key", "create", "--rotate");
        Path oldKey = p.publicKeyFile();
        Path newKey = p.dir().resolve(".capgo_key_v2.next.pub");
        assertThat(rotated.path("keyId").asText())
                .isNotEqualTo(rotated.path("currentKeyId").asText());
        SampleProject.Release zip = p.release("1.0.1", p.www(), false, true);
        JsonNode up = p.json(
                "bundle",
                "upload",
                p.appId(),
                "--bundle",
                "1.0.1",
                "--upload-to",
                store.url("/cas/"),
                "--upload-file",
                zip.file().toString(),
                "--upload-token",
                UPLOAD_TOKEN,
                "--key",
                ".capgo_key_v2",
                "--key",
                ".capgo_key_v2.next",
                "--channel",
                "production");
        assertThat(up.path("key_id").asText())
                .isEqualTo(rotated.path("currentKeyId").asText());
        assertThat(up.path("variants").get(0).path("key_id").asText())
                .isEqualTo(rotated.path("keyId").asText());
        JsonNode registered = admin("/api/v1/apps/" + p.appId() + "/bundles/1.0.1");
        assertThat(registered.path("variants").get(0).path("external_url").asText())
                .as("each key's variant is its own file")
                .isNotEqualTo(registered.path("external_url").asText());

        Path thirdKey = work.resolve("third.pub");
        java.nio.file.Files.writeString(
                thirdKey, BundlePrivateKey.generate().publicKey().toPem());
        SimulatedDevice oldBuild = device(p.appId(), oldKey, b -> b.pluginVersion(PLUGIN_8));
        SimulatedDevice newBuild = device(p.appId(), newKey, b -> b.pluginVersion(PLUGIN_8));
        SimulatedDevice noKeyId = device(p.appId(), oldKey, b -> b.pluginVersion(PLUGIN_7));
        SimulatedDevice stranger = device(p.appId(), thirdKey, b -> b.pluginVersion(PLUGIN_8));
        for (SimulatedDevice d : List.of(oldBuild, newBuild, noKeyId)) {
            launchAndApply(d);
            String who = d.config().publicKey().keyId() + " " + d.config().plugin() + ": "
                    + d.checks().stream().map(CheckResult::answer).toList();
            assertThat(d.currentBundle())
                    .as(who)
                    .extracting(BundleInfo::version, BundleInfo::status)
                    .containsExactly("1.0.1", BundleStatus.SUCCESS);
            assertThat(d.sentActions()).as(who).doesNotContain("decrypt_fail", "checksum_fail", "download_fail");
        }
        launchAndApply(stranger);
        assertThat(stranger.checks().get(0).answer().error()).isEqualTo("key_id_mismatch");
        assertThat(stranger.currentBundle().version()).isNotEqualTo("1.0.1");
    }
}
