package dev.updraft.sim;

import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.sim.store.MockStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fake update server, a real mock store and a team key, fresh for each test; devices share one network. */
abstract class DeviceTestSupport {
    static final String APP = "com.example.selfhosted";
    static BundlePrivateKey teamKey;
    static DeviceHttp network;

    @TempDir
    Path tmp;

    FakeUpdateServer server;
    MockStore store;
    final List<SimulatedDevice> devices = new ArrayList<>();

    @BeforeAll
    static void keyAndNetwork() {
        if (teamKey == null) {
            teamKey = BundlePrivateKey.generate();
            network = DeviceHttp.create();
        }
    }

    @BeforeEach
    void startServers() throws Exception {
        server = new FakeUpdateServer();
        store = MockStore.start(tmp.resolve("store"), 0, null);
    }

    @AfterEach
    void stopServers() throws Exception {
        // Whatever the simulator sent, the protocol's server-side parsers accept.
        org.assertj.core.api.Assertions.assertThat(server.protocolRefusals)
                .as("requests the protocol refuses")
                .isEmpty();
        devices.forEach(SimulatedDevice::close);
        store.close();
        server.close();
    }

    /** The defaults of the tests: this app, the team key, short timeouts (real network waits stay short). */
    DeviceConfig.Builder config() {
        return DeviceConfig.builder()
                .appId(APP)
                .server(server.url())
                .publicKey(teamKey.publicKey())
                .responseTimeoutSeconds(2)
                .downloadTimeoutFloorMs(0)
                .downloadAttempts(3);
    }

    SimulatedDevice device(DeviceConfig config, String name) {
        SimulatedDevice d = SimulatedDevice.open(config, tmp.resolve("devices").resolve(name), network);
        devices.add(d);
        return d;
    }

    SimulatedDevice device() {
        return device(config().build(), "phone");
    }

    /** Makes an encrypted bundle, puts it in the store, returns it. */
    TestBundles.Made publish(String version, boolean callsReady, int blobBytes) throws Exception {
        TestBundles.Made m = TestBundles.make(tmp.resolve("build"), "app-" + version, callsReady, blobBytes, teamKey);
        Path target = store.dir().resolve("bundles").resolve(version + ".zip");
        Files.createDirectories(target.getParent());
        Files.copy(m.file(), target);
        return m;
    }

    String urlOf(String version) {
        return store.url("/bundles/" + version + ".zip");
    }

    void offer(String version, TestBundles.Made m) {
        server.offer(m, version, urlOf(version));
    }

    /** A device that installed and confirmed {@code version} (launch, background, foreground). */
    SimulatedDevice deviceOn(String version, TestBundles.Made m, DeviceConfig config) {
        offer(version, m);
        SimulatedDevice d = device(config, "phone");
        d.launch();
        d.background();
        d.foreground();
        org.assertj.core.api.Assertions.assertThat(d.currentBundle().version()).isEqualTo(version);
        org.assertj.core.api.Assertions.assertThat(d.currentBundle().status()).isEqualTo(BundleStatus.SUCCESS);
        return d;
    }

    /** The actions of events as they went over the wire (what the fake server received). */
    static List<String> actionsOf(List<io.vertx.core.json.JsonObject> events) {
        return events.stream().map(e -> e.getString("action")).toList();
    }

    /** The actions of events the device keeps (queued, delivered, dropped). */
    static List<String> actions(List<dev.updraft.protocol.StatsEvent> events) {
        return events.stream().map(dev.updraft.protocol.StatsEvent::action).toList();
    }
}
