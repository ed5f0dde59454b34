package dev.updraft.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.conformance.ClientProcess.ClientException;
import dev.updraft.conformance.DeviceFront.Endpoint;
import dev.updraft.conformance.DeviceFront.Exchange;
import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.sim.store.Fault;
import dev.updraft.sim.store.RequestRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What a scenario's steps work with: its own app on the stage's server (created on first use), its bundles on the
 * store, the client process and what the kit observed (the front's requests, the store's requests). The judging
 * helpers throw a {@link Violation} whose message starts with the scenario's section.
 */
final class ScenarioContext implements AutoCloseable {
    static final String NATIVE_VERSION = "1.0.0";
    static final String REFERENCE_PLUGIN = "8.51.23";
    static final String CHANNEL = "production";

    private final Stage stage;
    private final Scenario scenario;
    private final RunSettings settings;
    private final BundlePrivateKey key;
    private final String app;
    private final Path dir;
    private final Path stateDir;
    private boolean appCreated;
    private ClientProcess client;
    private ObjectNode lastInit;
    private int clientStarts;

    ScenarioContext(Stage stage, Scenario scenario, RunSettings settings, BundlePrivateKey key, String app, Path dir)
            throws IOException {
        this.stage = stage;
        this.scenario = scenario;
        this.settings = settings;
        this.key = key;
        this.app = app;
        this.dir = Files.createDirectories(dir);
        this.stateDir = dir.resolve("client-state");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Set-up: the app, its bundles and channels
    // ---------------------------------------------------------------------------------------------------------

    String app() {
        return app;
    }

    String platform() {
        return settings.platform();
    }

    boolean ios() {
        return settings.platform().equals("ios");
    }

    BundlePrivateKey key() {
        return key;
    }

    Stage stage() {
        return stage;
    }

    Path dir() {
        return dir;
    }

    Path stateDir() {
        return stateDir;
    }

    void ensureApp() throws IOException {
        if (!appCreated) {
            ObjectNode body = ClientProcess.JSON.createObjectNode().put("app_id", app);
            stage.admin("POST", "/apps", body, 201);
            appCreated = true;
        }
    }

    /** A kit bundle (index.html, js/app.js, a small blob) encrypted with the app's key. */
    Release release(String version, boolean callsReady) throws IOException {
        return release(version, callsReady, 16 * 1024, key);
    }

    /** A kit bundle of {@code blobBytes} random bytes plus its page, encrypted with {@code with} (plain if null). */
    Release release(String version, boolean callsReady, int blobBytes, BundlePrivateKey with) throws IOException {
        Path www = Release.www(dir.resolve("www-" + version), version, callsReady, blobBytes);
        return Release.of(version, www, stage.store().dir(), app, with);
    }

    /** The {@code BundleIn} of the admin API for a release on the store. */
    ObjectNode bundleIn(Release r, BundlePrivateKey with) {
        ObjectNode b = ClientProcess.JSON
                .createObjectNode()
                .put("version", r.version())
                .put("external_url", stage.store().url(r.storePath()))
                .put("checksum", r.checksum());
        if (!r.sessionKey().isEmpty()) {
            b.put("session_key", r.sessionKey()).put("key_id", with.publicKey().keyId());
        }
        return b;
    }

    /** Registers the release and points the app's public channel {@value #CHANNEL} at it (created if needed). */
    void publish(Release r) throws IOException {
        publish(r, CHANNEL, key);
    }

    void publish(Release r, String channel, BundlePrivateKey keyIdOf) throws IOException {
        ensureApp();
        ObjectNode b = bundleIn(r, keyIdOf).put("channel", channel).put("create_channel", true);
        stage.admin("POST", "/apps/" + app + "/bundles", b, 200, 201);
    }

    /** Creates a channel with the given fields (JSON object text), e.g. {@code {"allow_device_self_set":true}}. */
    void channel(String name, String fields) throws IOException {
        ensureApp();
        ObjectNode b = (ObjectNode) ClientProcess.JSON.readTree(fields);
        b.put("name", name);
        stage.admin("POST", "/apps/" + app + "/channels", b, 201);
    }

    void patchChannel(String name, String fields) throws IOException {
        stage.admin(
                "PATCH", "/apps/" + app + "/channels/" + name, (ObjectNode) ClientProcess.JSON.readTree(fields), 200);
    }

    void storeFault(Release r, String fault) {
        stage.store().addFault(r.storePath(), Fault.parse(fault));
    }

    void clearStoreFaults() {
        stage.store().clearFaults();
    }

    DeviceFront front() {
        return stage.front();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The client
    // ---------------------------------------------------------------------------------------------------------

    /** Starts the client and sends {@code init} with the kit's defaults, changed by {@code custom}. */
    JsonNode start(Consumer<ObjectNode> custom) throws IOException, ClientException, Violation {
        ensureApp();
        ObjectNode init = ClientProcess.JSON.createObjectNode();
        init.put("appId", app);
        init.put("updateUrl", front().url(Endpoint.UPDATES));
        init.put("statsUrl", front().url(Endpoint.STATS));
        init.put("channelUrl", front().url(Endpoint.CHANNEL_SELF));
        init.put("publicKey", key.publicKey().toPem());
        init.put("nativeVersion", NATIVE_VERSION);
        init.put("pluginVersion", REFERENCE_PLUGIN);
        init.put("platform", settings.platform());
        init.put("stateDir", stateDir.toString());
        ObjectNode options = init.putObject("options");
        options.put("appReadyTimeout", 10_000);
        options.put("autoUpdate", "atBackground");
        options.put("autoDeleteFailed", true);
        options.put("autoDeletePrevious", true);
        options.put("responseTimeout", 10);
        options.put("downloadTimeout", 3_000);
        custom.accept(init);
        lastInit = init;
        return startWith(init);
    }

    /** The {@code options} object of an {@code init} request, to change in {@link #start(Consumer)}. */
    static ObjectNode options(ObjectNode init) {
        return (ObjectNode) init.get("options");
    }

    JsonNode start() throws IOException, ClientException, Violation {
        return start(i -> {});
    }

    private JsonNode startWith(ObjectNode init) throws ClientException, Violation {
        if (client != null) {
            client.close();
        }
        clientStarts++;
        client = ClientProcess.start(
                settings.clientCommand(), settings.clientWorkDir(), dir.resolve("client-" + clientStarts + ".stderr"));
        return call("init", init);
    }

    /** The same phone after its process ended: a new client process on the same state folder, the same init. */
    void restartClient() throws ClientException, Violation {
        startWith(lastInit);
    }

    /** Sends a command; an answer with {@code ok:false} breaks the protocol's promise for that command. */
    JsonNode call(String cmd) throws ClientException, Violation {
        return call(cmd, null);
    }

    JsonNode call(String cmd, ObjectNode fields) throws ClientException, Violation {
        JsonNode a = client.send(cmd, fields);
        if (!a.path("ok").asBoolean(false)) {
            throw new Violation(scenario.section() + ": the client refused '" + cmd + "': "
                    + a.path("error").asText("?") + ": " + a.path("message").asText(""));
        }
        return a;
    }

    /** Sends a command whose refusal is an answer like any other (the channel calls). */
    JsonNode ask(String cmd, ObjectNode fields) throws ClientException {
        return client.send(cmd, fields);
    }

    /** Virtual time: lets {@code ms} of device time pass (the watchdog, a rate-limit block). */
    void advance(long ms) throws ClientException, Violation {
        call("advance", ClientProcess.JSON.createObjectNode().put("ms", ms));
    }

    JsonNode state() throws ClientException, Violation {
        return call("state");
    }

    /** Publishes a confirming bundle {@code version}, starts the client with the defaults and installs it. */
    Release installed(String version) throws Exception {
        Release r = release(version, true);
        publish(r);
        start();
        installCycle();
        return r;
    }

    /** launch, background, foreground: install what the server offers and confirm it (or roll it back). */
    void installCycle() throws ClientException, Violation {
        call("launch");
        call("background");
        call("foreground");
        advance(31_000);
    }

    /** The next round: foreground (check, download), background (apply), foreground (watchdog). */
    void nextCycle() throws ClientException, Violation {
        call("background");
        call("foreground");
        call("background");
        call("foreground");
        advance(31_000);
    }

    /**
     * Kills the client process with SIGKILL while it downloads {@code r}: sends {@code launch}, waits until the store
     * has sent part of the file, then ends the process and everything it started.
     */
    void killDuringDownload(Release r) throws ClientException, InterruptedException, Violation {
        client.sendWithoutWaiting("launch");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (storeGets(r).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new Violation(scenario.section() + ": the client did not start downloading " + r.version()
                        + " within 30 s of launch");
            }
            Thread.sleep(20);
        }
        Thread.sleep(700); // part of the file has arrived (the store sends it slowly)
        client.killHard();
    }

    // ---------------------------------------------------------------------------------------------------------
    // What the kit observed
    // ---------------------------------------------------------------------------------------------------------

    /** Every stats event the front passed on and the server accepted (2xx), in order. */
    List<JsonNode> events() {
        List<JsonNode> out = new ArrayList<>();
        for (Exchange x : front().exchanges(Endpoint.STATS)) {
            if (x.status() / 100 == 2) {
                out.addAll(eventsOf(x));
            }
        }
        return out;
    }

    static List<JsonNode> eventsOf(Exchange x) {
        JsonNode body = x.json();
        List<JsonNode> out = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(out::add);
        } else if (body.isObject()) {
            out.add(body);
        }
        return out;
    }

    List<String> actions() {
        return events().stream().map(e -> e.path("action").asText()).toList();
    }

    List<JsonNode> events(String action) {
        return events().stream()
                .filter(e -> e.path("action").asText().equals(action))
                .toList();
    }

    boolean sent(String action, String version) {
        return events(action).stream()
                .anyMatch(
                        e -> version == null || e.path("version_name").asText().equals(version));
    }

    List<Exchange> updateChecks() {
        return front().exchanges(Endpoint.UPDATES);
    }

    List<RequestRecord> storeGets(Release r) {
        return stage.store().requests(r.storePath()).stream()
                .filter(q -> q.method().equals("GET"))
                .toList();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Judging
    // ---------------------------------------------------------------------------------------------------------

    /** Fails the scenario with {@code what} unless {@code ok}; the message names the section and what was seen. */
    void expect(boolean ok, String what) throws Violation {
        if (!ok) {
            throw new Violation(scenario.section() + ": " + what + " (stats received: " + actionsSummary() + ")");
        }
    }

    void expectSent(String action, String version) throws Violation {
        expect(sent(action, version), "expected a '" + action + "' event" + (version == null ? "" : " for " + version));
    }

    void expectNotSent(String action) throws Violation {
        expect(!sent(action, null), "expected no '" + action + "' event");
    }

    /** The client runs {@code r}, and its installed tree is exactly the bundle's files. */
    void expectInstalled(Release r) throws ClientException, Violation {
        JsonNode s = state();
        expect(
                s.path("current").path("version").asText().equals(r.version()),
                "expected the client to run " + r.version() + ", it runs " + s.path("current"));
        expect(
                r.treeHash().equals(s.path("installedTreeHash").asText()),
                "the installed tree of " + r.version() + " is not the bundle's files (hash "
                        + s.path("installedTreeHash") + ", expected " + r.treeHash() + ")");
    }

    /** The client runs the built-in bundle. */
    void expectBuiltin() throws ClientException, Violation {
        JsonNode s = state();
        expect(
                s.path("current").path("id").asText().equals("builtin"),
                "expected the client to run the built-in bundle, it runs " + s.path("current"));
    }

    /** The client runs the bundle named {@code version}, or the built-in one if it is null. */
    void expectRunning(String version) throws ClientException, Violation {
        if (version == null) {
            expectBuiltin();
            return;
        }
        JsonNode s = state();
        expect(
                s.path("current").path("version").asText().equals(version),
                "expected the client to still run " + version + ", it runs " + s.path("current"));
    }

    /** The status the client reports for the bundle named {@code version}, or "absent". */
    String statusOf(String version) throws ClientException, Violation {
        for (JsonNode b : state().path("bundles")) {
            if (b.path("version").asText().equals(version)) {
                return b.path("status").asText();
            }
        }
        return "absent";
    }

    /** No file holding {@code marker} and no symbolic link exists anywhere under the scenario's folder. */
    void expectNothingWritten(String marker) throws IOException, Violation {
        List<Path> bad = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(p)) {
                    bad.add(p);
                } else if (Files.isRegularFile(p) && Files.size(p) < 4096) {
                    String text = Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1);
                    // a downloaded zip that holds the entry is not the entry written out
                    if (text.contains(marker) && !text.startsWith("PK\u0003\u0004")) {
                        bad.add(p);
                    }
                }
            }
        }
        expect(bad.isEmpty(), "a hostile entry was written: " + bad);
    }

    private String actionsSummary() {
        List<String> a = actions();
        String s = String.join(",", a);
        return s.length() > 600 ? s.substring(0, 600) + "…" : (s.isEmpty() ? "none" : s);
    }

    List<String> transcript() {
        return client == null ? List.of() : client.transcript();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
