package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.cli.ExitCode;
import dev.updraft.sim.store.Fault;
import dev.updraft.sim.store.FaultKind;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The command line, run in-process against the fake server and a real store. */
class CliTest extends DeviceTestSupport {

    private record Run(int exit, String out, String err) {}

    private static Run main(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** {@code run} against the fake server with the team's public key and this state folder, then {@code more}. */
    private Run runWithTeamKey(Path states, String... more) throws Exception {
        Path key = tmp.resolve("key.pub");
        Files.writeString(key, teamKey.publicKey().toPem());
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "run",
                "--server",
                server.url(),
                "--app",
                APP,
                "--public-key",
                key.toString(),
                "--state-dir",
                states.toString()));
        args.addAll(java.util.List.of(more));
        return main(args.toArray(String[]::new));
    }

    @Test
    void runInstallsOnEveryDeviceAndReportsAsJson() throws Exception {
        offer("1.0.1", publish("1.0.1", true, 2_000));
        Path states = tmp.resolve("states");
        Run r = runWithTeamKey(states, "--devices", "3", "--launches", "2", "--expect-version", "1.0.1", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject report = new JsonObject(r.out());
        assertThat(report.getJsonObject("final_versions").getInteger("1.0.1")).isEqualTo(3);
        JsonObject first = report.getJsonArray("devices").getJsonObject(0);
        assertThat(first.getJsonObject("current").getString("status")).isEqualTo("success");
        assertThat(first.getLong("bytes_downloaded")).isPositive();
        assertThat(first.getJsonObject("stats").getJsonObject("actions").getInteger("set"))
                .isEqualTo(1);
        assertThat(first.getJsonObject("stats").getJsonObject("actions").getInteger("app_launch_start"))
                .isEqualTo(2);
        assertThat(states.resolve("device-3/prefs.json")).exists();
        assertThat(store.requests("/bundles/1.0.1.zip")).hasSize(3);

        Run again = runWithTeamKey(states, "--devices", "1", "--expect-version", "2.0.0");
        assertThat(again.exit()).as("ended on another version").isEqualTo(1);
        assertThat(again.out()).contains("final bundle: 1.0.1").contains("summary: 1 device(s), plugin 8.51.23,");
    }

    /** {@code run} against the fake server with the team key and a fresh state folder, plus {@code extra}. */
    private Run runOneDevice(String... extra) throws Exception {
        return runWithTeamKey(tmp.resolve("s"), extra);
    }

    @Test
    void runReportsARollbackInText() throws Exception {
        offer("1.0.1", publish("1.0.1", false, 1_000));
        Run r = runOneDevice("--app-ready", "auto");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("final bundle: 1.0.0 (builtin, success)")
                .contains("pending -> error")
                .contains("update_fail");
    }

    @Test
    void runPlaysADeviationOnlyWhenAskedAndSaysSo() throws Exception {
        offer("1.0.1", publish("1.0.1", false, 1_000));
        Run r = runOneDevice("--deviation", "never-send-update-fail", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject report = new JsonObject(r.out());
        assertThat(report.getJsonArray("deviations").getList()).containsExactly("NEVER_SEND_UPDATE_FAIL");
        JsonObject actions = report.getJsonArray("devices")
                .getJsonObject(0)
                .getJsonObject("stats")
                .getJsonObject("actions");
        assertThat(actions.getInteger("app_launch_timeout")).isEqualTo(1);
        assertThat(actions.containsKey("update_fail")).isFalse();

        Run bad = main("run", "--server", server.url(), "--app", APP, "--deviation", "skip");
        assertThat(bad.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).contains("SKIP_CHECKSUM").contains("not 'skip'");
        assertThat(main("run", "--help").out()).contains("FOR CONFORMANCE-KIT TESTS ONLY");
    }

    @Test
    void badOptionsAreRefused() {
        Run noServer = main("run", "--app", APP);
        assertThat(noServer.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(noServer.err().strip())
                .isEqualTo("error: give --server URL (or --update-url) (see 'updraft-sim run --help')");
        assertThat(main("run", "--server", server.url()).exit()).isEqualTo(ExitCode.USAGE);
        assertThat(main("store", "--dir", tmp.toString(), "--fault", "nonsense").exit())
                .isNotZero();
        assertThat(main("--help").out()).contains("run").contains("load").contains("store");
    }

    @Test
    void runPlaysThePluginVersionItIsGiven() throws Exception {
        offer("1.0.1", publish("1.0.1", true, 2_000));
        Path key = tmp.resolve("key.pub");
        Files.writeString(key, teamKey.publicKey().toPem());
        Run r = main(
                "run",
                "--server",
                server.url(),
                "--app",
                APP,
                "--public-key",
                key.toString(),
                "--plugin-version",
                "7.30.0",
                "--state-dir",
                tmp.resolve("s7").toString(),
                "--expect-version",
                "1.0.1",
                "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(server.updateRequests).isNotEmpty().allSatisfy(q -> {
            assertThat(q.object().getString("plugin_version")).isEqualTo("7.30.0");
            assertThat(q.object().containsKey("key_id"))
                    .as("7.30 sends no key_id")
                    .isFalse();
            assertThat(q.headers().get("User-Agent")).startsWith("CapacitorUpdater/7.30.0 ");
        });
        assertThat(server.statsRequests)
                .isNotEmpty()
                .allSatisfy(q -> assertThat(q.json()).isInstanceOf(JsonObject.class));
        assertThat(new JsonObject(r.out()).getString("plugin_version")).isEqualTo("7.30.0");
    }

    @Test
    void aPluginVersionTheSimulatorCannotPlayIsAOneLineUsageError() {
        for (String[] args : new String[][] {
            {"run", "--server", server.url(), "--app", APP, "--plugin-version", "4.12.0"},
            {"run", "--server", server.url(), "--app", APP, "--plugin-version", "7.30"},
            {"load", "--server", server.url(), "--app", APP, "--plugin-version", "latest"}
        }) {
            Run r = main(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip())
                    .as(r.err())
                    .startsWith("error: ")
                    .contains("--plugin-version")
                    .doesNotContain("\n")
                    .doesNotContain("at dev.");
            assertThat(r.out()).isEmpty();
        }
        assertThat(server.updateRequests).as("nothing was sent").isEmpty();
        assertThat(main("run", "--help").out())
                .contains("--plugin-version")
                .contains("Plugin versions")
                .contains("8.45.11")
                .contains("unsetChannel sends DELETE");
        assertThat(main("load", "--help").out()).contains("--plugin-version").contains("Plugin versions");
    }

    @Test
    void aBadOptionValueIsOneLineOnStderrNotAStackTrace() {
        for (String[] bad : new String[][] {
            {"--platform", "windows", "platform must be android or ios, not 'windows'"},
            {"--auto-update", "sometimes", "autoUpdate must be one of"},
            {"--app-ready", "after:soon", "after:N needs a whole number of seconds"},
            {"--devices", "many", "'many' is not an int"}
        }) {
            Run r = main(
                    "run",
                    "--server",
                    server.url(),
                    "--app",
                    APP,
                    "--state-dir",
                    tmp.resolve("s").toString(),
                    bad[0],
                    bad[1]);
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err().strip())
                    .startsWith("error: Invalid value for option '" + bad[0] + "': ")
                    .contains(bad[2])
                    .endsWith("(see 'updraft-sim run --help')")
                    .doesNotContain("\n")
                    .doesNotContain("Exception");
            assertThat(r.out()).isEmpty();
        }
        Run duration = main("load", "--server", server.url(), "--app", APP, "--duration", "zz");
        assertThat(duration.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(duration.err().strip())
                .startsWith("error: Invalid value for option '--duration': a duration is a number with ms, s, m or h")
                .doesNotContain("NumberFormatException");
        Run fault = main("store", "--dir", tmp.toString(), "--fault", "/a.zip=explode");
        assertThat(fault.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(fault.err().strip())
                .startsWith(
                        "error: Invalid value for option '--fault' (PATH=KIND[:ARG][#TIMES]): unknown fault 'explode'")
                .doesNotContain("\n");
        assertThat(server.updateRequests).as("nothing was sent").isEmpty();
    }

    @Test
    void helpAndVersionAreEveryCommandsAndExitZero() {
        for (String[] args :
                new String[][] {{"--help"}, {"run", "--help"}, {"load", "--help"}, {"store", "--help"}, {"help", "run"}
                }) {
            Run r = main(args);
            assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
            assertThat(r.out()).contains("Usage: updraft-sim").contains("--version");
        }
        Run version = main("store", "--version");
        assertThat(version.exit()).isZero();
        // from classes the build's version is not known; the shaded jar's manifest carries it (the launcher's smoke
        // test)
        assertThat(version.out().strip())
                .startsWith("updraft-sim dev (plays @capgo/capacitor-updater " + PluginBehaviour.DEFAULT_VERSION);
        Run none = main();
        assertThat(none.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(none.err().strip())
                .isEqualTo("error: missing command: one of run, load, store, help (see 'updraft-sim --help')");
    }

    @Test
    void storeFaultOptionsParse() {
        var f = OptionTypes.fault("/bundles/a.zip=truncate:100#2");
        assertThat(f.getKey()).isEqualTo("/bundles/a.zip");
        assertThat(f.getValue().kind()).isEqualTo(FaultKind.TRUNCATE);
        assertThat(f.getValue().times()).isEqualTo(2);
        assertThat(OptionTypes.fault("*=503:9").getValue().arg()).isEqualTo(9);
        assertThat(Fault.parse("hang").kind()).isEqualTo(FaultKind.HANG);
        var prefix = OptionTypes.fault("/com.example.app/delta/*=reset#1");
        assertThat(prefix.getKey()).isEqualTo("/com.example.app/delta/*");
        assertThat(prefix.getValue().kind()).isEqualTo(FaultKind.RESET);
        assertThat(main("store", "--help").out()).contains("reset").contains("PREFIX*");
    }

    @Test
    void builtinAssetsMustBeAFolder() {
        Run r = main(
                "run",
                "--server",
                server.url(),
                "--app",
                APP,
                "--state-dir",
                tmp.resolve("s").toString(),
                "--builtin-assets",
                tmp.resolve("nowhere").toString());
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err().strip())
                .startsWith("error: --builtin-assets: ")
                .contains("is not a folder")
                .doesNotContain("\n");
        assertThat(server.updateRequests).as("nothing was sent").isEmpty();
        assertThat(main("run", "--help").out()).contains("--builtin-assets");
    }

    /** {@code load} against the fake server and app, with {@code options}. */
    private Run load(String... options) {
        return main(java.util.stream.Stream.concat(
                        java.util.stream.Stream.of("load", "--server", server.url(), "--app", APP),
                        java.util.Arrays.stream(options))
                .toArray(String[]::new));
    }

    @Test
    void loadPrintsItsReport() {
        Run r = load("--devices", "20", "--duration", "700ms", "--concurrency", "4", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject report = new JsonObject(r.out());
        assertThat(report.getJsonObject("checks").getLong("completed")).isPositive();
        assertThat(report.getJsonObject("results").getLong("up_to_date"))
                .isEqualTo(report.getJsonObject("checks").getLong("completed"));
        assertThat(report.getDouble("generator_cpu_us_per_check")).isPositive(); // -1: the JVM could not tell
    }

    @Test
    void loadWarmsUpFirstAndLeavesTheWarmUpOutOfTheReport() {
        Run r = load("--devices", "20", "--warmup", "500ms", "--duration", "500ms", "--concurrency", "4", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject report = new JsonObject(r.out());
        long measured = report.getJsonObject("checks").getLong("completed");
        assertThat(measured).isPositive();
        assertThat(report.getDouble("warmup_seconds")).isGreaterThanOrEqualTo(0.5);
        assertThat(report.getDouble("seconds")).isLessThan(report.getDouble("warmup_seconds") + 0.5);
        // the server saw the warm-up's checks as well; the report counts only the measured run's
        assertThat(server.updateRequests.size()).isGreaterThan((int) measured);
        assertThat(report.getJsonObject("results").getLong("up_to_date")).isEqualTo(measured);

        Run text = load("--devices", "2", "--warmup", "200ms", "--duration", "200ms", "--concurrency", "1");
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("(after a 0.2 s warm-up)");
    }

    @Test
    void aNegativeWarmupIsRefusedBeforeAnyCheck() {
        int before = server.updateRequests.size();
        Run r = load("--warmup", "-5ms", "--duration", "200ms");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err().strip())
                .startsWith("error: --warmup: must be 0 or more")
                .doesNotContain("\n");
        assertThat(server.updateRequests).hasSize(before);
    }

    @Test
    void warmupDevicesRunTheWholeFlowFirstAndAreLeftOutOfTheReport() throws Exception {
        offer("1.0.1", publish("1.0.1", true, 2_000));
        Path states = tmp.resolve("warm");
        Run r = runWithTeamKey(
                states, "--devices", "1", "--warmup-devices", "2", "--expect-version", "1.0.1", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject report = new JsonObject(r.out());
        assertThat(report.getInteger("warmup_devices")).isEqualTo(2);
        assertThat(report.getJsonArray("devices")).hasSize(1);
        assertThat(report.getJsonObject("final_versions").getInteger("1.0.1")).isEqualTo(1);
        assertThat(states.resolve("warmup-1/prefs.json")).exists();
        assertThat(states.resolve("warmup-2/prefs.json")).exists();
        // every warm-up device really downloaded, then the measured one
        assertThat(store.requests("/bundles/1.0.1.zip")).hasSize(3);
    }

    @Test
    void aNegativeWarmupIsAUsageError() {
        Run r = main("run", "--server", server.url(), "--app", APP, "--warmup-devices", "-1");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err().strip())
                .startsWith("error: --warmup-devices: must be 0 or more")
                .doesNotContain("\tat ");
    }
}
