package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.sim.FakeUpdateServer.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** §4: setChannel (POST), getChannel (PUT), listChannels (GET) against channelUrl, and what the device keeps. */
class ChannelTest extends DeviceTestSupport {

    private SimulatedDevice running(String defaultChannel) {
        SimulatedDevice d = device(
                config().defaultChannel(defaultChannel)
                        .autoUpdate(AutoUpdateMode.OFF)
                        .build(),
                "phone");
        d.launch();
        return d;
    }

    private String channelSentInNextCheck(SimulatedDevice d) {
        d.checkForUpdate();
        return server.updateRequests
                .get(server.updateRequests.size() - 1)
                .object()
                .getString("defaultChannel");
    }

    @Test
    void setChannelIsKeptAndSentAsDefaultChannel() {
        SimulatedDevice d = running("production");
        assertThat(channelSentInNextCheck(d)).isEqualTo("production");
        ChannelResult r = d.setChannel("beta");
        assertThat(r.ok()).isTrue();
        FakeUpdateServer.Recorded post = server.channelRequests.get(0);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.headers().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(post.object().getString("channel")).isEqualTo("beta");
        assertThat(post.object().getString("device_id")).isEqualTo(d.deviceId());
        assertThat(post.object().getString("defaultChannel")).isEqualTo("production");
        assertThat(channelSentInNextCheck(d)).isEqualTo("beta");

        server.channel =
                q -> Reply.json(200, new JsonObject().put("status", "ok").put("unset", true));
        assertThat(d.setChannel("public-one").ok()).isTrue();
        assertThat(channelSentInNextCheck(d))
                .as("unset: back to the config value")
                .isEqualTo("production");
    }

    @Test
    void setChannelErrorsKeepTheChannel() {
        SimulatedDevice d = running("");
        server.channel = q -> Reply.json(
                400,
                new JsonObject().put("error", "channel_self_set_not_allowed").put("message", "private"));
        ChannelResult r = d.setChannel("secret");
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).isEqualTo("channel_self_set_not_allowed");
        assertThat(r.message()).isEqualTo("private");
        assertThat(d.log()).anyMatch(l -> l.contains("channelPrivate"));
        server.channel =
                q -> Reply.json(200, new JsonObject().put("status", "ok").put("kind", "up_to_date"));
        assertThat(d.setChannel("beta").ok()).as("a kind key makes it an error").isFalse();
        server.channel = q -> Reply.raw(502, "bad gateway");
        assertThat(d.setChannel("beta").error()).isEqualTo("response_error");
        server.channel = q -> Reply.raw(200, "ok!");
        assertThat(d.setChannel("beta").error()).isEqualTo("parse_error");
        assertThat(channelSentInNextCheck(d)).isEmpty();
    }

    @Test
    void setChannelCanTriggerAnUpdateCheck() {
        SimulatedDevice d = running("");
        d.setChannel("beta", true);
        assertThat(server.updateRequests).hasSize(1);
        assertThat(server.updateRequests.get(0).object().getString("defaultChannel"))
                .isEqualTo("beta");
    }

    @Test
    void getChannelPersistsTheAnswerUnlessEmptyOrBuiltin() {
        SimulatedDevice d = running("");
        server.channel = q -> Reply.json(
                200,
                new JsonObject()
                        .put("channel", "beta")
                        .put("status", "override")
                        .put("allowSet", true));
        ChannelResult r = d.getChannel();
        assertThat(r.ok()).isTrue();
        assertThat(r.channel()).isEqualTo("beta");
        assertThat(r.status()).isEqualTo("override");
        FakeUpdateServer.Recorded put = server.channelRequests.get(0);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(put.object().containsKey("channel")).isFalse();
        assertThat(channelSentInNextCheck(d)).isEqualTo("beta");

        server.channel =
                q -> Reply.json(200, new JsonObject().put("channel", "builtin").put("status", "default"));
        d.getChannel();
        assertThat(channelSentInNextCheck(d)).isEqualTo("beta");
    }

    @Test
    void getChannelAnswersLocallyWhenTheServerDoesNotKnowTheChannel() {
        SimulatedDevice d = running("staging");
        server.channel = q -> Reply.json(
                400, new JsonObject().put("error", "channel_not_found").put("message", "no"));
        ChannelResult r = d.getChannel();
        assertThat(r.ok()).isTrue();
        assertThat(r.channel()).isEqualTo("staging");
        assertThat(r.status()).isEqualTo("default");

        SimulatedDevice none = device(config().autoUpdate(AutoUpdateMode.OFF).build(), "other");
        none.launch();
        assertThat(none.getChannel().error()).isEqualTo("channel_not_found");
    }

    @Test
    void listChannelsSendsTheInfoObjectAsQueryParameters() {
        SimulatedDevice d = running("");
        server.channel = q -> Reply.json(
                200,
                new JsonArray()
                        .add(new JsonObject()
                                .put("id", 1)
                                .put("name", "production")
                                .put("public", true)
                                .put("allow_self_set", false))
                        .add(new JsonObject()
                                .put("id", 2)
                                .put("name", "beta")
                                .put("public", false)
                                .put("allow_self_set", true)));
        ChannelResult r = d.listChannels();
        assertThat(r.ok()).isTrue();
        assertThat(r.channels())
                .containsExactly(
                        new ChannelResult.Channel(1, "production", true, false),
                        new ChannelResult.Channel(2, "beta", false, true));
        FakeUpdateServer.Recorded get = server.channelRequests.get(0);
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.body()).isEmpty();
        assertThat(get.query())
                .containsEntry("app_id", APP)
                .containsEntry("is_prod", "true")
                .containsEntry("is_emulator", "false")
                .containsEntry("device_id", d.deviceId())
                .containsEntry("platform", "android");

        server.channel = q -> Reply.json(
                200, new JsonArray().add(new JsonObject().put("id", "1").put("name", "x")));
        assertThat(d.listChannels().error()).as("ids must be numbers").isEqualTo("parse_error");
        server.channel = q ->
                Reply.json(400, new JsonObject().put("error", "missing_info").put("message", "m"));
        assertThat(d.listChannels().error()).isEqualTo("missing_info");
    }

    @Test
    void withoutAChannelUrlCallsFailLocally() {
        SimulatedDevice d =
                device(config().channelUrl("").autoUpdate(AutoUpdateMode.OFF).build(), "phone");
        d.launch();
        assertThat(d.setChannel("beta").error()).isEqualTo("missing_config");
        assertThat(d.getChannel().error()).isEqualTo("missing_config");
        assertThat(d.listChannels().error()).isEqualTo("missing_config");
        assertThat(server.channelRequests).isEmpty();
    }

    @Test
    void unsetChannelIsLocalOnly() {
        SimulatedDevice d = running("production");
        d.setChannel("beta");
        int calls = server.channelRequests.size();
        assertThat(d.unsetChannel().ok()).isTrue();
        assertThat(server.channelRequests).hasSize(calls);
        assertThat(channelSentInNextCheck(d)).isEqualTo("production");
    }
}
