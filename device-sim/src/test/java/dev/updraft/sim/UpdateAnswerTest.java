package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.protocol.Platform;
import dev.updraft.protocol.UpdateAnswer;
import dev.updraft.sim.CheckResult.Outcome;
import dev.updraft.sim.FakeUpdateServer.Reply;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every response class of §2.2 and the refusals of §2.3, seen from a device. */
class UpdateAnswerTest extends DeviceTestSupport {
    private int n;

    /** A fresh running device (autoUpdate off, so only the manual check talks to /updates) checks once. */
    private SimulatedDevice checkOnce(DeviceConfig.Builder cfg, Reply reply) {
        server.updates = r -> reply;
        SimulatedDevice d = device(cfg.autoUpdate(AutoUpdateMode.OFF).build(), "d" + (n++));
        d.launch();
        server.statsRequests.clear();
        d.checkForUpdate();
        return d;
    }

    private List<JsonObject> failStats() {
        return server.statsEvents().stream()
                .filter(e -> e.getString("action").equals("download_fail"))
                .toList();
    }

    private void expect(Reply reply, UpdateAnswer.Kind kind, String error, Outcome outcome, boolean downloadFail) {
        SimulatedDevice d = checkOnce(config(), reply);
        CheckResult c = d.lastCheck();
        assertThat(c.answer().kind()).as(reply.body()).isEqualTo(kind);
        assertThat(c.answer().error()).as(reply.body()).isEqualTo(error);
        assertThat(c.outcome()).as(reply.body()).isEqualTo(outcome);
        if (downloadFail) {
            assertThat(failStats())
                    .as(reply.body())
                    .singleElement()
                    .satisfies(e -> assertThat(e.getString("version_name"))
                            .as("current version")
                            .isEqualTo("1.0.0"));
        } else {
            assertThat(failStats()).as(reply.body()).isEmpty();
        }
        server.statsRequests.clear();
    }

    @Test
    void classCAnswersAreClassifiedByKind() {
        expect(
                FakeUpdateServer.NO_NEW_VERSION,
                UpdateAnswer.Kind.UP_TO_DATE,
                "no_new_version_available",
                Outcome.NO_UPDATE,
                false);
        expect(
                Reply.json(
                        200,
                        new JsonObject()
                                .put("error", "disable_auto_update_to_major")
                                .put("message", "m")
                                .put("kind", "blocked")
                                .put("major", true)
                                .put("version", "2.0.0")),
                UpdateAnswer.Kind.BLOCKED,
                "disable_auto_update_to_major",
                Outcome.BLOCKED,
                false);
        expect(
                Reply.json(200, new JsonObject().put("error", "no_channel").put("message", "none")),
                UpdateAnswer.Kind.FAILED,
                "no_channel",
                Outcome.CHECK_FAILED,
                true);
        expect(
                Reply.json(200, new JsonObject().put("error", "x").put("kind", "sideways")),
                UpdateAnswer.Kind.FAILED,
                "x",
                Outcome.CHECK_FAILED,
                true);
        expect(
                Reply.json(404, new JsonObject().put("error", "app_not_found").put("kind", "up_to_date")),
                UpdateAnswer.Kind.UP_TO_DATE,
                "app_not_found",
                Outcome.NO_UPDATE,
                false);
        // Android's has(key): a kind key present with null makes an "update" an error answer
        expect(
                Reply.json(
                        200,
                        new JsonObject()
                                .put("version", "1.0.1")
                                .put("url", "https://x/y.zip")
                                .putNull("kind")),
                UpdateAnswer.Kind.FAILED,
                "",
                Outcome.CHECK_FAILED,
                true);
    }

    @Test
    void transportAndFormatErrorsAreFailures() throws Exception {
        expect(
                Reply.json(500, new JsonObject().put("status", "down")),
                UpdateAnswer.Kind.FAILED,
                "response_error",
                Outcome.CHECK_FAILED,
                true);
        expect(
                Reply.raw(500, "<html>oops</html>"),
                UpdateAnswer.Kind.FAILED,
                "response_error",
                Outcome.CHECK_FAILED,
                true);
        expect(
                Reply.raw(200, "<html>not json</html>"),
                UpdateAnswer.Kind.FAILED,
                "parse_error",
                Outcome.CHECK_FAILED,
                true);
        expect(Reply.raw(200, "[1,2]"), UpdateAnswer.Kind.FAILED, "parse_error", Outcome.CHECK_FAILED, true);

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        SimulatedDevice d = device(
                config().updateUrl("http://127.0.0.1:" + closedPort + "/updates")
                        .autoUpdate(AutoUpdateMode.OFF)
                        .build(),
                "offline");
        d.launch();
        d.checkForUpdate();
        assertThat(d.lastCheck().answer().error()).isEqualTo("network_error");
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.CHECK_FAILED);
        assertThat(server.statsActions()).contains("download_fail");
    }

    @Test
    void iosClassifiesByNonEmptyValuesAndTypedDecoding() {
        DeviceConfig.Builder ios = config().platform(Platform.IOS);
        SimulatedDevice d = checkOnce(
                ios, Reply.json(200, new JsonObject().put("version", 5).put("url", "https://x/y.zip")));
        assertThat(d.lastCheck().answer().error()).isEqualTo("decode_error");
        // an empty kind is not the error class on iOS: this is an update (and refused: no session key)
        d = checkOnce(
                ios,
                Reply.json(
                        200,
                        new JsonObject()
                                .put("version", "1.0.1")
                                .put("url", "https://x/y.zip")
                                .put("kind", "")
                                .put("checksum", "ab")
                                .put("session_key", "")));
        assertThat(d.lastCheck().answer().kind()).isEqualTo(UpdateAnswer.Kind.UPDATE);
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(d.infoObject().installSource())
                .as("iOS omits an unknown install_source")
                .isNull();
        assertThat(server.updateRequests
                        .get(server.updateRequests.size() - 1)
                        .object()
                        .containsKey("install_source"))
                .isFalse();
        assertThat(d.infoObject().versionOs()).isEqualTo("17.5");
    }

    @Test
    void updateAnswersAreCheckedInThePluginsOrder() throws Exception {
        TestBundles.Made m = publish("1.0.1", true, 1_000);
        JsonObject good = new JsonObject()
                .put("version", "1.0.1")
                .put("url", urlOf("1.0.1"))
                .put("checksum", m.checksum())
                .put("session_key", m.sessionKey());
        // step 3: url missing or invalid
        expect(
                Reply.json(200, good.copy().put("url", "not a url")),
                UpdateAnswer.Kind.UPDATE,
                null,
                Outcome.REFUSED,
                true);
        expect(Reply.json(200, good.copy().putNull("url")), UpdateAnswer.Kind.UPDATE, null, Outcome.REFUSED, true);
        // step 4: the version the device runs
        expect(
                Reply.json(200, good.copy().put("version", "1.0.0")),
                UpdateAnswer.Kind.UPDATE,
                null,
                Outcome.NO_UPDATE,
                false);
        // step 6: fail-closed encryption, checksum required
        SimulatedDevice d = checkOnce(config(), Reply.json(200, good.copy().put("session_key", "")));
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(actionsOf(server.statsEvents())).containsExactly("session_key_required");
        d = checkOnce(config(), Reply.json(200, good.copy().put("session_key", "abc")));
        assertThat(actionsOf(server.statsEvents())).containsExactly("session_key_required");
        d = checkOnce(config(), Reply.json(200, good.copy().put("checksum", "")));
        assertThat(actionsOf(server.statsEvents())).containsExactly("checksum_required");
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(store.requests()).as("nothing was downloaded").isEmpty();
        assertThat(d.bundles()).isEmpty();
    }

    @Test
    void anUnencryptedAnswerToADeviceWithAPublicKeyIsRefusedWithoutDownloading() throws Exception {
        TestBundles.Made plain = TestBundles.make(tmp.resolve("build"), "plain", true, 1_000, null);
        java.nio.file.Files.createDirectories(store.dir().resolve("bundles"));
        java.nio.file.Files.copy(plain.file(), store.dir().resolve("bundles/1.0.1.zip"));
        server.offer(plain, "1.0.1", urlOf("1.0.1"));
        SimulatedDevice d = device();
        d.launch();
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.REFUSED);
        JsonObject stat = server.statsEvents().stream()
                .filter(e -> e.getString("action").equals("session_key_required"))
                .findFirst()
                .orElseThrow();
        assertThat(stat.getString("version_name")).isEqualTo("1.0.0");
        assertThat(store.requests()).isEmpty();
        assertThat(d.currentBundle().isBuiltin()).isTrue();
        assertThat(d.bundles()).isEmpty();

        // the same bundle is fine for a device without a key
        SimulatedDevice open = device(
                config().publicKey((dev.updraft.crypto.BundlePublicKey) null).build(), "no-key");
        open.launch();
        assertThat(open.infoObject().keyId()).isNull();
        assertThat(server.updateRequests
                        .get(server.updateRequests.size() - 1)
                        .object()
                        .containsKey("key_id"))
                .isFalse();
        assertThat(open.nextBundle().version()).isEqualTo("1.0.1");
    }

    @Test
    void aChecksumSignedByAnotherKeyIsRefusedWithChecksumFail() throws Exception {
        TestBundles.Made m = publish("1.0.1", true, 1_000);
        String forged = dev.updraft.crypto.BundleChecksum.parse(m.plainChecksum())
                .sign(dev.updraft.crypto.BundlePrivateKey.generate())
                .hex();
        server.offer("1.0.1", urlOf("1.0.1"), forged, m.sessionKey());
        SimulatedDevice d = device();
        d.launch();
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(server.statsActions()).containsSubsequence("checksum_fail", "download_fail");
    }

    @Test
    void anUppercaseChecksumFailsForAPlainDeviceAsTheCaseSensitivePluginWould() throws Exception {
        TestBundles.Made plain = TestBundles.make(tmp.resolve("build"), "plain", true, 1_000, null);
        java.nio.file.Files.createDirectories(store.dir().resolve("bundles"));
        java.nio.file.Files.copy(plain.file(), store.dir().resolve("bundles/1.0.1.zip"));
        server.offer("1.0.1", urlOf("1.0.1"), plain.checksum().toUpperCase(), "");
        SimulatedDevice d = device(
                config().publicKey((dev.updraft.crypto.BundlePublicKey) null).build(), "no-key");
        d.launch();
        assertThat(server.statsActions()).containsSubsequence("checksum_fail", "download_fail");
        assertThat(d.nextBundle()).isNull();
    }

    @Test
    void builtinAnswersScheduleOrApplyTheBuiltinBundle() throws Exception {
        SimulatedDevice d = deviceOn("1.0.1", publish("1.0.1", true, 1_000), config().build());
        server.updates = r -> Reply.json(200, new JsonObject().put("version", "builtin"));
        d.background();
        d.foreground();
        assertThat(d.lastCheck().outcome()).isEqualTo(Outcome.SCHEDULED);
        assertThat(d.nextBundle().isBuiltin()).isTrue();
        d.background();
        assertThat(d.currentBundle().isBuiltin()).isTrue();
        JsonObject reset = server.statsEvents().stream()
                .filter(e -> e.getString("action").equals("reset"))
                .findFirst()
                .orElseThrow();
        assertThat(reset.getString("version_name")).isEqualTo("1.0.0");
        assertThat(reset.getString("old_version_name")).isEqualTo("1.0.1");
        d.foreground();
        assertThat(d.lastCheck().outcome()).as("already on built-in").isEqualTo(Outcome.NO_UPDATE);
    }
}
