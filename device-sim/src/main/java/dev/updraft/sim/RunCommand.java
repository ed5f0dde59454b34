package dev.updraft.sim;

import dev.updraft.cli.ExitCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code run}: N devices, each with its own state folder, through K launches. One launch is: cold start (check,
 * download, maybe apply), background (the next bundle is installed), foreground (check, notifyAppReady watchdog:
 * confirm or roll back), background, kill. A state folder that exists is reused: the device continues.
 *
 * <p>Exit codes ({@code updraft}'s table): 0 when every device ran its launches; 1 when {@code --expect-version} is
 * given and a device ended on another version, or a device could not run (a simulator error, not a device-side
 * failure: rollbacks and failed downloads are outcomes, reported, not errors); 2 for a usage error.
 */
@Command(
        name = "run",
        sortOptions = false,
        description = {
            "Run simulated devices through launch/background/foreground cycles against an update server and print what they did.",
            "One launch = cold start, background, foreground, background, kill."
        },
        footer = DeviceOptions.PLUGIN_VERSIONS_HELP)
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOptions device;

    @Option(names = "--channel-url", description = "Override the channel URL.")
    String channelUrl;

    @Option(names = "--devices", defaultValue = "1", description = "How many devices (default ${DEFAULT-VALUE}).")
    int devices;

    @Option(
            names = "--state-dir",
            description =
                    "Where device folders live (device-1, device-2, ...); reused if present. Default: a new temporary folder.")
    Path stateDir;

    @Option(
            names = "--version-code",
            defaultValue = "1",
            description = "Native version_code (default ${DEFAULT-VALUE}).")
    String versionCode;

    @Option(
            names = "--launches",
            defaultValue = "1",
            description = "Launch cycles per device (default ${DEFAULT-VALUE}).")
    int launches;

    @Option(
            names = "--app-ready",
            defaultValue = "auto",
            converter = OptionTypes.AppReady.class,
            description =
                    "When the app calls notifyAppReady: auto (if its JS contains notifyAppReady(), default), always, never, after:N seconds.")
    AppBehaviour appReady;

    @Option(
            names = "--auto-update",
            defaultValue = "atBackground",
            converter = OptionTypes.AutoUpdate.class,
            description = "atBackground (default), always, onLaunch, atInstall, onlyDownload, off.")
    AutoUpdateMode autoUpdate;

    @Option(
            names = "--app-ready-timeout",
            defaultValue = "10000",
            description =
                    "appReadyTimeout in ms (default ${DEFAULT-VALUE}, min 1000; a new bundle gets at least 30 s).")
    long appReadyTimeout;

    @Option(
            names = "--response-timeout",
            defaultValue = "20",
            description = "responseTimeout in seconds (default ${DEFAULT-VALUE}).")
    int responseTimeout;

    @Option(
            names = "--download-attempts",
            defaultValue = "5",
            description = "Attempts per download on 408/429/5xx/I-O errors (default ${DEFAULT-VALUE}).")
    int downloadAttempts;

    @Option(
            names = "--spurious-download-fail",
            description =
                    "Plugins below 6.14.25 / 7.17.0 (and 5.x): also send their legacy download_fail on every up-to-date answer (off by default; the plugin's history does not say exactly when it came).")
    boolean spuriousDownloadFail;

    @Option(
            names = "--keep-failed",
            description =
                    "autoDeleteFailed=false: keep a rolled-back bundle's folder (then it is never downloaded again).")
    boolean keepFailed;

    @Option(
            names = "--real-time",
            description = "Really wait for the watchdog and retry backoff (default: a virtual clock skips waits).")
    boolean realTime;

    @Option(names = "--dev", description = "is_prod=false (a debug build).")
    boolean dev;

    @Option(names = "--emulator", description = "is_emulator=true.")
    boolean emulator;

    @Option(names = "--custom-id", defaultValue = "", description = "custom_id.")
    String customId;

    @Option(
            names = "--parallel",
            defaultValue = "8",
            description = "Devices run at the same time (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(
            names = "--warmup-devices",
            defaultValue = "0",
            description =
                    "Run this many extra devices first, one after another, each through the whole flow against the "
                            + "server (state in warmup-N), and leave them out of the report: the devices that follow meet "
                            + "a warm process, as a phone's app is (docs/simulator.md; default ${DEFAULT-VALUE}).")
    int warmupDevices;

    @Option(names = "--expect-version", description = "Exit 1 unless every device ends on this bundle version.")
    String expectVersion;

    @Option(names = "--log", description = "Print each device's log.")
    boolean showLog;

    @Option(
            names = "--trust-ca",
            paramLabel = "PEM",
            description = "Trust the certificates in this PEM file for https:// (a private CA or a self-signed "
                    + "server), instead of the JVM's default trust store; host names are still verified.")
    Path trustCa;

    @Option(
            names = "--builtin-assets",
            paramLabel = "DIR",
            description = "The app's built-in web files (Android assets/public): a delta "
                    + "download takes a file from here when its SHA-256 matches instead of fetching it.")
    Path builtinAssets;

    @Option(
            names = "--deviation",
            paramLabel = "NAME",
            converter = OptionTypes.DeviationName.class,
            description =
                    "FOR CONFORMANCE-KIT TESTS ONLY: play a deliberate bug (repeatable): SKIP_CHECKSUM, "
                            + "IGNORE_PATH_RULES, RETRY_FAILED_VERSION, NEVER_SEND_UPDATE_FAIL (docs/simulator.md, Deviations).")
    List<Deviation> deviations = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        device.requireUpdateUrl(spec);
        if (warmupDevices < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--warmup-devices: must be 0 or more");
        }
        DeviceConfig.Builder b = DeviceConfig.builder()
                .plugin(device.plugin)
                .spuriousDownloadFail(spuriousDownloadFail)
                .appId(device.app)
                .updateUrl(device.resolvedUpdateUrl())
                .statsUrl(device.resolvedStatsUrl())
                .channelUrl(device.resolvedChannelUrl(channelUrl));
        if (device.publicKey != null) {
            b.publicKey(device.publicKey);
        }
        if (builtinAssets != null) {
            if (!Files.isDirectory(builtinAssets)) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--builtin-assets: " + builtinAssets + " is not a folder");
            }
            b.builtinAssets(builtinAssets);
        }
        DeviceConfig cfg = b.versionBuild(device.nativeVersion)
                .versionCode(versionCode)
                .platform(device.platform)
                .appBehaviour(appReady)
                .defaultChannel(device.defaultChannel)
                .autoUpdate(autoUpdate)
                .appReadyTimeoutMs(appReadyTimeout)
                .responseTimeoutSeconds(responseTimeout)
                .downloadAttempts(downloadAttempts)
                .autoDeleteFailed(!keepFailed)
                .realTime(realTime)
                .prod(!dev)
                .emulator(emulator)
                .customId(customId)
                .deviations(java.util.Set.copyOf(deviations))
                .build();
        Path root = stateDir != null ? stateDir : Files.createTempDirectory("updraft-sim-");
        Files.createDirectories(root);

        long start = System.nanoTime();
        List<Future<Result>> futures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, devices)));
        List<Result> results = new ArrayList<>();
        try (DeviceHttp http = trustCa == null ? DeviceHttp.create() : DeviceHttp.create(trustCa)) {
            for (int i = 1; i <= warmupDevices; i++) {
                Result w = runDevice(i, cfg, root.resolve("warmup-" + i), http);
                if (w.error != null) {
                    throw new IllegalStateException("warm-up device " + i + ": " + w.error);
                }
            }
            start = System.nanoTime(); // the report's seconds are the measured devices'
            for (int i = 1; i <= devices; i++) {
                Path dir = root.resolve("device-" + i);
                int n = i;
                futures.add(pool.submit(() -> runDevice(n, cfg, dir, http)));
            }
            for (Future<Result> f : futures) {
                results.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        int exit = ExitCode.OK;
        for (Result r : results) {
            if (r.error != null
                    || expectVersion != null
                            && !expectVersion.equals(r.report.current().version())) {
                exit = ExitCode.FAILED;
            }
        }
        if (device.json) {
            out.println(toJson(root, results, seconds, exit).encodePrettily());
        } else {
            printText(out, root, results, seconds);
            if (expectVersion != null
                    && results.stream()
                            .anyMatch(r ->
                                    !expectVersion.equals(r.report.current().version()))) {
                out.println("NOT all devices ended on " + expectVersion);
            }
        }
        out.flush();
        return exit;
    }

    private record Result(int n, DeviceReport report, long millis, String error) {}

    private Result runDevice(int n, DeviceConfig cfg, Path dir, DeviceHttp http) {
        long start = System.nanoTime();
        SimulatedDevice d = SimulatedDevice.open(cfg, dir, http);
        try {
            for (int k = 0; k < launches; k++) {
                d.launch();
                d.background();
                d.foreground();
                d.background();
                d.kill();
            }
            return new Result(n, d.report(), (System.nanoTime() - start) / 1_000_000, null);
        } catch (RuntimeException e) {
            return new Result(n, d.report(), (System.nanoTime() - start) / 1_000_000, e.toString());
        } finally {
            d.close();
        }
    }

    private void printText(PrintWriter out, Path root, List<Result> results, double seconds) {
        Map<String, Integer> finals = new TreeMap<>();
        Map<String, Integer> actions = new TreeMap<>();
        long bytes = 0;
        for (Result r : results) {
            DeviceReport d = r.report;
            finals.merge(d.current().version() + " (" + d.current().status().wire() + ")", 1, Integer::sum);
            d.sentActions().forEach((a, c) -> actions.merge(a, c, Integer::sum));
            bytes += d.bytesDownloaded();
            out.printf(Locale.ROOT, "device %d  %s  %s%n", r.n, d.deviceId(), d.stateDir());
            out.printf(
                    Locale.ROOT,
                    "  final bundle: %s   next: %s   fallback: %s%n",
                    d.current(),
                    d.next() == null ? "-" : d.next(),
                    d.fallback() == null ? "-" : d.fallback());
            for (StatusChange c : d.history()) {
                out.println("  status: " + c);
            }
            long avg = d.checks().isEmpty()
                    ? 0
                    : d.checks().stream().mapToLong(CheckResult::latencyMs).sum()
                            / d.checks().size();
            out.printf(
                    Locale.ROOT,
                    "  checks: %d (avg %d ms): %s%n",
                    d.checks().size(),
                    avg,
                    d.checks().stream()
                            .map(c -> c.outcome().name().toLowerCase(Locale.ROOT))
                            .toList());
            for (DownloadRecord x : d.downloads()) {
                out.printf(
                        Locale.ROOT,
                        "  download %s: %s, %d bytes in %d ms, %d attempt(s)%s%n",
                        x.version(),
                        x.result(),
                        x.networkBytes(),
                        x.durationMs(),
                        x.attempts(),
                        x.resumedFrom() > 0 ? ", resumed from " + x.resumedFrom() : "");
            }
            out.printf(
                    Locale.ROOT,
                    "  stats: %d sent %s, %d pending, %d dropped%n",
                    d.sentEvents(),
                    d.sentActions(),
                    d.pendingEvents(),
                    d.droppedEvents());
            out.printf(
                    Locale.ROOT,
                    "  downloaded %d bytes, %d ms%s%n",
                    d.bytesDownloaded(),
                    r.millis,
                    r.error == null ? "" : ", ERROR " + r.error);
            if (showLog) {
                d.log().forEach(l -> out.println("    " + l));
            }
        }
        out.printf(
                Locale.ROOT,
                "summary: %d device(s), %s, %d launch(es) each, %.2f s; state in %s%n",
                results.size(),
                device.plugin,
                launches,
                seconds,
                root);
        if (warmupDevices > 0) {
            out.printf(Locale.ROOT, "  after %d warm-up device(s), not counted here%n", warmupDevices);
        }
        if (!deviations.isEmpty()) {
            out.println("  DEVIATIONS (deliberate bugs): " + deviations);
        }
        out.println("  final bundles: " + finals);
        out.println("  stats sent: " + actions);
        out.printf(Locale.ROOT, "  downloaded %d bytes%n", bytes);
    }

    private JsonObject toJson(Path root, List<Result> results, double seconds, int exit) {
        JsonArray ds = new JsonArray();
        Map<String, Object> finals = new TreeMap<>();
        for (Result r : results) {
            ds.add(r.report.toJson().put("n", r.n).put("millis", r.millis).put("error", r.error));
            finals.merge(r.report.current().version(), 1, (a, c) -> (Integer) a + (Integer) c);
        }
        JsonObject o = new JsonObject().put("plugin_version", device.plugin.version());
        if (!deviations.isEmpty()) {
            o.put(
                    "deviations",
                    new JsonArray(deviations.stream().map(Enum::name).toList()));
        }
        return o.put("state_dir", root.toString())
                .put("warmup_devices", warmupDevices)
                .put("seconds", seconds)
                .put("launches", launches)
                .put("exit_code", exit)
                .put("final_versions", new JsonObject(finals))
                .put("devices", ds);
    }
}
