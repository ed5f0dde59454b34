package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.UpdateAnswer;
import dev.updraft.sim.BundleInfo;
import dev.updraft.sim.BundleStatus;
import dev.updraft.sim.ChannelResult;
import dev.updraft.sim.SimulatedDevice;
import dev.updraft.sim.store.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Channels, overrides, the server's semver gates, key rotation and a corrupting store, end to end. */
class ChannelPolicyTest extends EndToEnd {

    @Test
    void aDeviceThatSelfAssignsTheBetaChannelGetsTheBetaBundle() throws Exception {
        SampleProject p = encryptedApp("dev.updraft.it.beta", "1.0.1");
        publish(p, p.release("1.1.0-beta.1", p.variant("www-beta", "beta", true), true, true), "beta");
        p.run("channel", "set", "beta", p.appId(), "--self-assign");

        SimulatedDevice tester = device(p.appId(), p.publicKeyFile());
        SimulatedDevice user = device(p.appId(), p.publicKeyFile());
        ChannelResult listed = tester.listChannels();
        assertThat(listed.ok()).isTrue();
        assertThat(listed.channels()).extracting(ChannelResult.Channel::name).contains("beta");
        ChannelResult set = tester.setChannel("beta");
        assertThat(set.ok()).as(set.toString()).isTrue();
        assertThat(tester.getChannel().channel()).isEqualTo("beta");

        launchAndApply(tester);
        launchAndApply(user);
        assertThat(tester.currentBundle().version()).isEqualTo("1.1.0-beta.1");
        assertThat(user.currentBundle().version()).isEqualTo("1.0.1");
    }

    @Test
    void aChannelThatDoesNotAllowSelfAssignIsRefused() throws Exception {
        SampleProject p = encryptedApp("dev.updraft.it.private", "1.0.1");
        publish(p, p.release("1.0.2", p.variant("www-internal", "internal", true), true, true), "internal");

        SimulatedDevice d = device(p.appId(), p.publicKeyFile());
        ChannelResult set = d.setChannel("internal");
        assertThat(set.ok()).isFalse();
        assertThat(set.error()).isNotBlank();
        launchAndApply(d);
        assertThat(d.currentBundle().version()).isEqualTo("1.0.1");
    }

    @Test
    void anOverrideMovesOneDeviceAndNoOther() throws Exception {
        SampleProject p = encryptedApp("dev.updraft.it.override", "1.0.1");
        publish(p, p.release("1.0.2", p.variant("www-canary", "canary", true), true, true), "canary");

        SimulatedDevice pinned = device(p.appId(), p.publicKeyFile());
        SimulatedDevice other = device(p.appId(), p.publicKeyFile());
        p.run("device", "override", pinned.deviceId(), p.appId(), "--channel", "canary");

        launchAndApply(pinned);
        launchAndApply(other);
        assertThat(pinned.currentBundle().version()).isEqualTo("1.0.2");
        assertThat(other.currentBundle().version()).isEqualTo("1.0.1");
        // "devices seen" are written about once a second, off the request path
        String devices = "/api/v1/apps/" + p.appId() + "/devices";
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (admin(devices).path("entries").size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        for (var seen : admin(devices).path("entries")) {
            String expected = seen.path("device_id").asText().equals(pinned.deviceId()) ? "canary" : "null";
            assertThat(seen.path("channel_override").asText())
                    .as(seen.toString())
                    .isEqualTo(expected);
        }
        assertThat(admin(devices).path("entries")).hasSize(2);
    }

    @Test
    void disableAutoUpdateMajorBlocksAMajorBundleForOldNativeVersions() throws Exception {
        SampleProject p = encryptedApp("dev.updraft.it.major", "2.0.1");
        p.run("channel", "set", "production", p.appId(), "--disable-auto-update", "major");

        SimulatedDevice oldNative = device(p.appId(), p.publicKeyFile(), b -> b.versionBuild("1.4.0"));
        SimulatedDevice newNative = device(p.appId(), p.publicKeyFile(), b -> b.versionBuild("2.0.0"));
        launchAndApply(oldNative);
        launchAndApply(newNative);

        UpdateAnswer blocked = oldNative.checks().get(0).answer();
        assertThat(blocked.kind()).isEqualTo(UpdateAnswer.Kind.BLOCKED);
        assertThat(blocked.error()).isEqualTo("disable_auto_update_to_major");
        assertThat(oldNative.currentBundle().isBuiltin()).isTrue();
        assertThat(oldNative.bytesDownloaded()).isZero();
        assertThat(newNative.currentBundle().version()).isEqualTo("2.0.1");
    }

    @Test
    void disableAutoUpdateUnderNativeRefusesADowngrade() throws Exception {
        SampleProject p = encryptedApp("dev.updraft.it.downgrade", "1.5.0");

        SimulatedDevice newer = device(p.appId(), p.publicKeyFile(), b -> b.versionBuild("2.0.0"));
        SimulatedDevice older = device(p.appId(), p.publicKeyFile(), b -> b.versionBuild("1.0.0"));
        launchAndApply(newer);
        launchAndApply(older);

        assertThat(newer.checks().get(0).answer().error()).isEqualTo("disable_auto_update_under_native");
        assertThat(newer.checks().get(0).answer().kind()).isEqualTo(UpdateAnswer.Kind.BLOCKED);
        assertThat(newer.currentBundle().isBuiltin()).isTrue();
        assertThat(older.currentBundle().version()).isEqualTo("1.5.0");

        // The operator can allow it explicitly (Capgo's --downgrade).
        p.run("channel", "set", "production", p.appId(), "--no-disable-auto-update-under-native");
        nextCycle(newer);
        assertThat(newer.currentBundle().version()).isEqualTo("1.5.0");
    }

    @Test
    void aNewSigningKeyLeavesOldDevicesOnTheirBundleAndUpdatesNewOnes() throws Exception {
        SampleProject p = encryptedApp("dev.updraft.it.rotate", "1.0.1");
        Path oldKey = Files.copy(p.publicKeyFile(), p.dir().resolve("old-key.pub"));
        SimulatedDevice oldApp = device(p.appId(), oldKey);
        launchAndApply(oldApp);
        assertThat(oldApp.currentBundle().version()).isEqualTo("1.0.1");

        String newKeyId = p.keyCreate("--force").path("keyId").asText();
        publish(p, p.release("1.0.2", p.variant("www-1.0.2", "1.0.2", true), true, true), "production");

        nextCycle(oldApp);
        UpdateAnswer refused = oldApp.lastCheck().answer();
        assertThat(refused.error()).isEqualTo("key_id_mismatch");
        assertThat(refused.kind()).isEqualTo(UpdateAnswer.Kind.BLOCKED);
        assertThat(refused.body().get("bundleKeyId")).isEqualTo(newKeyId);
        assertThat(oldApp.currentBundle())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.1", BundleStatus.SUCCESS);

        SimulatedDevice newApp = device(p.appId(), p.publicKeyFile());
        launchAndApply(newApp);
        assertThat(newApp.currentBundle())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.2", BundleStatus.SUCCESS);
    }

    @Test
    void aStoreThatCorruptsTheBundleIsSurvivedWithChecksumFail() throws Exception {
        SampleProject p = encryptedApp("dev.updraft.it.corrupt", "1.0.1");
        SimulatedDevice d = device(p.appId(), p.publicKeyFile());
        launchAndApply(d);

        SampleProject.Release r2 = p.release("1.0.2", p.variant("www-1.0.2", "1.0.2", true), true, true);
        publish(p, r2, "production");
        String path = "/" + p.appId() + "/" + r2.file().getFileName();
        store.addFault(path, Fault.parse("flip"));
        try {
            nextCycle(d);
        } finally {
            store.clearFaults();
        }

        assertThat(d.sentActions()).contains("checksum_fail", "download_fail");
        assertThat(d.currentBundle())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.1", BundleStatus.SUCCESS);
        assertThat(store.requests(path))
                .as("the device did download the corrupted file")
                .anyMatch(q -> q.method().equals("GET") && q.fault() != null);
        // Android names the running version in checksum_fail (docs/protocol.md §3.3); the server counts every report
        // for
        // the release it offered, 1.0.2, and blames nothing on the healthy 1.0.1 (§3.7).
        long reported = d.sentActions().stream().filter("checksum_fail"::equals).count();
        assertThat(p.versionStats("1.0.2").path("actions").path("checksum_fail").asLong())
                .isEqualTo(reported);
        assertThat(p.versionStats("1.0.2")
                        .path("funnel")
                        .path("failed_by_stage")
                        .path("verify")
                        .asLong())
                .isEqualTo(1);
        assertThat(p.versionStats("1.0.1").path("failures").asLong()).isZero();
    }
}
