package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.Platform;
import dev.updraft.sim.CheckResult.Outcome;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The main path: check, download, verify, unzip, apply, confirm — and rollback when the app never confirms. */
class UpdateFlowTest extends DeviceTestSupport {

    @Test
    void aFreshDeviceInstallsAnEncryptedBundleAndConfirmsIt() throws Exception {
        TestBundles.Made m = publish("1.0.1", true, 5_000);
        offer("1.0.1", m);
        SimulatedDevice d = device();
        d.launch();

        // the update check: the info object of §1.4, as the Android plugin sends it
        FakeUpdateServer.Recorded check = server.updateRequests.get(0);
        assertThat(check.method()).isEqualTo("POST");
        assertThat(check.headers().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(check.headers().get("User-Agent"))
                .isEqualTo("CapacitorUpdater/8.51.23 (com.example.selfhosted) android/14");
        JsonObject info = check.object();
        assertThat(info.fieldNames())
                .containsExactly(
                        "platform",
                        "device_id",
                        "app_id",
                        "custom_id",
                        "version_build",
                        "version_code",
                        "version_os",
                        "version_name",
                        "plugin_version",
                        "is_emulator",
                        "is_prod",
                        "install_source",
                        "defaultChannel",
                        "key_id");
        assertThat(info.getString("device_id"))
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(info.getString("version_name")).isEqualTo("1.0.0");
        assertThat(info.getString("plugin_version")).isEqualTo("8.51.23");
        assertThat(info.getString("key_id"))
                .isEqualTo(teamKey.publicKey().keyId())
                .startsWith("MIIBCgKCAQEA");
        assertThat(info.getBoolean("is_prod")).isTrue();
        assertThat(info.getBoolean("is_emulator")).isFalse();

        // atBackground: downloaded and scheduled
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.SCHEDULED);
        assertThat(d.currentBundle().isBuiltin()).isTrue();
        BundleInfo next = d.nextBundle();
        assertThat(next.version()).isEqualTo("1.0.1");
        assertThat(next.status()).isEqualTo(BundleStatus.PENDING);
        assertThat(next.checksum()).isEqualTo(m.plainChecksum());
        assertThat(next.id()).matches("[0-9A-Za-z]{10}");
        assertThat(d.stateDir().resolve("files/versions/" + next.id() + "/index.html"))
                .exists();
        assertThat(d.bytesDownloaded()).isEqualTo(m.size());
        assertThat(store.requests("/bundles/1.0.1.zip")).hasSize(1);

        d.background(); // the next bundle is set, the web view reloads, the app confirms
        assertThat(d.currentBundle().version()).isEqualTo("1.0.1");
        assertThat(d.currentBundle().status()).isEqualTo(BundleStatus.SUCCESS);
        assertThat(d.fallbackBundle().version()).isEqualTo("1.0.1");
        assertThat(d.nextBundle()).isNull();

        d.foreground(); // next check: nothing to do
        assertThat(server.updateRequests).hasSize(2);
        assertThat(server.updateRequests.get(1).object().getString("version_name"))
                .isEqualTo("1.0.1");
        assertThat(d.lastCheck().answer().error()).isEqualTo("no_new_version_available");
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.NO_UPDATE);
        assertThat(store.requests("/bundles/1.0.1.zip")).hasSize(1);

        // queue events arrive in order; the worker's single objects go out at once, ahead of the next queue flush
        assertThat(server.statsActions())
                .filteredOn(a -> !a.startsWith("download_zip_"))
                .containsExactly(
                        "app_launch_start",
                        "app_launch_ready",
                        "app_moved_to_foreground",
                        "download_10",
                        "download_20",
                        "download_30",
                        "download_40",
                        "download_50",
                        "download_60",
                        "download_70",
                        "download_80",
                        "download_90",
                        "download_complete",
                        "set_next",
                        "app_moved_to_background",
                        "set",
                        "app_moved_to_foreground");
        assertThat(server.statsActions())
                .filteredOn(a -> a.startsWith("download_zip_"))
                .containsExactly("download_zip_start", "download_zip_complete");
        assertThat(server.statsActions()).doesNotContain("download_fail", "update_fail");
        assertThat(d.statusHistory())
                .extracting(StatusChange::to)
                .containsExactly(BundleStatus.DOWNLOADING, BundleStatus.PENDING, BundleStatus.SUCCESS);
        assertThat(d.pendingStats()).isEmpty();
        assertThat(d.sentStats()).hasSameSizeAs(server.statsEvents());

        // wire shapes (§3.1, §3.2): worker events are single objects without timestamp or key_id; queue events are
        // arrays
        FakeUpdateServer.Recorded zipStart = server.statsRequests.stream()
                .filter(r -> r.json() instanceof JsonObject o && "download_zip_start".equals(o.getString("action")))
                .findFirst()
                .orElseThrow();
        assertThat(zipStart.object().containsKey("timestamp")).isFalse();
        assertThat(zipStart.object().containsKey("key_id")).isFalse();
        assertThat(zipStart.object().getString("version_name")).isEqualTo("1.0.1");
        JsonObject set = server.statsEvents().stream()
                .filter(e -> e.getString("action").equals("set"))
                .findFirst()
                .orElseThrow();
        assertThat(set.getString("version_name")).isEqualTo("1.0.1");
        assertThat(set.getString("old_version_name")).isEqualTo("1.0.0");
        assertThat(set.getLong("timestamp")).isPositive();
        assertThat(set.getString("key_id")).isEqualTo(teamKey.publicKey().keyId());
        JsonObject ready = server.statsEvents().stream()
                .filter(e -> e.getString("action").equals("app_launch_ready"))
                .findFirst()
                .orElseThrow();
        assertThat(ready.getJsonObject("metadata").fieldNames()).contains("duration_ms", "launch_started_at", "source");
        assertThat(server.statsRequests.stream().filter(r -> r.json() instanceof io.vertx.core.json.JsonArray))
                .isNotEmpty();
    }

    @Test
    void alwaysModeAppliesAtOnceAndTheNextBundleReplacesTheFallback() throws Exception {
        DeviceConfig cfg = config().autoUpdate(AutoUpdateMode.ALWAYS).build();
        TestBundles.Made v1 = publish("1.0.1", true, 1_000);
        SimulatedDevice d = deviceOn("1.0.1", v1, cfg);
        assertThat(server.statsActions()).contains("set").doesNotContain("set_next");
        String firstId = d.currentBundle().id();

        TestBundles.Made v2 = publish("1.0.2", true, 1_000);
        offer("1.0.2", v2);
        d.background();
        d.foreground();
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(d.currentBundle().version()).isEqualTo("1.0.2");
        assertThat(d.fallbackBundle().version()).isEqualTo("1.0.2");
        // autoDeletePrevious: the old fallback is deleted, with a tombstone
        assertThat(d.hasFolder(firstId)).isFalse();
        assertThat(d.bundles())
                .filteredOn(b -> b.id().equals(firstId))
                .extracting(BundleInfo::status)
                .containsExactly(BundleStatus.DELETED);
        assertThat(server.statsEvents()).anySatisfy(e -> {
            assertThat(e.getString("action")).isEqualTo("delete");
            assertThat(e.getString("version_name")).isEqualTo("1.0.1");
        });
    }

    @Test
    void aBundleThatNeverCallsNotifyAppReadyIsRolledBackAndNotDownloadedAgainWhileItsFolderExists() throws Exception {
        DeviceConfig cfg = config().autoDeleteFailed(false).build();
        SimulatedDevice d = deviceOn("1.0.1", publish("1.0.1", true, 1_000), cfg);
        TestBundles.Made bad = publish("1.0.2", false, 1_000);
        offer("1.0.2", bad);
        d.background();
        d.foreground(); // downloads 1.0.2, set_next
        assertThat(d.nextBundle().version()).isEqualTo("1.0.2");
        long skippedBefore = ((SimClock.Virtual) d.clock()).skippedMillis();
        d.background(); // 1.0.2 is set; its app never confirms
        assertThat(d.currentBundle().version()).isEqualTo("1.0.2");
        assertThat(d.currentBundle().status()).isEqualTo(BundleStatus.PENDING);
        d.foreground(); // the watchdog: 30 s minimum for a pending bundle (§8.6), on the virtual clock

        assertThat(d.currentBundle().version()).isEqualTo("1.0.1");
        BundleInfo failed = d.bundle("1.0.2");
        assertThat(failed.status()).isEqualTo(BundleStatus.ERROR);
        assertThat(d.hasFolder(failed.id())).isTrue();
        // the watchdog's wait was skipped on the virtual clock, not slept (SimClock.Virtual never sleeps)
        assertThat(((SimClock.Virtual) d.clock()).skippedMillis() - skippedBefore)
                .isGreaterThanOrEqualTo(30_000);
        JsonObject updateFail = server.statsEvents().stream()
                .filter(e -> e.getString("action").equals("update_fail"))
                .findFirst()
                .orElseThrow();
        assertThat(updateFail.getString("version_name")).isEqualTo("1.0.2");
        JsonObject timeout = server.statsEvents().stream()
                .filter(e -> e.getString("action").equals("app_launch_timeout"))
                .findFirst()
                .orElseThrow();
        assertThat(timeout.getJsonObject("metadata").getString("timeout_ms")).isEqualTo("30000");
        assertThat(server.statsActions()).containsSubsequence("app_launch_timeout", "update_fail", "set");
        assertThat(server.statsActions()).doesNotContain("delete");

        // the server keeps offering 1.0.2: the device refuses while the folder exists (§2.3 step 5)
        int gets = store.requests("/bundles/1.0.2.zip").size();
        d.background();
        d.foreground();
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(store.requests("/bundles/1.0.2.zip")).hasSize(gets);
        List<JsonObject> fails = server.statsEvents().stream()
                .filter(e -> e.getString("action").equals("download_fail"))
                .toList();
        assertThat(fails).hasSize(1);
        assertThat(fails.get(0).getString("version_name"))
                .as("the failure stat uses the current version")
                .isEqualTo("1.0.1");
    }

    @Test
    void withAutoDeleteFailedTheFolderGoesAndTheVersionIsDownloadedAgain() throws Exception {
        SimulatedDevice d = deviceOn("1.0.1", publish("1.0.1", true, 1_000), config().build());
        offer("1.0.2", publish("1.0.2", false, 1_000));
        d.background();
        d.foreground();
        d.background();
        d.foreground(); // rollback
        BundleInfo failed = d.bundle("1.0.2");
        assertThat(failed.status()).isEqualTo(BundleStatus.DELETED);
        assertThat(d.hasFolder(failed.id())).isFalse();
        assertThat(server.statsActions()).containsSubsequence("update_fail", "set", "delete");
        d.background();
        d.foreground(); // §2.4: with the folder gone, the same version is downloaded again
        assertThat(store.requests("/bundles/1.0.2.zip")).hasSize(2);
        assertThat(d.nextBundle().version()).isEqualTo("1.0.2");
    }

    @Test
    void withoutAFallbackTheRollbackGoesToBuiltin() throws Exception {
        offer("1.0.1", publish("1.0.1", false, 1_000));
        SimulatedDevice d = device(config().autoUpdate(AutoUpdateMode.ALWAYS).build(), "phone");
        d.launch();
        assertThat(d.currentBundle().isBuiltin()).isTrue();
        assertThat(d.fallbackBundle()).isNull();
        assertThat(server.statsActions())
                .containsSubsequence("set", "app_launch_timeout", "update_fail")
                .doesNotContain("reset"); // the rollback's reset is internal
    }

    @Test
    void theAppReadyTimeoutHasA30SecondMinimumForANewBundle() throws Exception {
        offer("1.0.1", publish("1.0.1", true, 1_000));
        SimulatedDevice slowButOk = device(
                config().autoUpdate(AutoUpdateMode.ALWAYS)
                        .appReadyTimeoutMs(5_000)
                        .appBehaviour(AppBehaviour.after(20))
                        .build(),
                "slow");
        slowButOk.launch();
        assertThat(slowButOk.currentBundle().status()).isEqualTo(BundleStatus.SUCCESS);

        SimulatedDevice tooSlow = device(
                config().autoUpdate(AutoUpdateMode.ALWAYS)
                        .appReadyTimeoutMs(5_000)
                        .appBehaviour(AppBehaviour.after(40))
                        .build(),
                "too-slow");
        tooSlow.launch();
        assertThat(tooSlow.currentBundle().isBuiltin()).isTrue();
        assertThat(tooSlow.bundle("1.0.1").status()).isEqualTo(BundleStatus.DELETED);
        assertThat(tooSlow.sentActions()).contains("update_fail");
    }

    @Test
    void theStateSurvivesARestartOfTheSimulator() throws Exception {
        DeviceConfig cfg = config().build();
        SimulatedDevice first = deviceOn("1.0.1", publish("1.0.1", true, 1_000), cfg);
        String id = first.deviceId();
        first.kill();
        SimulatedDevice again = device(cfg, "phone");
        assertThat(again.deviceId()).isEqualTo(id);
        assertThat(again.currentBundle().version()).isEqualTo("1.0.1");
        assertThat(again.fallbackBundle().version()).isEqualTo("1.0.1");
        again.launch();
        JsonObject lastInfo =
                server.updateRequests.get(server.updateRequests.size() - 1).object();
        assertThat(lastInfo.getString("device_id")).isEqualTo(id);
        assertThat(lastInfo.getString("version_name")).isEqualTo("1.0.1");
        assertThat(Files.readString(again.stateDir().resolve("prefs.json")))
                .contains("\"appUUID\"")
                .contains("_info");
    }

    @Test
    void aNewNativeBuildResetsToBuiltinAndDeletesBundles() throws Exception {
        DeviceConfig cfg = config().build();
        SimulatedDevice first = deviceOn("1.0.1", publish("1.0.1", true, 1_000), cfg);
        String bundleId = first.currentBundle().id();
        first.kill();
        server.updates = r -> FakeUpdateServer.NO_NEW_VERSION;
        SimulatedDevice storeUpdate =
                device(cfg.toBuilder().versionBuild("1.1.0").versionCode("2").build(), "phone");
        storeUpdate.launch();
        assertThat(storeUpdate.currentBundle().isBuiltin()).isTrue();
        assertThat(storeUpdate.currentBundle().version()).isEqualTo("1.1.0");
        assertThat(storeUpdate.hasFolder(bundleId)).isFalse();
        JsonObject changed = server.statsEvents().stream()
                .filter(e -> e.getString("action").equals("native_app_version_changed"))
                .findFirst()
                .orElseThrow();
        assertThat(changed.getJsonObject("metadata").getString("previous_version_build"))
                .isEqualTo("1.0.0");
        assertThat(changed.getJsonObject("metadata").getString("current_version_code"))
                .isEqualTo("2");
    }

    @Test
    void onlyTheFirstDownloadOfAnAndroidProcessSendsProgressSteps() throws Exception {
        DeviceConfig cfg = config().autoUpdate(AutoUpdateMode.ALWAYS).build();
        SimulatedDevice d = deviceOn("1.0.1", publish("1.0.1", true, 1_000), cfg);
        offer("1.0.2", publish("1.0.2", true, 1_000));
        d.background();
        d.foreground();
        assertThat(d.currentBundle().version()).isEqualTo("1.0.2");
        List<JsonObject> events = server.statsEvents();
        assertThat(events)
                .filteredOn(e -> e.getString("action").equals("download_50"))
                .hasSize(1);
        assertThat(events)
                .filteredOn(e -> e.getString("action").equals("download_complete"))
                .hasSize(2);
    }

    @Test
    void anAlreadyDownloadedBundleIsReusedWithoutDownloadingAgain() throws Exception {
        offer("1.0.1", publish("1.0.1", true, 1_000));
        SimulatedDevice keeper =
                device(config().autoUpdate(AutoUpdateMode.ONLY_DOWNLOAD).build(), "phone");
        keeper.launch();
        assertThat(keeper.lastCheck().outcome()).isEqualTo(Outcome.DOWNLOADED);
        assertThat(keeper.nextBundle()).isNull();
        assertThat(keeper.bundle("1.0.1").status()).isEqualTo(BundleStatus.PENDING);
        keeper.kill();

        SimulatedDevice d = device(config().build(), "phone"); // same folder, now atBackground
        d.launch();
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.SCHEDULED);
        assertThat(d.lastCheck().detail()).isEqualTo("already downloaded");
        assertThat(store.requests("/bundles/1.0.1.zip")).hasSize(1);
        d.background();
        assertThat(d.currentBundle().version()).isEqualTo("1.0.1");
    }

    @Test
    void onLaunchAppliesAtOnceOnlyDuringAColdStart() throws Exception {
        offer("1.0.1", publish("1.0.1", true, 1_000));
        SimulatedDevice d = device(config().autoUpdate(AutoUpdateMode.ON_LAUNCH).build(), "phone");
        d.launch();
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(d.currentBundle().version()).isEqualTo("1.0.1");
        offer("1.0.2", publish("1.0.2", true, 1_000));
        d.background();
        d.foreground();
        assertThat(d.lastCheck().outcome()).as("a warm foreground schedules").isEqualTo(Outcome.SCHEDULED);
        assertThat(d.currentBundle().version()).isEqualTo("1.0.1");
    }

    @Test
    void atInstallAppliesAtOnceOnlyOnTheFirstLaunchOfANativeBuild() throws Exception {
        offer("1.0.1", publish("1.0.1", true, 1_000));
        DeviceConfig cfg = config().autoUpdate(AutoUpdateMode.AT_INSTALL).build();
        SimulatedDevice d = device(cfg, "phone");
        d.launch();
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.APPLIED);
        d.kill();
        offer("1.0.2", publish("1.0.2", true, 1_000));
        d.launch();
        assertThat(d.lastCheck().outcome())
                .as("second launch of the same build")
                .isEqualTo(Outcome.SCHEDULED);
    }

    @Test
    void iosSendsWorkerEventsThroughTheQueue() throws Exception {
        offer("1.0.1", publish("1.0.1", true, 1_000));
        SimulatedDevice d = device(config().platform(Platform.IOS).build(), "ios");
        d.launch();
        assertThat(server.statsRequests)
                .allSatisfy(r -> assertThat(r.json()).isInstanceOf(io.vertx.core.json.JsonArray.class));
        JsonObject start = server.statsEvents().stream()
                .filter(e -> e.getString("action").equals("download_zip_start"))
                .findFirst()
                .orElseThrow();
        assertThat(start.getLong("timestamp")).isPositive();
        assertThat(start.getString("platform")).isEqualTo("ios");
        assertThat(server.updateRequests.get(0).headers().get("User-Agent")).endsWith(" ios/17.5");
    }
}
