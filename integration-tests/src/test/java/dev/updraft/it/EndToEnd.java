package dev.updraft.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.protocol.InfoObject;
import dev.updraft.sim.DeviceConfig;
import dev.updraft.sim.DeviceHttp;
import dev.updraft.sim.SimulatedDevice;
import dev.updraft.sim.store.MockStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared stage of the end-to-end scenarios: the packaged server as a real process on loopback (its embedded
 * PostgreSQL in a fresh data folder, one per test class), the mock enterprise store, and simulated devices sharing one network client. Each
 * scenario uses its own app id, so scenarios of a class do not see each other's channels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EndToEnd {
    static final String UPLOAD_TOKEN = "it-upload-token";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static ServerProcess server;
    /** How this class's projects run the CLI ({@link #cliMode()}). */
    static CliRunner.Mode cliMode = CliRunner.Mode.IN_PROCESS;

    static MockStore store;
    static DeviceHttp net;
    private final List<SimulatedDevice> devices = new ArrayList<>();
    private int deviceCount;

    @BeforeAll
    void startStage() throws Exception {
        cliMode = cliMode();
        server = startServer();
        store = MockStore.start(Files.createDirectories(work.resolve("store")), 0, UPLOAD_TOKEN);
        net = DeviceHttp.create();
    }

    /**
     * The packaged CLI in this JVM (CliRunner.Mode.IN_PROCESS: the same jar and entry point, without a JVM start per
     * command); the seed flow overrides it to run every command as a process, as the demo does.
     */
    CliRunner.Mode cliMode() {
        return CliRunner.Mode.IN_PROCESS;
    }

    /** The server of this class; PostgreSQL scenarios override it. */
    ServerProcess startServer() throws Exception {
        return ServerProcess.start(work.resolve("server-data"));
    }

    @AfterAll
    void stopStage() throws Exception {
        if (net != null) {
            net.close();
        }
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @AfterEach
    void closeDevices() {
        devices.forEach(SimulatedDevice::close);
        devices.clear();
    }

    /** A copy of the sample app registered on the server as {@code appId}. */
    static SampleProject project(String appId) throws Exception {
        SampleProject p = SampleProject.copy(work.resolve(appId), appId, server, cliMode);
        p.addApp();
        return p;
    }

    /** An app with a key pair and an encrypted release of the sample's www/ on its public 'production' channel. */
    static SampleProject encryptedApp(String appId, String version) throws Exception {
        SampleProject p = project(appId);
        p.keyCreate();
        publish(p, p.release(version, p.www(), true, true), "production");
        return p;
    }

    /** Where the store serves a release of an app. */
    static String storeUrl(SampleProject p, SampleProject.Release r) {
        return store.url("/" + p.appId() + "/" + r.file().getFileName());
    }

    /** Puts the release on the store and registers it for {@code channel}. */
    static void publish(SampleProject p, SampleProject.Release r, String channel, String... extra) throws Exception {
        p.publish(r, storeUrl(p, r), UPLOAD_TOKEN, channel, extra);
    }

    /** A fresh simulated device of {@code appId} (android, native 1.0.0 unless configured), in its own folder. */
    SimulatedDevice device(String appId, Path publicKey, Consumer<DeviceConfig.Builder> custom) throws Exception {
        DeviceConfig.Builder b =
                DeviceConfig.builder().appId(appId).server(server.url()).versionBuild("1.0.0");
        if (publicKey != null) {
            b.publicKey(publicKey);
        }
        custom.accept(b);
        SimulatedDevice d =
                SimulatedDevice.open(b.build(), work.resolve("devices").resolve(appId + "-" + (++deviceCount)), net);
        devices.add(d);
        return d;
    }

    SimulatedDevice device(String appId, Path publicKey) throws Exception {
        return device(appId, publicKey, b -> {});
    }

    /** One plugin session that installs what the server offers: cold start (check, download), background (apply), foreground (confirm). */
    static void launchAndApply(SimulatedDevice d) {
        d.launch();
        d.background();
        d.foreground();
    }

    /** The next foreground cycle: check and download, apply at background, confirm or roll back at foreground. */
    static void nextCycle(SimulatedDevice d) {
        d.background();
        d.foreground();
        d.background();
        d.foreground();
    }

    /** POST /updates with a plugin-shaped info object, as raw JSON text. */
    static HttpResponse<String> rawUpdateCheck(InfoObject info) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url("/updates")))
                                .header("Content-Type", "application/json; charset=utf-8")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(info.toJson()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** GET on the admin API with the server's generated key. */
    static JsonNode admin(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url(path)))
                                .header("Authorization", "Bearer " + server.adminKey())
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
