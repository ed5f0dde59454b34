package dev.updraft.sim.load;

import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.sim.DeviceOptions;
import dev.updraft.sim.OptionTypes;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code load}: many lightweight devices checking (and optionally downloading) for a duration; prints throughput and latency. */
@Command(
        name = "load",
        sortOptions = false,
        description =
                "Load-test an update server: thousands of simulated devices POST /updates on a schedule; reports checks/s, latency percentiles, errors, bytes.",
        footer = DeviceOptions.PLUGIN_VERSIONS_HELP)
public final class LoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOptions device;

    @Option(names = "--devices", defaultValue = "1000", description = "Simulated devices (default ${DEFAULT-VALUE}).")
    int devices;

    @Option(
            names = "--duration",
            defaultValue = "30s",
            converter = OptionTypes.TimeSpan.class,
            description = "How long: 30s, 2m, 500ms (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--warmup",
            defaultValue = "0s",
            converter = OptionTypes.TimeSpan.class,
            description = "Run the same load this long first in the same process and leave it out of the report, so "
                    + "the generator's JIT is warm when the measured run starts (e.g. 5s; default none). With "
                    + "--sequential-ids the measured run meets devices the server already knows.")
    Duration warmup;

    @Option(
            names = "--rate",
            defaultValue = "0",
            description = "Target checks per second over all devices; 0 = closed loop at --concurrency (default).")
    double rate;

    @Option(
            names = "--interval",
            converter = OptionTypes.TimeSpan.class,
            description = "Each device checks once per interval (sets --rate = devices / interval).")
    Duration interval;

    @Option(
            names = "--concurrency",
            defaultValue = "64",
            description = "Most checks in flight (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
            names = "--download",
            description =
                    "Download offered bundles (size checked, not decrypted); the device then reports the new version.")
    boolean download;

    @Option(
            names = "--download-concurrency",
            defaultValue = "8",
            description = "Most downloads in flight (default ${DEFAULT-VALUE}).")
    int downloadConcurrency;

    @Option(
            names = "--send-stats",
            description =
                    "After each download, POST a 'set' stats event (in an array from plugin 8.0, a single object before).")
    boolean sendStats;

    @Option(
            names = "--never-ready",
            paramLabel = "VERSION",
            split = ",",
            description =
                    "Bundles whose app never calls notifyAppReady: after 'set' the device reports update_fail, rolls back and never installs it again.")
    java.util.List<String> neverReady = new java.util.ArrayList<>();

    @Option(
            names = "--key-id",
            description =
                    "Send this key_id verbatim (instead of the --public-key's, in the --plugin-version's format).")
    String keyId;

    @Option(
            names = "--sequential-ids",
            description =
                    "Device ids 00000000-0000-4000-8000-000000000001 upward (bench/updates.lua's fleet), the same "
                            + "in every run, instead of random ones: a second run meets devices the server already knows.")
    boolean sequentialIds;

    @Option(
            names = "--timeout",
            defaultValue = "10000",
            description = "Request timeout in ms (default ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        device.requireUpdateUrl(spec);
        LoadConfig.Builder b = LoadConfig.builder()
                .plugin(device.plugin)
                .appId(device.app)
                .updateUrl(device.resolvedUpdateUrl())
                .statsUrl(device.resolvedStatsUrl())
                .keyId(keyId);
        if (device.publicKey != null) {
            b.publicKey(BundlePublicKey.read(device.publicKey)); // its key id as the played version sends it
        }
        double r = interval != null ? devices / Math.max(0.001, interval.toMillis() / 1000.0) : rate;
        if (warmup.isNegative()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--warmup: must be 0 or more");
        }
        LoadConfig cfg = b.devices(devices)
                .duration(duration)
                .rate(r)
                .concurrency(concurrency)
                .download(download)
                .downloadConcurrency(downloadConcurrency)
                .sendStats(sendStats)
                .platform(device.platform)
                .versionBuild(device.nativeVersion)
                .defaultChannel(device.defaultChannel)
                .timeoutMs(timeoutMs)
                .neverReady(neverReady)
                .sequentialIds(sequentialIds)
                .build();
        LoadReport report = LoadGenerator.run(
                cfg, warmup.isZero() ? null : b.duration(warmup).build());
        out.println(device.json ? report.toJson().encodePrettily() : report.toText());
        out.flush();
        return 0;
    }
}
