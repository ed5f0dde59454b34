package dev.updraft.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.conformance.DeviceFront.Endpoint;
import java.util.List;
import java.util.Map;

/**
 * What the client does with each class of update answer, including answers a real server never gives, and HTTP 429
 * (docs/protocol.md §1.5, §2.2, §2.3, §11).
 */
final class AnswerScenarios {
    private AnswerScenarios() {}

    /** The front answers every update check with {@code status} and {@code body}: judged by whether a failure is sent. */
    private static Scenario canned(
            String name, String section, String summary, int status, String body, boolean failure, String plugin) {
        return new Scenario(name, section, summary, c -> {
            c.ensureApp();
            c.front().answer(Endpoint.UPDATES, 1000, status, Map.of(), body);
            c.start(i -> i.put("pluginVersion", plugin));
            c.call("launch");
            c.call("background");
            c.call("foreground");
            if (failure) {
                c.expectSent("download_fail", null);
            } else {
                c.expectNotSent("download_fail");
            }
            c.expectBuiltin();
        });
    }

    static List<Scenario> all() {
        String ref = ScenarioContext.REFERENCE_PLUGIN;
        return List.of(
                canned(
                        "kind/up-to-date",
                        "§2.2 C",
                        "kind up_to_date: nothing to do, no failure",
                        200,
                        "{\"error\":\"no_new_version_available\",\"message\":\"No new version available\",\"kind\":\"up_to_date\"}",
                        false,
                        ref),
                canned(
                        "kind/blocked",
                        "§2.2 C",
                        "kind blocked: no failure stat",
                        200,
                        "{\"error\":\"disable_auto_update_to_major\",\"message\":\"Cannot upgrade major version\",\"kind\":\"blocked\",\"version\":\"2.0.0\",\"old\":\"1.0.0\",\"major\":true}",
                        false,
                        ref),
                canned(
                        "kind/failed",
                        "§2.2 C",
                        "kind failed: download_fail for the running bundle",
                        200,
                        "{\"error\":\"no_channel\",\"message\":\"No channel\",\"kind\":\"failed\"}",
                        true,
                        ref),
                canned(
                        "kind/missing-is-failed",
                        "§2.2 C",
                        "an error without kind counts as failed: download_fail",
                        200,
                        "{\"error\":\"something_new\",\"message\":\"A code this plugin does not know\"}",
                        true,
                        ref),
                canned(
                        "kind/old-plugin-block-is-failure",
                        "§11, §2.2 C",
                        "a plugin before 8.45.11 judges by error alone: a block sends download_fail",
                        200,
                        "{\"error\":\"disable_auto_update_to_major\",\"message\":\"Cannot upgrade major version\",\"kind\":\"blocked\"}",
                        true,
                        "8.40.0"),
                canned(
                        "answers/not-json",
                        "§2.2 D",
                        "a 200 whose body is not JSON is a failed check",
                        200,
                        "<html>maintenance</html>",
                        true,
                        ref),
                canned(
                        "answers/http-500",
                        "§2.2 D",
                        "a 500 without error or kind is a failed check",
                        500,
                        "",
                        true,
                        ref),
                new Scenario(
                        "answers/bad-url",
                        "§2.3",
                        "an update whose url is not a URL is refused (download_fail), nothing downloaded",
                        c -> {
                            Release r = c.release("1.0.1", true);
                            c.publish(r);
                            c.front().rewrite(Endpoint.UPDATES, o -> o.has("url") ? o.put("url", "not a url") : o);
                            c.start();
                            c.installCycle();
                            c.expectSent("download_fail", null);
                            c.expect(c.storeGets(r).isEmpty(), "a bad url must not lead to a download");
                            c.expectBuiltin();
                        }),
                new Scenario(
                        "answers/same-version",
                        "§2.3",
                        "an offer of the version already running is no update: nothing downloaded, no failure",
                        c -> {
                            Release r = c.installed("1.0.1");
                            ObjectNode again = ClientProcess.JSON
                                    .createObjectNode()
                                    .put("version", "1.0.1")
                                    .put("url", c.stage().store().url(r.storePath()))
                                    .put("checksum", r.checksum())
                                    .put("session_key", r.sessionKey());
                            c.front().answer(Endpoint.UPDATES, 100, 200, Map.of(), again.toString());
                            int gets = c.storeGets(r).size();
                            c.nextCycle();
                            c.expect(c.storeGets(r).size() == gets, "the running version was downloaded again");
                            c.expectNotSent("download_fail");
                            c.expectInstalled(r);
                        }),
                new Scenario(
                        "rate-limit/retry-after",
                        "§1.5",
                        "a 429 with Retry-After blocks every call until it ends; one rate_limit_reached",
                        c -> {
                            c.ensureApp();
                            c.front()
                                    .answer(
                                            Endpoint.UPDATES,
                                            1,
                                            429,
                                            Map.of("Retry-After", "3600"),
                                            "{\"error\":\"too_many_requests\",\"message\":\"slow down\"}");
                            c.start();
                            c.call("launch");
                            c.expect(
                                    c.events("rate_limit_reached").size() == 1,
                                    "expected one rate_limit_reached, saw "
                                            + c.events("rate_limit_reached").size());
                            int checks = c.updateChecks().size();
                            int statsPosts = c.front().exchanges(Endpoint.STATS).size();
                            c.call("background");
                            c.call("foreground");
                            c.ask(
                                    "setChannel",
                                    ClientProcess.JSON.createObjectNode().put("channel", "beta"));
                            c.expect(
                                    c.updateChecks().size() == checks,
                                    "an update check reached the server during" + " the 429 block");
                            c.expect(
                                    c.front().exchanges(Endpoint.CHANNEL_SELF).isEmpty(),
                                    "a channel call reached the server during the 429 block");
                            c.expect(
                                    c.front().exchanges(Endpoint.STATS).size() == statsPosts,
                                    "stats were sent during the 429 block (they must stay queued)");
                            c.advance(3_601_000);
                            c.call("background");
                            c.call("foreground");
                            c.expect(c.updateChecks().size() > checks, "no update check after the block ended");
                            c.expectSent("app_moved_to_background", null);
                            c.expect(
                                    c.events("rate_limit_reached").size() == 1,
                                    "rate_limit_reached is sent once" + " per process");
                        }),
                new Scenario(
                        "rate-limit/24h-cap",
                        "§1.5",
                        "a Retry-After of several days blocks for 24 hours at most",
                        c -> {
                            c.ensureApp();
                            c.front()
                                    .answer(
                                            Endpoint.UPDATES,
                                            1,
                                            429,
                                            Map.of("Retry-After", "604800"),
                                            "{\"error\":\"too_many_requests\",\"message\":\"slow down\"}");
                            c.start();
                            c.call("launch");
                            int checks = c.updateChecks().size();
                            c.advance(23L * 3600 * 1000);
                            c.call("background");
                            c.call("foreground");
                            c.expect(c.updateChecks().size() == checks, "the block ended before 24 h");
                            c.advance(3600L * 1000 + 1000);
                            c.call("background");
                            c.call("foreground");
                            c.expect(c.updateChecks().size() > checks, "the block lasted more than 24 h");
                        }),
                new Scenario(
                        "rate-limit/no-hint-no-block", "§1.5", "a 429 without any retry hint blocks nothing", c -> {
                            c.ensureApp();
                            c.front()
                                    .answer(
                                            Endpoint.UPDATES,
                                            1,
                                            429,
                                            Map.of(),
                                            "{\"error\":\"too_many_requests\",\"message\":\"slow down\"}");
                            c.start();
                            c.call("launch");
                            int checks = c.updateChecks().size();
                            c.call("background");
                            c.call("foreground");
                            c.expect(
                                    c.updateChecks().size() == checks + 1,
                                    "a 429 without a hint blocked the next" + " update check");
                        }));
    }
}
