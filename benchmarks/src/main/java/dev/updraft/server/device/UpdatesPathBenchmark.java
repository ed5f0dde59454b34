package dev.updraft.server.device;

import dev.updraft.protocol.DeviceApiRules;
import dev.updraft.protocol.InfoObject;
import dev.updraft.server.decision.AppSnapshot;
import dev.updraft.server.decision.BuiltinTarget;
import dev.updraft.server.decision.BundleView;
import dev.updraft.server.decision.ChannelView;
import dev.updraft.server.decision.DisableAutoUpdate;
import dev.updraft.server.decision.Outcome;
import dev.updraft.server.decision.UpdateDecision;
import dev.updraft.server.decision.UpdateRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The in-process part of {@code POST /updates} (UpdatesResource), for the same fleet the wrk run uses: 10,000 distinct
 * devices of one app whose public channel serves an encrypted bundle. {@code check} is what the resource does on the
 * I/O thread before the HTTP layer (parse the info object, the schema, the request, the decision, the answer's bytes);
 * {@code decide} is the decision alone. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the allocation per
 * request of this path (docs/performance.md). In the device API's package because the request mapping
 * ({@link DeviceRequests}) is package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx256m"})
public class UpdatesPathBenchmark {
    /** How many distinct devices the requests cycle through (the wrk script's fleet). */
    static final int DEVICES = 10_000;

    static final String APP = "com.example.bench";

    private AppSnapshot app;
    private byte[][] bodies;
    private UpdateRequest[] requests;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        BundleView bundle = BundleView.of(
                "1.0.1",
                "https://cdn.example.com/bundles/" + APP + "/1.0.1.zip",
                "ab".repeat(256),
                "aXZpdml2aXZpdml2aXY=:" + "d3JhcHBlZA".repeat(34) + "==",
                "MIIBCgKCAQEAzNUtP9rS",
                List.of(),
                null,
                null,
                null,
                false);
        ChannelView production = new ChannelView(
                1,
                "production",
                bundle,
                false,
                true,
                false,
                true,
                true,
                true,
                true,
                true,
                true,
                true,
                DisableAutoUpdate.NONE,
                true,
                BuiltinTarget.RESET,
                null);
        app = new AppSnapshot(APP, 1, 1, List.of(production), Map.of());
        bodies = new byte[DEVICES][];
        requests = new UpdateRequest[DEVICES];
        for (int i = 0; i < DEVICES; i++) {
            bodies[i] = infoObject(i).getBytes(StandardCharsets.UTF_8);
            requests[i] = DeviceRequests.toUpdateRequest(InfoObject.parse(bodies[i]));
        }
        byte[] first = check();
        if (UpdateDecision.decide(requests[0], app).outcome() != Outcome.UPDATE || first.length < 512) {
            throw new IllegalStateException("the benchmark's fleet must be offered the update");
        }
    }

    /** The info object of device {@code n}, as the wrk script sends it (docs/protocol.md §1.4). */
    static String infoObject(int n) {
        return String.format(
                "{\"platform\":\"android\",\"device_id\":\"00000000-0000-4000-8000-%012d\",\"app_id\":\"%s\","
                        + "\"custom_id\":\"\",\"version_build\":\"1.0.0\",\"version_code\":\"1\",\"version_os\":\"14\","
                        + "\"version_name\":\"1.0.0\",\"plugin_version\":\"8.51.23\",\"is_emulator\":false,"
                        + "\"is_prod\":true,\"install_source\":\"google_play\",\"defaultChannel\":\"\","
                        + "\"key_id\":\"MIIBCgKCAQEAzNUtP9rS\"}",
                n, APP);
    }

    private int nextDevice() {
        int n = next;
        next = n + 1 == DEVICES ? 0 : n + 1;
        return n;
    }

    /** Parse, schema, request, decision, answer bytes: UpdatesResource.check without HTTP and the recorders. */
    @Benchmark
    public byte[] check() {
        InfoObject info = InfoObject.parse(bodies[nextDevice()]);
        DeviceApiRules.UPDATES.check(info);
        UpdateRequest request = DeviceRequests.toUpdateRequest(info);
        return UpdateDecision.decide(request, app).toJson();
    }

    /** The decision alone, on requests parsed beforehand. */
    @Benchmark
    public Object decide() {
        return UpdateDecision.decide(requests[nextDevice()], app);
    }
}
