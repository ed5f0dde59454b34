package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.sim.CheckResult.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each deliberate bug of {@link Deviation} changes exactly its behaviour: the same scenario, played by a correct
 * device and by one with the deviation, ends differently, and only there.
 */
class DeviationTest extends DeviceTestSupport {

    private SimulatedDevice playing(Deviation deviation, DeviceConfig.Builder config, String name) {
        return device(
                deviation == null ? config.build() : config.deviation(deviation).build(), name);
    }

    @Test
    void skipChecksumInstallsAnEncryptedZipWhoseChecksumIsAnotherBundles() throws Exception {
        TestBundles.Made m = publish("1.0.1", true, 2_000);
        TestBundles.Made other = TestBundles.make(tmp.resolve("other"), "other", true, 2_000, teamKey);
        server.offer("1.0.1", urlOf("1.0.1"), other.checksum(), m.sessionKey()); // signed by the team, wrong bundle

        SimulatedDevice correct = playing(null, config(), "correct");
        correct.launch();
        assertThat(correct.lastCheck().outcome()).isEqualTo(Outcome.DOWNLOAD_FAILED);
        assertThat(correct.sentActions()).containsSubsequence("checksum_fail", "download_fail");
        assertThat(correct.nextBundle()).isNull();

        SimulatedDevice broken = playing(Deviation.SKIP_CHECKSUM, config(), "broken");
        broken.launch();
        assertThat(broken.lastCheck().outcome()).isEqualTo(Outcome.SCHEDULED);
        assertThat(broken.sentActions()).doesNotContain("checksum_fail", "download_fail");
        assertThat(broken.nextBundle().version()).isEqualTo("1.0.1");
        assertThat(broken.nextBundle().checksum())
                .as("the registry keeps the SHA-256 of what arrived")
                .isEqualTo(m.plainChecksum());
    }

    @Test
    void skipChecksumDownloadsAnAnswerWithoutChecksum() throws Exception {
        TestBundles.Made m = publish("1.0.1", true, 1_000);
        server.offer("1.0.1", urlOf("1.0.1"), "", m.sessionKey());

        SimulatedDevice correct = playing(null, config(), "correct");
        correct.launch();
        assertThat(correct.lastCheck().outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(correct.sentActions()).contains("checksum_required");
        assertThat(store.requests("/bundles/1.0.1.zip")).isEmpty();

        SimulatedDevice broken = playing(Deviation.SKIP_CHECKSUM, config(), "broken");
        broken.launch();
        assertThat(broken.lastCheck().outcome()).isEqualTo(Outcome.SCHEDULED);
        assertThat(broken.sentActions()).doesNotContain("checksum_required");
        assertThat(store.requests("/bundles/1.0.1.zip")).hasSize(1);
    }

    @Test
    void skipChecksumTakesAPlainZipAsItComesButStillRefusesAnUnusableSessionKey() throws Exception {
        DeviceConfig.Builder plain = config().publicKey((BundlePublicKey) null);
        TestBundles.Made zip = TestBundles.make(tmp.resolve("build"), "plain", true, 1_000, null);
        Files.createDirectories(store.dir().resolve("bundles"));
        Files.copy(zip.file(), store.dir().resolve("bundles/1.0.1.zip"));
        String wrong = "0".repeat(64);
        server.offer("1.0.1", urlOf("1.0.1"), wrong, "");

        SimulatedDevice correct = playing(null, plain, "correct");
        correct.launch();
        assertThat(correct.sentActions()).containsSubsequence("checksum_fail", "download_fail");
        assertThat(correct.nextBundle()).isNull();

        SimulatedDevice broken = playing(Deviation.SKIP_CHECKSUM, plain, "broken");
        broken.launch();
        assertThat(broken.nextBundle().version()).isEqualTo("1.0.1");
        assertThat(broken.nextBundle().checksum()).isEqualTo(zip.plainChecksum());

        // hostile: the deviation is about the checksum only; a session key this device's key cannot unwrap (the
        // shape is right, the wrapped key is not one) is still refused
        TestBundles.Made m = publish("1.0.2", true, 1_000);
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        byte[] notAWrappedKey = new byte[256];
        java.util.Arrays.fill(notAWrappedKey, (byte) 1);
        String unusable = b64.encodeToString(new byte[16]) + ":" + b64.encodeToString(notAWrappedKey);
        server.offer("1.0.2", urlOf("1.0.2"), m.checksum(), unusable);
        SimulatedDevice encrypted = playing(Deviation.SKIP_CHECKSUM, config(), "encrypted");
        encrypted.launch();
        assertThat(encrypted.lastCheck().outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(encrypted.sentActions()).contains("download_fail");
        assertThat(encrypted.nextBundle()).isNull();
    }

    @Test
    void ignorePathRulesInstallsAZipThatClimbsOutOfItsFolderButNeverWritesOutsideTheDevice() throws Exception {
        TestBundles.Made m = TestBundles.hostile(tmp.resolve("build"), "evil", "../climbed.txt", teamKey);
        Files.createDirectories(store.dir().resolve("bundles"));
        Files.copy(m.file(), store.dir().resolve("bundles/6.6.6.zip"));
        server.offer(m, "6.6.6", urlOf("6.6.6"));

        SimulatedDevice correct = playing(null, config(), "correct");
        correct.launch();
        assertThat(correct.lastCheck().outcome()).isEqualTo(Outcome.DOWNLOAD_FAILED);
        assertThat(correct.sentActions()).containsSubsequence("canonical_path_fail", "download_fail");
        assertThat(correct.stateDir().resolve("cache/climbed.txt")).doesNotExist();

        SimulatedDevice broken = playing(Deviation.IGNORE_PATH_RULES, config(), "broken");
        broken.launch();
        assertThat(broken.lastCheck().outcome()).isEqualTo(Outcome.SCHEDULED);
        assertThat(broken.sentActions()).doesNotContain("canonical_path_fail", "download_fail");
        assertThat(broken.nextBundle().version()).isEqualTo("6.6.6");
        assertThat(broken.stateDir().resolve("cache/climbed.txt"))
                .as("written where '../' pointed: outside the bundle folder")
                .hasContent("owned");

        // hostile: a name that leaves the device's state folder lands inside the bundle, never beside the device
        TestBundles.Made far =
                TestBundles.hostile(tmp.resolve("far"), "far", "../../../../../../../../far.txt", teamKey);
        Files.copy(far.file(), store.dir().resolve("bundles/6.6.7.zip"));
        server.offer(far, "6.6.7", urlOf("6.6.7"));
        SimulatedDevice farDevice = playing(Deviation.IGNORE_PATH_RULES, config(), "far");
        farDevice.launch();
        BundleInfo installed = farDevice.nextBundle();
        assertThat(installed.version()).isEqualTo("6.6.7");
        assertThat(farDevice.stateDir().resolve("files/versions/" + installed.id() + "/far.txt"))
                .hasContent("owned");
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(p -> p.getFileName().toString().equals("far.txt")))
                    .allSatisfy(p -> assertThat(p).startsWith(farDevice.stateDir()))
                    .hasSize(1);
        }
        assertThat(Path.of("/far.txt")).doesNotExist();
    }

    /** 1.0.1 confirmed, 1.0.2 rolled back and kept in error state (autoDeleteFailed off), then offered again. */
    private SimulatedDevice failedOnce(Deviation deviation, String name, TestBundles.Made good, TestBundles.Made bad) {
        offer("1.0.1", good);
        SimulatedDevice d = playing(deviation, config().autoDeleteFailed(false), name);
        d.launch();
        d.background();
        d.foreground();
        offer("1.0.2", bad);
        d.background();
        d.foreground(); // 1.0.2 downloaded, next
        d.background(); // 1.0.2 set; it never confirms
        d.foreground(); // the watchdog rolls back to 1.0.1
        assertThat(d.currentBundle().version()).isEqualTo("1.0.1");
        assertThat(d.bundle("1.0.2").status()).isEqualTo(BundleStatus.ERROR);
        d.background();
        d.foreground(); // 1.0.2 offered again
        return d;
    }

    @Test
    void retryFailedVersionDownloadsAVersionInErrorStateAgain() throws Exception {
        TestBundles.Made good = publish("1.0.1", true, 1_000);
        TestBundles.Made bad = publish("1.0.2", false, 1_000);

        SimulatedDevice correct = failedOnce(null, "correct", good, bad);
        assertThat(correct.lastCheck().outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(correct.lastCheck().detail()).contains("error state");
        assertThat(store.requests("/bundles/1.0.2.zip")).hasSize(1);

        SimulatedDevice broken = failedOnce(Deviation.RETRY_FAILED_VERSION, "broken", good, bad);
        assertThat(broken.lastCheck().outcome()).isEqualTo(Outcome.SCHEDULED);
        assertThat(store.requests("/bundles/1.0.2.zip")).hasSize(3); // once by each, once more by the broken one
        assertThat(broken.nextBundle().version()).isEqualTo("1.0.2");
        assertThat(broken.nextBundle().status()).isEqualTo(BundleStatus.PENDING);
        assertThat(broken.bundles())
                .filteredOn(b -> b.version().equals("1.0.2"))
                .as("the error entry was replaced, not kept beside the new one")
                .hasSize(1);
    }

    @Test
    void neverSendUpdateFailRollsBackSilently() throws Exception {
        offer("1.0.1", publish("1.0.1", false, 1_000));
        DeviceConfig.Builder always = config().autoUpdate(AutoUpdateMode.ALWAYS);

        SimulatedDevice correct = playing(null, always, "correct");
        correct.launch();
        assertThat(correct.sentActions()).containsSubsequence("app_launch_timeout", "update_fail");

        SimulatedDevice broken = playing(Deviation.NEVER_SEND_UPDATE_FAIL, always, "broken");
        broken.launch();
        assertThat(broken.sentActions()).contains("app_launch_timeout").doesNotContain("update_fail");
        // the rollback itself is unchanged
        assertThat(broken.currentBundle().isBuiltin()).isTrue();
        assertThat(broken.bundle("1.0.1").status()).isEqualTo(BundleStatus.DELETED);
        assertThat(broken.statusHistory())
                .extracting(StatusChange::to)
                .containsExactlyElementsOf(
                        correct.statusHistory().stream().map(StatusChange::to).toList());
    }

    @Test
    void namesParseInAnyCaseAndAnUnknownOneSaysWhatExists() {
        assertThat(Deviation.parse("skip-checksum")).isEqualTo(Deviation.SKIP_CHECKSUM);
        assertThat(Deviation.parse(" Never_Send_Update_Fail ")).isEqualTo(Deviation.NEVER_SEND_UPDATE_FAIL);
        assertThatThrownBy(() -> Deviation.parse("skip"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IGNORE_PATH_RULES")
                .hasMessageEndingWith("not 'skip'");
        assertThat(config().build().deviations()).isEmpty();
        assertThat(
                        config()
                                .deviation(Deviation.RETRY_FAILED_VERSION)
                                .deviation(Deviation.SKIP_CHECKSUM)
                                .build()
                                .toBuilder()
                                .build()
                                .deviations())
                .containsExactly(Deviation.SKIP_CHECKSUM, Deviation.RETRY_FAILED_VERSION);
    }
}
