package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.sim.CheckResult.Outcome;
import dev.updraft.sim.FakeUpdateServer.Recorded;
import dev.updraft.sim.FakeUpdateServer.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every version-gated behaviour of the simulator, one row per version boundary (device-sim/README.md, "Plugin
 * versions"), against the fake server: what a device of each plugin version sends, and what it does with answers.
 */
class PluginVersionTest extends DeviceTestSupport {
    private int n;

    /** A running device of this plugin version (autoUpdate off: only explicit checks talk to /updates). */
    private SimulatedDevice running(String version, DeviceConfig.Builder cfg) {
        SimulatedDevice d =
                device(cfg.pluginVersion(version).autoUpdate(AutoUpdateMode.OFF).build(), "d" + (n++));
        d.launch();
        return d;
    }

    private SimulatedDevice running(String version) {
        return running(version, config().defaultChannel("production"));
    }

    private Recorded lastUpdateRequest() {
        return server.updateRequests.get(server.updateRequests.size() - 1);
    }

    /** The team key's id as the plugin computes it: the first 20 characters of the PEM body. */
    private static String fullKeyId() {
        String body =
                teamKey.publicKey().toPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return body.substring(0, 20);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Gates "plugin_version", "key_id", "batched stats": what goes on the wire
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}: key_id {1}, stats as {2}")
    @CsvSource({
        // version, key_id sent, stats body
        "5.0.0,    none,  object",
        "5.50.0,   none,  object",
        "5.50.1,   short, object",
        "6.50.1,   short, object",
        "7.30.0,   none,  object",
        "7.50.1,   short, object",
        "8.0.0,    none,  array",
        "8.2.0,    short, array",
        "8.40.7,   short, array",
        "8.40.8,   full,  array",
        "8.51.23,  full,  array",
        "10.1.0,   full,  array"
    })
    void whatEachVersionSends(String version, String keyId, String statsShape) {
        SimulatedDevice d = running(version);
        d.checkForUpdate();

        Recorded check = lastUpdateRequest();
        assertThat(check.object().getString("plugin_version")).isEqualTo(version);
        assertThat(check.headers().get("User-Agent"))
                .isEqualTo("CapacitorUpdater/" + version + " (" + APP + ") android/14");
        switch (keyId) {
            case "none" ->
                assertThat(check.object().containsKey("key_id"))
                        .as("no key_id key")
                        .isFalse();
            case "short" -> assertThat(check.object().getString("key_id")).isEqualTo("MIIB");
            default ->
                assertThat(check.object().getString("key_id"))
                        .isEqualTo(fullKeyId())
                        .hasSize(20);
        }
        assertThat(d.infoObject().pluginVersion()).isEqualTo(version);

        // the queue's events (launch, foreground): one array per flush, or one object per event
        List<Recorded> queuePosts = server.statsRequests;
        assertThat(queuePosts).isNotEmpty();
        assertThat(queuePosts).allSatisfy(r -> {
            assertThat(r.headers().get("User-Agent")).startsWith("CapacitorUpdater/" + version + " ");
            assertThat(r.json()).isInstanceOf(statsShape.equals("array") ? JsonArray.class : JsonObject.class);
        });
        assertThat(server.statsActions()).startsWith("app_launch_start", "app_launch_ready", "app_moved_to_foreground");
        if (statsShape.equals("object")) {
            assertThat(queuePosts)
                    .as("one POST per event")
                    .hasSize(server.statsEvents().size());
        }
    }

    @Test
    void withoutAPublicKeyNoVersionSendsAKeyId() {
        for (String v : new String[] {"7.30.0", "8.2.0", "8.51.23"}) {
            SimulatedDevice d = running(v, config().publicKey((dev.updraft.crypto.BundlePublicKey) null));
            d.checkForUpdate();
            assertThat(lastUpdateRequest().object().containsKey("key_id")).as(v).isFalse();
        }
    }

    @Test
    void anUnbatchedQueueKeepsItsOrderAndDropsOrRequeuesOneEventAtATime() {
        server.stats = r -> r.object().getString("action").equals("app_launch_ready")
                ? Reply.json(503, new JsonObject().put("error", "busy"))
                : Reply.json(200, new JsonObject().put("status", "ok"));
        SimulatedDevice d = running("7.30.0");
        assertThat(actions(d.sentStats())).containsExactly("app_launch_start");
        assertThat(actions(d.pendingStats()))
                .as("requeued, in order")
                .containsExactly("app_launch_ready", "app_moved_to_foreground");

        server.stats = r -> r.object().getString("action").equals("app_launch_ready")
                ? Reply.json(400, new JsonObject().put("error", "bad"))
                : Reply.json(200, new JsonObject().put("status", "ok"));
        d.background();
        assertThat(actions(d.droppedStats())).containsExactly("app_launch_ready");
        assertThat(actions(d.sentStats()))
                .containsExactly("app_launch_start", "app_moved_to_foreground", "app_moved_to_background");
        assertThat(d.pendingStats()).isEmpty();
        assertThat(d.statsDeliveries()).allSatisfy(x -> assertThat(x.array()).isFalse());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Gate "channel storage"
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}: channel kept on the device = {1}")
    @CsvSource({
        "5.33.9, false",
        "5.34.0, true",
        "6.33.2, false",
        "6.34.0, true",
        "7.30.0, false",
        "7.33.99, false",
        "7.34.0, true",
        "8.0.0, true",
        "8.51.23, true"
    })
    void whereTheChannelChoiceLives(String version, boolean onDevice) {
        SimulatedDevice d = running(version);

        assertThat(d.setChannel("beta").ok()).isTrue();
        Recorded post = server.channelRequests.get(0);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.object().getString("channel")).isEqualTo("beta");
        assertThat(post.object().getString("plugin_version")).isEqualTo(version);
        d.checkForUpdate();
        assertThat(lastUpdateRequest().object().getString("defaultChannel"))
                .as("setChannel kept and sent back, or left to the server")
                .isEqualTo(onDevice ? "beta" : "production");

        server.channel = q -> Reply.json(
                200,
                new JsonObject()
                        .put("channel", "canary")
                        .put("status", "override")
                        .put("allowSet", true));
        assertThat(d.getChannel().channel()).isEqualTo("canary");
        d.checkForUpdate();
        assertThat(lastUpdateRequest().object().getString("defaultChannel"))
                .as("getChannel's answer persisted or not")
                .isEqualTo(onDevice ? "canary" : "production");

        server.channel = q -> Reply.json(200, new JsonObject().put("status", "ok"));
        int before = server.channelRequests.size();
        ChannelResult unset = d.unsetChannel();
        assertThat(unset.ok()).isTrue();
        if (onDevice) {
            assertThat(server.channelRequests).as("unsetChannel is local").hasSize(before);
        } else {
            assertThat(server.channelRequests).hasSize(before + 1);
            Recorded delete = server.channelRequests.get(before);
            assertThat(delete.method()).isEqualTo("DELETE");
            assertThat(delete.object().getString("device_id")).isEqualTo(d.deviceId());
            assertThat(delete.object().getString("app_id")).isEqualTo(APP);
            assertThat(delete.object().getString("plugin_version")).isEqualTo(version);
            assertThat(delete.object().containsKey("channel")).isFalse();
        }
        d.checkForUpdate();
        assertThat(lastUpdateRequest().object().getString("defaultChannel")).isEqualTo("production");
    }

    @Test
    void aServerStoreDeviceIgnoresUnsetAndReportsARefusedDelete() {
        SimulatedDevice d = running("7.30.0");
        server.channel =
                q -> Reply.json(200, new JsonObject().put("status", "ok").put("unset", true));
        assertThat(d.setChannel("production").ok()).isTrue();
        server.channel = q ->
                Reply.json(400, new JsonObject().put("error", "cannot_override").put("message", "operator"));
        ChannelResult r = d.unsetChannel();
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).isEqualTo("cannot_override");
        server.channel = q -> Reply.raw(502, "bad gateway");
        assertThat(d.unsetChannel().error()).isEqualTo("response_error");
        server.channel =
                q -> Reply.json(200, new JsonObject().put("status", "ok").put("kind", "failed"));
        assertThat(d.unsetChannel().ok())
                .as("a kind key makes DELETE's answer an error, as setChannel's")
                .isFalse();
        assertThat(d.stateDir().resolve("prefs.json"))
                .as("nothing kept on the device")
                .content()
                .doesNotContain("CapacitorUpdater.defaultChannel");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Gate "kind": older plugins judge no-update answers by error alone
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} gets {1}: {2}, download_fail {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                // version | answer                                                                          | outcome
                //    | download_fail
                "8.45.11 | {'error':'no_new_version_available','message':'m','kind':'up_to_date'}            | NO_UPDATE    | false",
                "8.45.10 | {'error':'no_new_version_available','message':'m','kind':'up_to_date'}            | NO_UPDATE    | false",
                "8.45.11 | {'error':'no_new_version_available','message':'m'}                               | CHECK_FAILED | true",
                "8.45.10 | {'error':'no_new_version_available','message':'m'}                               | NO_UPDATE    | false",
                "7.30.0  | {'error':'no_new_version_available','message':'m','kind':'failed'}               | NO_UPDATE    | false",
                "8.51.23 | {'error':'no_new_version_available','message':'m','kind':'failed'}               | CHECK_FAILED | true",
                "8.45.11 | {'error':'already_on_builtin','message':'m','kind':'up_to_date','version':'builtin'} | NO_UPDATE | false",
                "7.30.0  | {'error':'already_on_builtin','message':'m','kind':'up_to_date','version':'builtin'} | NO_UPDATE | false",
                "8.45.11 | {'error':'key_id_mismatch','message':'m','kind':'blocked'}                        | BLOCKED      | false",
                "8.45.10 | {'error':'key_id_mismatch','message':'m','kind':'blocked'}                        | CHECK_FAILED | true",
                "7.30.0  | {'error':'disable_auto_update_to_major','message':'m','kind':'blocked','major':true} | CHECK_FAILED | true",
                "8.51.23 | {'error':'disable_auto_update_to_major','message':'m','kind':'blocked','major':true} | BLOCKED   | false",
                "8.51.23 | {'error':'made_up_by_a_server','message':'m','kind':'up_to_date'}                 | NO_UPDATE    | false",
                "6.40.0  | {'error':'made_up_by_a_server','message':'m','kind':'up_to_date'}                 | CHECK_FAILED | true",
                "8.51.23 | {'error':'no_channel','message':'m','kind':'failed'}                              | CHECK_FAILED | true",
                "5.20.0  | {'error':'no_channel','message':'m','kind':'failed'}                              | CHECK_FAILED | true"
            })
    void noUpdateAnswersByVersion(String version, String answer, Outcome outcome, boolean downloadFail) {
        server.updates = r -> Reply.raw(200, answer.replace('\'', '"'));
        SimulatedDevice d = running(version);
        server.statsRequests.clear();
        d.checkForUpdate();
        assertThat(d.lastCheck().outcome()).isEqualTo(outcome);
        List<JsonObject> fails = server.statsEvents().stream()
                .filter(e -> e.getString("action").equals("download_fail"))
                .toList();
        if (downloadFail) {
            assertThat(fails)
                    .singleElement()
                    .satisfies(e -> assertThat(e.getString("version_name")).isEqualTo("1.0.0"));
        } else {
            assertThat(fails).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"7.30.0", "8.51.23"})
    void aServerErrorIsAFailureForEveryVersion(String version) {
        server.updates = r -> Reply.raw(500, "<html>down</html>");
        SimulatedDevice d = running(version);
        d.checkForUpdate();
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.CHECK_FAILED);
        assertThat(d.lastCheck().answer().error()).isEqualTo("response_error");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Gate "legacy download_fail" (simulated when asked)
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}, asked {1}: spurious download_fail {2}")
    @CsvSource({
        "5.60.0, true, true",
        "6.14.24, true, true",
        "6.14.25, true, false",
        "7.16.9, true, true",
        "7.17.0, true, false",
        "8.0.0, true, false",
        "7.16.9, false, false",
        "5.60.0, false, false"
    })
    void theLegacySpuriousDownloadFail(String version, boolean asked, boolean sent) {
        SimulatedDevice d = running(version, config().spuriousDownloadFail(asked));
        server.statsRequests.clear();
        d.checkForUpdate();
        assertThat(d.lastCheck().outcome()).as("still up to date").isEqualTo(Outcome.NO_UPDATE);
        assertThat(server.statsActions().contains("download_fail")).isEqualTo(sent);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Gate "manifest": older plugins download the zip
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}: reads manifest = {1}")
    @CsvSource({
        "5.9.9, false",
        "5.10.0, true",
        "6.24.9, false",
        "6.25.0, true",
        "7.0.34, false",
        "7.0.35, true",
        "8.0.0, true"
    })
    void aManifestAnswer(String version, boolean readsManifest) throws Exception {
        TestBundles.Made m = publish("1.0.1", true, 1_000);
        JsonObject answer = new JsonObject()
                .put("version", "1.0.1")
                .put("url", urlOf("1.0.1"))
                .put("checksum", m.checksum())
                .put("session_key", m.sessionKey())
                .put(
                        "manifest",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("file_name", "index.html")
                                        .put("file_hash", "00".repeat(32))
                                        .put("download_url", store.url("/files/index.html"))));
        server.updates = r -> Reply.json(200, answer);
        SimulatedDevice d = running(version);
        d.checkForUpdate();
        if (readsManifest) {
            // the manifest path: the hash is no signed checksum of this key, so the whole manifest is refused unfetched
            assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.DOWNLOAD_FAILED);
            assertThat(server.statsActions()).contains("manifest_path_fail");
            assertThat(store.requests()).isEmpty();
        } else {
            assertThat(d.lastCheck().outcome())
                    .as("the zip at url is installed")
                    .isEqualTo(Outcome.DOWNLOADED);
            assertThat(d.bundle("1.0.1").status()).isEqualTo(BundleStatus.PENDING);
            assertThat(store.requests("/bundles/1.0.1.zip")).hasSize(1);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Gate "revert to built-in"
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}: reverts = {1}")
    @CsvSource({"5.60.0, false", "6.1.9, false", "6.2.0, true", "7.30.0, true", "8.51.23, true"})
    void aRevertToBuiltin(String version, boolean reverts) throws Exception {
        SimulatedDevice d = deviceOn(
                "1.0.1",
                publish("1.0.1", true, 1_000),
                config().pluginVersion(version).build());
        server.updates = r -> Reply.wire(200, dev.updraft.protocol.UpdateAnswer.revertToBuiltinJson());
        server.statsRequests.clear();
        d.background();
        d.foreground();
        if (reverts) {
            assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.SCHEDULED);
            d.background();
            assertThat(d.currentBundle().isBuiltin()).isTrue();
            assertThat(server.statsActions()).contains("set_next", "reset").doesNotContain("download_fail");
        } else {
            assertThat(d.lastCheck().outcome()).as("an update without url").isEqualTo(Outcome.REFUSED);
            d.background();
            assertThat(d.currentBundle().version()).isEqualTo("1.0.1");
            assertThat(server.statsEvents())
                    .filteredOn(e -> e.getString("action").equals("download_fail"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getString("version_name")).isEqualTo("1.0.1"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Validation
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"4.99.0", "0.1.0", "8.51", "8", "v8.51.23", " 8.51.23", "8.51.23 ", "", "eight"})
    void versionsTheSimulatorCannotPlayAreRefusedWithAOneLineReason(String version) {
        assertThatThrownBy(() -> DeviceConfig.builder().pluginVersion(version))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("plugin version"));
    }

    @Test
    void theDefaultIsTheReferenceVersionAndANullVersionIsRefused() {
        assertThat(config().build().plugin().version()).isEqualTo("8.51.23");
        assertThatThrownBy(() -> DeviceConfig.builder().pluginVersion(null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DeviceConfig.builder()
                        .pluginVersion("9.0.0-rc.1")
                        .appId(APP)
                        .server(server.url())
                        .build()
                        .plugin()
                        .version())
                .isEqualTo("9.0.0-rc.1");
    }
}
