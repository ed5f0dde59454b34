package dev.updraft.conformance.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.conformance.TreeHash;
import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.crypto.CryptoException;
import dev.updraft.sim.AppBehaviour;
import dev.updraft.sim.AutoUpdateMode;
import dev.updraft.sim.BundleInfo;
import dev.updraft.sim.BundleStatus;
import dev.updraft.sim.ChannelResult;
import dev.updraft.sim.CheckResult;
import dev.updraft.sim.DeviceConfig;
import dev.updraft.sim.SimClock;
import dev.updraft.sim.SimulatedDevice;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The reference client of the conformance kit: the client protocol of docs/conformance.md over
 * {@link SimulatedDevice}'s public API. One request per line on standard input, one answer per line on standard
 * output; it exits when its input closes. {@code --deviation NAME} plays one of the simulator's deliberately broken
 * variants, so that the kit's own tests can show it catches each one.
 *
 * <p>The simulated app calls {@code notifyAppReady()} as soon as a bundle whose JavaScript contains
 * {@code notifyAppReady(} is loaded (the simulator's {@code auto} app, docs/conformance.md "The app"); the
 * {@code notifyAppReady} command is therefore answered from what that app already did.
 */
public final class SimAdapter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> deviations;
    private SimulatedDevice device;
    private Path stateDir;

    private SimAdapter(List<String> deviations) {
        this.deviations = deviations;
    }

    public static void main(String[] args) throws IOException {
        List<String> deviations = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--deviation") && i + 1 < args.length) {
                deviations.add(args[++i]);
            } else if (args[i].equals("--train") && args.length == 1) {
                train();
                System.exit(0);
            } else {
                System.err.println(
                        "sim-adapter: unknown argument '" + args[i] + "' (usage: [--deviation NAME]... | --train)");
                System.exit(2);
            }
        }
        // Answers go to the real standard output only; anything the simulator prints goes to standard error.
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        SimAdapter adapter = new SimAdapter(deviations);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (!line.isBlank()) {
                out.println(adapter.answer(line));
            }
        }
        adapter.close();
        System.exit(0); // do not wait for the network's threads to wind down: the kit starts the next client
    }

    /**
     * Plays a short session against an address where nothing listens, so that a JVM started with
     * {@code -XX:ArchiveClassesAtExit} records the classes a scenario loads (the launcher then starts every client
     * with that archive: a fifth of the start-up time).
     */
    private static void train() throws IOException {
        Path dir = Files.createTempDirectory("sim-adapter-train-");
        String url = "http://127.0.0.1:9/";
        ObjectNode init = JSON.createObjectNode()
                .put("id", 1)
                .put("cmd", "init")
                .put("appId", "dev.conformance.train")
                .put("updateUrl", url + "updates")
                .put("statsUrl", url + "stats")
                .put("channelUrl", url + "channel_self")
                .put("nativeVersion", "1.0.0")
                .put("pluginVersion", "8.51.23")
                .put("platform", "android")
                .put("stateDir", dir.resolve("state").toString());
        init.putObject("options").put("responseTimeout", 1);
        SimAdapter a = new SimAdapter(List.of());
        a.answer(init.toString());
        for (String cmd : List.of("launch", "background", "foreground", "getChannel", "state")) {
            a.answer("{\"id\":2,\"cmd\":\"" + cmd + "\"}");
        }
        a.close();
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    String answer(String line) {
        JsonNode id = null;
        try {
            JsonNode req = JSON.readTree(line);
            id = req.get("id");
            ObjectNode a = handle(req.path("cmd").asText(), req);
            a.put("ok", true);
            return withId(a, id);
        } catch (IOException | CryptoException | IllegalArgumentException | IllegalStateException e) {
            ObjectNode a = JSON.createObjectNode();
            a.put("ok", false);
            a.put("error", e instanceof IllegalStateException ? "bad_state" : "bad_request");
            a.put("message", String.valueOf(e.getMessage()));
            return withId(a, id);
        }
    }

    private static String withId(ObjectNode a, JsonNode id) {
        ObjectNode o = JSON.createObjectNode();
        o.set("id", id);
        o.setAll(a);
        return o.toString();
    }

    private ObjectNode handle(String cmd, JsonNode req) throws IOException, CryptoException {
        ObjectNode a = JSON.createObjectNode();
        if (cmd.equals("init")) {
            init(req);
            return a;
        }
        if (device == null) {
            throw new IllegalStateException("'" + cmd + "' before 'init'");
        }
        switch (cmd) {
            case "launch" -> device.launch();
            case "foreground" -> device.foreground();
            case "background" -> device.background();
            case "kill" -> device.kill();
            case "check" -> {
                CheckResult r = device.checkForUpdate();
                a.put("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
            }
            case "setChannel" ->
                channel(
                        a,
                        device.setChannel(
                                req.path("channel").asText(),
                                req.path("triggerAutoUpdate").asBoolean()));
            case "getChannel" -> channel(a, device.getChannel());
            case "unsetChannel" -> channel(a, device.unsetChannel());
            case "listChannels" -> channel(a, device.listChannels());
            case "notifyAppReady" -> notifyAppReady();
            case "advance" -> advance(req.path("ms").asLong());
            case "state" -> state(a);
            default -> throw new IllegalArgumentException("unknown command '" + cmd + "'");
        }
        return a;
    }

    private void init(JsonNode req) throws IOException, CryptoException {
        if (device != null) {
            throw new IllegalStateException("'init' twice");
        }
        JsonNode o = req.path("options");
        DeviceConfig.Builder b = DeviceConfig.builder()
                .appId(req.path("appId").asText())
                .updateUrl(req.path("updateUrl").asText())
                .statsUrl(req.path("statsUrl").asText())
                .channelUrl(req.path("channelUrl").asText())
                .versionBuild(req.path("nativeVersion").asText())
                .pluginVersion(req.path("pluginVersion").asText())
                .platform(DeviceConfig.platform(req.path("platform").asText()))
                .appBehaviour(AppBehaviour.auto());
        if (req.hasNonNull("publicKey")) {
            b.publicKey(BundlePublicKey.fromPem(req.path("publicKey").asText()));
        }
        if (o.has("appReadyTimeout")) {
            b.appReadyTimeoutMs(o.path("appReadyTimeout").asLong());
        }
        if (o.has("autoUpdate")) {
            b.autoUpdate(AutoUpdateMode.parse(o.path("autoUpdate").asText()));
        }
        if (o.hasNonNull("defaultChannel")) {
            b.defaultChannel(o.path("defaultChannel").asText());
        }
        if (o.has("autoDeleteFailed")) {
            b.autoDeleteFailed(o.path("autoDeleteFailed").asBoolean());
        }
        if (o.has("autoDeletePrevious")) {
            b.autoDeletePrevious(o.path("autoDeletePrevious").asBoolean());
        }
        if (o.has("responseTimeout")) {
            b.responseTimeoutSeconds(o.path("responseTimeout").asInt());
        }
        if (o.has("downloadTimeout")) {
            b.downloadTimeoutFloorMs(o.path("downloadTimeout").asLong());
        }
        Deviations.apply(b, deviations);
        stateDir = Path.of(req.path("stateDir").asText());
        device = SimulatedDevice.open(b.build(), stateDir);
    }

    /**
     * The simulated app confirms a bundle itself when its JavaScript calls {@code notifyAppReady(}; this command can
     * only say whether the page shown now did. A bundle that is not confirmed stays unconfirmed: the simulator's
     * public API has no call from outside the app.
     */
    private void notifyAppReady() {
        BundleInfo current = device.currentBundle();
        if (!current.isBuiltin() && current.status() != BundleStatus.SUCCESS) {
            throw new IllegalStateException("the simulated app of " + current.version()
                    + " does not call notifyAppReady (its JavaScript has no notifyAppReady( call)");
        }
    }

    private void advance(long ms) {
        if (device.clock() instanceof SimClock.Virtual v) {
            v.advance(ms);
        }
        // The simulator already skips every wait it meets (the watchdog, retry backoff) on its virtual clock.
    }

    private static void channel(ObjectNode a, ChannelResult r) {
        a.put("success", r.ok());
        if (!r.ok()) {
            a.put("channelError", r.error());
            a.put("channelMessage", r.message());
        }
        if (r.channel() != null) {
            a.put("channel", r.channel());
        }
        if (r.status() != null) {
            a.put("status", r.status());
        }
        ArrayNode list = a.putArray("channels");
        for (ChannelResult.Channel c : r.channels()) {
            ObjectNode e = list.addObject();
            e.put("name", c.name());
            e.put("public", c.isPublic());
            e.put("allow_self_set", c.allowSelfSet());
        }
    }

    private void state(ObjectNode a) throws IOException {
        BundleInfo current = device.currentBundle();
        a.set("current", bundle(current));
        a.set("next", device.nextBundle() == null ? null : bundle(device.nextBundle()));
        ArrayNode list = a.putArray("bundles");
        for (BundleInfo b : device.bundles()) {
            list.add(bundle(b));
        }
        // The simulator's documented layout: files/versions/<id>/ under the state folder (device-sim/README.md).
        Path dir = stateDir.resolve("files").resolve("versions").resolve(current.id());
        a.put("installedTreeHash", current.isBuiltin() || !Files.isDirectory(dir) ? null : TreeHash.of(dir));
    }

    private static ObjectNode bundle(BundleInfo b) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", b.id());
        o.put("version", b.version());
        o.put("status", b.status().wire());
        return o;
    }

    private void close() {
        if (device != null) {
            device.close();
        }
    }
}
