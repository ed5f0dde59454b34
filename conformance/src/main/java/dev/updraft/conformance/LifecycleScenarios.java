package dev.updraft.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/** Install, confirm, roll back, the error-state guard, the built-in bundle, the info object (docs/protocol.md §1, §2, §8). */
final class LifecycleScenarios {
    private LifecycleScenarios() {}

    /** The stats actions that report a failure of the rollback stage or later: a good install sends none. */
    static final Set<String> FAILURES = Set.of(
            "download_fail",
            "checksum_fail",
            "decrypt_fail",
            "unzip_fail",
            "set_fail",
            "update_fail",
            "canonical_path_fail",
            "windows_path_fail",
            "session_key_required",
            "checksum_required");

    static List<Scenario> all() {
        return List.of(
                new Scenario(
                        "install/fresh",
                        "§8.4, §8.6",
                        "a public channel's encrypted bundle is downloaded at launch, applied at background, confirmed",
                        c -> {
                            Release r = c.installed("1.0.1");
                            c.expectInstalled(r);
                            c.expect(
                                    c.statusOf("1.0.1").equals("success"),
                                    "1.0.1 called notifyAppReady, so its status must be success, not "
                                            + c.statusOf("1.0.1"));
                            for (String f : FAILURES) {
                                c.expectNotSent(f);
                            }
                        }),
                new Scenario(
                        "install/events-name-the-target",
                        "§3.3, §3.7",
                        "download_complete, set_next and set name the bundle being installed",
                        c -> {
                            c.installed("1.0.1");
                            c.expectSent("download_complete", "1.0.1");
                            c.expectSent("set_next", "1.0.1");
                            c.expectSent("set", "1.0.1");
                            c.expectSent("app_moved_to_foreground", "1.0.1");
                        }),
                new Scenario(
                        "install/up-to-date",
                        "§2.2 C",
                        "checked again after the install: nothing downloaded, no failure",
                        c -> {
                            Release r = c.installed("1.0.1");
                            int gets = c.storeGets(r).size();
                            int checks = c.updateChecks().size();
                            c.nextCycle();
                            c.expect(c.updateChecks().size() > checks, "a foreground must check for an update (§1.2)");
                            c.expect(
                                    c.storeGets(r).size() == gets,
                                    "an up-to-date device downloaded " + r.version() + " again");
                            c.expectNotSent("download_fail");
                            c.expectInstalled(r);
                        }),
                new Scenario(
                        "install/every-foreground-checks",
                        "§1.2",
                        "every move to the foreground, the first start included, sends one update check",
                        c -> {
                            c.ensureApp();
                            c.start();
                            c.call("launch");
                            int afterLaunch = c.updateChecks().size();
                            c.expect(afterLaunch >= 1, "the cold start sent no update check");
                            c.call("background");
                            c.call("foreground");
                            c.call("background");
                            c.call("foreground");
                            c.expect(
                                    c.updateChecks().size() == afterLaunch + 2,
                                    "two foregrounds sent " + (c.updateChecks().size() - afterLaunch)
                                            + " update checks, expected 2");
                        }),
                new Scenario(
                        "install/always-applies-at-once",
                        "§8.4",
                        "autoUpdate always: the bundle is applied as soon as it is downloaded",
                        c -> {
                            Release r = c.release("1.0.1", true);
                            c.publish(r);
                            c.start(i -> ScenarioContext.options(i).put("autoUpdate", "always"));
                            c.call("launch");
                            c.expectRunning("1.0.1");
                            c.expectSent("set", "1.0.1");
                        }),
                new Scenario(
                        "install/only-download-never-applies",
                        "§8.4",
                        "autoUpdate onlyDownload: the bundle is downloaded, never applied",
                        c -> {
                            Release r = c.release("1.0.1", true);
                            c.publish(r);
                            c.start(i -> ScenarioContext.options(i).put("autoUpdate", "onlyDownload"));
                            c.installCycle();
                            c.expect(!c.storeGets(r).isEmpty(), "onlyDownload must still download 1.0.1");
                            c.expectBuiltin();
                            c.expectNotSent("set");
                        }),
                new Scenario(
                        "rollback/no-notify-app-ready",
                        "§8.6",
                        "a bundle that never calls notifyAppReady is rolled back to the built-in bundle",
                        c -> {
                            Release r = c.release("1.0.1", false);
                            c.publish(r);
                            c.start();
                            c.installCycle();
                            c.expectSent("set", "1.0.1");
                            c.expectSent("app_launch_timeout", null);
                            c.expectSent("update_fail", "1.0.1");
                            c.expectBuiltin();
                            String status = c.statusOf("1.0.1");
                            c.expect(
                                    !status.equals("success") && !status.equals("pending"),
                                    "the rolled-back 1.0.1 must be error (or deleted), not " + status);
                        }),
                new Scenario(
                        "rollback/to-fallback",
                        "§8.6",
                        "a bad 1.0.2 after a confirmed 1.0.1 goes back to 1.0.1, not to the built-in bundle",
                        c -> {
                            Release good = c.installed("1.0.1");
                            c.expectInstalled(good);
                            c.publish(c.release("1.0.2", false));
                            c.nextCycle();
                            c.expectSent("update_fail", "1.0.2");
                            c.expectInstalled(good);
                        }),
                new Scenario(
                        "rollback/outgoing-page-ready",
                        "capacitor-updater #907; §8.6",
                        "notifyAppReady from the page being replaced is not credited to the new bundle",
                        c -> {
                            Release good = c.installed("1.0.1");
                            c.publish(c.release("1.0.2", false));
                            c.call("background");
                            c.call("foreground"); // downloads 1.0.2, queued as next
                            c.call("notifyAppReady"); // 1.0.1's page confirms once more, just before it goes
                            c.call("background"); // 1.0.2 is switched in
                            c.call("foreground");
                            c.advance(31_000);
                            c.expectSent("update_fail", "1.0.2");
                            c.expect(
                                    !c.statusOf("1.0.2").equals("success"),
                                    "1.0.2 never called notifyAppReady but is success: the outgoing page's call"
                                            + " was credited to it");
                            c.expectInstalled(good);
                        }),
                new Scenario(
                        "error-state/never-retried",
                        "§2.4",
                        "a version in error state is never downloaded or applied again while it is kept",
                        c -> {
                            Release bad = c.release("1.0.1", false);
                            c.publish(bad);
                            c.start(i -> ScenarioContext.options(i).put("autoDeleteFailed", false));
                            c.installCycle();
                            c.expectSent("update_fail", "1.0.1");
                            int gets = c.storeGets(bad).size();
                            long sets = c.events("set").size();
                            c.nextCycle();
                            c.nextCycle();
                            c.expect(c.storeGets(bad).size() == gets, "the failed 1.0.1 was downloaded again");
                            c.expect(c.events("set").size() == sets, "the failed 1.0.1 was applied again");
                            c.expectBuiltin();
                        }),
                new Scenario(
                        "error-state/deleted-downloads-again",
                        "§2.4",
                        "with autoDeleteFailed the failed bundle's folder goes, and the same version may be fetched again",
                        c -> {
                            Release bad = c.release("1.0.1", false);
                            c.publish(bad);
                            c.start();
                            c.installCycle();
                            c.expectSent("update_fail", "1.0.1");
                            String status = c.statusOf("1.0.1");
                            int gets = c.storeGets(bad).size();
                            c.nextCycle();
                            c.expect(
                                    c.storeGets(bad).size() > gets,
                                    "a deleted bundle's version is downloaded again when offered (status was " + status
                                            + ")");
                        }),
                new Scenario(
                        "builtin/revert",
                        "§2.2 B, §2.9 rule 18",
                        "a channel on the built-in bundle ({\"version\":\"builtin\"}) takes the device back to it",
                        c -> {
                            Release r = c.installed("1.0.1");
                            c.expectInstalled(r);
                            c.patchChannel(ScenarioContext.CHANNEL, "{\"bundle\":null}");
                            c.nextCycle();
                            c.expectBuiltin();
                            c.expectNotSent("download_fail");
                        }),
                new Scenario(
                        "builtin/keep",
                        "§2.2 C, §2.9 rule 18",
                        "builtin_target keep answers already_on_builtin: the device keeps its bundle, no failure",
                        c -> {
                            Release r = c.installed("1.0.1");
                            c.patchChannel(ScenarioContext.CHANNEL, "{\"bundle\":null,\"builtin_target\":\"keep\"}");
                            c.nextCycle();
                            c.expectInstalled(r);
                            c.expectNotSent("download_fail");
                        }),
                new Scenario(
                        "info/fields",
                        "§1.4",
                        "the update check's info object names the app, native build, plugin version, platform and bundle",
                        c -> {
                            c.installed("1.0.1");
                            c.call("background");
                            c.call("foreground");
                            List<DeviceFront.Exchange> checks = c.updateChecks();
                            JsonNode first = checks.get(0).json();
                            JsonNode last = checks.get(checks.size() - 1).json();
                            c.expect(
                                    first.path("app_id").asText().equals(c.app()), "app_id is " + first.path("app_id"));
                            c.expect(
                                    first.path("version_build").asText().equals(ScenarioContext.NATIVE_VERSION),
                                    "version_build is " + first.path("version_build"));
                            c.expect(
                                    first.path("plugin_version").asText().equals(ScenarioContext.REFERENCE_PLUGIN),
                                    "plugin_version is " + first.path("plugin_version"));
                            c.expect(
                                    first.path("platform").asText().equals(c.platform()),
                                    "platform is " + first.path("platform") + ", the client declared " + c.platform());
                            c.expect(!first.path("device_id").asText().isEmpty(), "device_id is empty");
                            c.expect(
                                    last.path("version_name").asText().equals("1.0.1"),
                                    "after installing 1.0.1 version_name is " + last.path("version_name"));
                        }),
                new Scenario(
                        "info/device-id-survives-restart",
                        "§1.4, §8.7",
                        "device_id is made once and kept across process restarts",
                        c -> {
                            c.ensureApp();
                            c.start();
                            c.call("launch");
                            String before = c.updateChecks()
                                    .get(0)
                                    .json()
                                    .path("device_id")
                                    .asText();
                            c.call("kill");
                            c.restartClient();
                            c.call("launch");
                            List<DeviceFront.Exchange> checks = c.updateChecks();
                            String after = checks.get(checks.size() - 1)
                                    .json()
                                    .path("device_id")
                                    .asText();
                            c.expect(
                                    !before.isEmpty() && before.equals(after),
                                    "device_id changed across a restart: " + before + " then " + after);
                        }));
    }
}
