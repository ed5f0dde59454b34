package dev.updraft.bench;

import dev.updraft.protocol.InfoObject;
import dev.updraft.protocol.ManifestEntry;
import dev.updraft.protocol.UpdateOffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
 * The protocol module's wire JSON: an encrypted zip answer and a 1,000-file manifest answer serialised (the server does
 * it once per bundle and snapshot, a device reads it per check), and the info object parsed (once per request).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx256m"})
public class AnswerJsonBenchmark {
    private UpdateOffer zip;
    private UpdateOffer manifest;
    private byte[] info;

    @Setup(Level.Trial)
    public void setUp() {
        zip = UpdateOffer.of(
                "1.0.1", "https://cdn.example.com/bundles/1.0.1.zip", "aXY=:" + "a2V5".repeat(86), "ab".repeat(256));
        List<ManifestEntry> files = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            files.add(new ManifestEntry(
                    "assets/chunk-" + i + ".js", "cd".repeat(256), "https://cdn.example.com/delta/" + i + ".js"));
        }
        manifest = new UpdateOffer(
                "1.0.2", "https://cdn.example.com/bundles/1.0.2.zip", "", "ef".repeat(32), files, null, null, false);
        info = ("{\"platform\":\"ios\",\"device_id\":\"6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f\","
                        + "\"app_id\":\"com.example.bench\",\"custom_id\":\"\",\"version_build\":\"1.0.0\","
                        + "\"version_code\":\"1\",\"version_os\":\"17.5\",\"version_name\":\"1.0.0\","
                        + "\"plugin_version\":\"8.51.23\",\"is_emulator\":false,\"is_prod\":true,"
                        + "\"defaultChannel\":\"\",\"key_id\":\"MIIBCgKCAQEAzNUtP9rS\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public byte[] zipAnswer() {
        return zip.toJson();
    }

    @Benchmark
    public byte[] manifestAnswer1000Files() {
        return manifest.toJson();
    }

    @Benchmark
    public InfoObject parseInfoObject() {
        return InfoObject.parse(info);
    }
}
