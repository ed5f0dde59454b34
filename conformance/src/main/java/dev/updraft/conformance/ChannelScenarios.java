package dev.updraft.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.conformance.DeviceFront.Endpoint;
import dev.updraft.conformance.DeviceFront.Exchange;
import java.util.List;

/** /channel_self for both channel-storage generations (docs/protocol.md §4, §2.10, §11). */
final class ChannelScenarios {
    private ChannelScenarios() {}

    static final String OLD_PLUGIN = "7.30.0";

    /** production on 1.0.1 (public), beta on 1.0.2 (devices may choose it); returns beta's release. */
    static Release twoChannels(ScenarioContext c) throws Exception {
        c.publish(c.release("1.0.1", true));
        c.channel("beta", "{\"allow_device_self_set\":true}");
        Release beta = c.release("1.0.2", true);
        c.publish(beta, "beta", c.key());
        return beta;
    }

    static ObjectNode channel(String name) {
        return ClientProcess.JSON.createObjectNode().put("channel", name);
    }

    static JsonNode lastCheck(ScenarioContext c) {
        List<Exchange> checks = c.updateChecks();
        return checks.get(checks.size() - 1).json();
    }

    static List<Exchange> channelCalls(ScenarioContext c, String method) {
        return c.front().exchanges(Endpoint.CHANNEL_SELF).stream()
                .filter(x -> x.method().equals(method))
                .toList();
    }

    static List<Scenario> all() {
        return List.of(
                new Scenario(
                        "channels/set-get",
                        "§4.1, §4.2",
                        "plugin 8: setChannel POSTs and keeps the channel on the device; getChannel returns it",
                        c -> {
                            twoChannels(c);
                            c.start();
                            c.call("launch");
                            JsonNode set = c.ask("setChannel", channel("beta"));
                            c.expect(
                                    set.path("ok").asBoolean()
                                            && set.path("success").asBoolean(),
                                    "setChannel beta failed: " + set);
                            c.expect(
                                    channelCalls(c, "POST").stream()
                                            .anyMatch(x -> x.json()
                                                    .path("channel")
                                                    .asText()
                                                    .equals("beta")),
                                    "setChannel must POST /channel_self with channel beta");
                            JsonNode get = c.ask("getChannel", null);
                            c.expect(get.path("channel").asText().equals("beta"), "getChannel answered " + get);
                            c.call("background");
                            c.call("foreground");
                            c.expect(
                                    lastCheck(c).path("defaultChannel").asText().equals("beta"),
                                    "plugin 8 keeps the channel on the device and sends it as defaultChannel; the"
                                            + " check sent " + lastCheck(c).path("defaultChannel"));
                        }),
                new Scenario(
                        "channels/set-moves-device",
                        "§2.10, §4.2",
                        "after setChannel the device installs the chosen channel's bundle",
                        c -> {
                            Release beta = twoChannels(c);
                            c.start();
                            c.installCycle();
                            c.ask("setChannel", channel("beta"));
                            c.nextCycle();
                            c.expectInstalled(beta);
                        }),
                new Scenario(
                        "channels/list",
                        "§4.1",
                        "listChannels GETs /channel_self and lists the channels a device may choose",
                        c -> {
                            twoChannels(c);
                            c.start();
                            c.call("launch");
                            JsonNode list = c.ask("listChannels", null);
                            c.expect(!channelCalls(c, "GET").isEmpty(), "listChannels must GET /channel_self");
                            boolean beta = false;
                            for (JsonNode ch : list.path("channels")) {
                                beta |= ch.path("name").asText().equals("beta");
                            }
                            c.expect(beta, "listChannels did not list beta: " + list);
                        }),
                new Scenario(
                        "channels/unset-local",
                        "§4.2, §11",
                        "plugin 8: unsetChannel forgets the channel on the device, without a DELETE",
                        c -> {
                            twoChannels(c);
                            c.start();
                            c.call("launch");
                            c.ask("setChannel", channel("beta"));
                            c.ask("unsetChannel", null);
                            c.call("background");
                            c.call("foreground");
                            c.expect(
                                    channelCalls(c, "DELETE").isEmpty(),
                                    "plugin 8 unsets the channel locally; it" + " sent DELETE /channel_self");
                            c.expect(
                                    !lastCheck(c)
                                            .path("defaultChannel")
                                            .asText()
                                            .equals("beta"),
                                    "after unsetChannel the check still sent defaultChannel beta");
                        }),
                new Scenario(
                        "channels/old-generation-server-side",
                        "§4.2, §11",
                        "plugin 7.30: setChannel is kept by the server (not sent back as defaultChannel); unset is DELETE",
                        c -> {
                            Release beta = twoChannels(c);
                            c.start(i -> i.put("pluginVersion", OLD_PLUGIN));
                            c.installCycle();
                            JsonNode set = c.ask("setChannel", channel("beta"));
                            c.expect(set.path("success").asBoolean(), "setChannel beta failed: " + set);
                            c.nextCycle();
                            c.expect(
                                    !lastCheck(c)
                                            .path("defaultChannel")
                                            .asText()
                                            .equals("beta"),
                                    "a plugin before 8.0 keeps nothing: it sent defaultChannel beta");
                            c.expectInstalled(beta);
                            c.ask("unsetChannel", null);
                            c.expect(
                                    !channelCalls(c, "DELETE").isEmpty(),
                                    "a plugin before 8.0 unsets with DELETE /channel_self");
                        }),
                new Scenario(
                        "channels/refused",
                        "§4.3",
                        "setChannel to a channel devices may not choose fails, and the device does not keep it",
                        c -> {
                            twoChannels(c);
                            c.start();
                            c.call("launch");
                            JsonNode set = c.ask("setChannel", channel(ScenarioContext.CHANNEL));
                            c.expect(
                                    !set.path("success").asBoolean(true),
                                    "setChannel to a channel without allow_device_self_set succeeded: " + set);
                            c.call("background");
                            c.call("foreground");
                            c.expect(
                                    !lastCheck(c)
                                            .path("defaultChannel")
                                            .asText()
                                            .equals(ScenarioContext.CHANNEL),
                                    "the refused channel was kept as defaultChannel");
                        }));
    }
}
