package dev.updraft.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.it.FreePort;
import dev.updraft.it.Repo;
import dev.updraft.it.SampleProject;
import dev.updraft.it.SampleProject.Release;
import dev.updraft.it.ServerProcess;
import dev.updraft.sim.BundleInfo;
import dev.updraft.sim.BundleStatus;
import dev.updraft.sim.DeviceConfig;
import dev.updraft.sim.DownloadRecord;
import dev.updraft.sim.SimulatedDevice;
import dev.updraft.sim.load.LoadConfig;
import dev.updraft.sim.load.LoadGenerator;
import dev.updraft.sim.load.LoadReport;
import dev.updraft.sim.store.MockStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./updraft demo}: the seed flow end to end on embedded defaults, explained step by step. It starts the packaged
 * server (its embedded PostgreSQL in a fresh data folder) and the mock enterprise store, runs the real CLI on a copy of the sample app
 * (key create, bundle zip, bundle encrypt, bundle upload), and lets a simulated device install release 1.0.1 and
 * confirm it, then install release 1.0.2, a delta (manifest) release that changes one file, downloading only that
 * file, then release 1.0.3, whose app never calls notifyAppReady(), and roll it back; then a fleet of 200 load-mode
 * devices meets a 50 % rollout of another never-ready release, 1.0.4, which the server pauses by itself. Exits 0 only
 * if every step behaved as expected.
 */
public final class Demo {
    static final String APP_ID = "dev.updraft.hello";
    private static final String UPLOAD_TOKEN = "demo-upload-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final Options options;
    private final List<String> failures = new ArrayList<>();
    private final List<String> byHand = new ArrayList<>();

    /** Command-line options of the demo. */
    record Options(boolean keepRunning, int serverPort, int managementPort, int storePort, Path workDir) {
        static Options parse(String[] args) {
            boolean keep = false;
            int serverPort = -1;
            int managementPort = -1;
            int storePort = -1;
            Path work = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--keep-running" -> keep = true;
                    case "--port" -> serverPort = Integer.parseInt(value(args, ++i, "--port"));
                    case "--management-port" ->
                        managementPort = Integer.parseInt(value(args, ++i, "--management-port"));
                    case "--store-port" -> storePort = Integer.parseInt(value(args, ++i, "--store-port"));
                    case "--work-dir" -> work = Path.of(value(args, ++i, "--work-dir"));
                    case "-h", "--help" -> throw new HelpRequested();
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see --help)");
                }
            }
            if (work == null) {
                work = Repo.root()
                        .resolve(".updraft")
                        .resolve("demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            }
            return new Options(keep, serverPort, managementPort, storePort, work.toAbsolutePath());
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }

    static final class HelpRequested extends RuntimeException {}

    static final String HELP = """
            Usage: ./updraft demo [--keep-running] [--port P] [--management-port M] [--store-port Q] [--work-dir DIR]

            Runs the Updraft seed flow end to end on embedded defaults and explains each step:
              1. starts the server (embedded PostgreSQL in a fresh data folder) and the mock enterprise store
              2. creates a signing key in a copy of samples/hello-app, zips and encrypts release 1.0.1
              3. puts the encrypted zip on the store and registers it with the server (bundle upload --external)
              4. a simulated device on the built-in bundle checks, downloads, decrypts, verifies, applies, confirms
              5. release 1.0.2 changes one file and is published as a delta (bundle upload --delta): the device
                 downloads only that file and prints the bytes it fetched
              6. release 1.0.3, whose app never calls notifyAppReady(), is installed and rolled back (update_fail)
              7. production goes back to 1.0.2; release 1.0.4 (never ready either) is rolled out to 50 % of 200
                 simulated devices, and the server pauses the rollout by itself (a low auto-pause minimum)
              8. prints a summary and the commands to repeat any step by hand
            Exits 0 only if every step behaved as expected.

              --keep-running   leave the server and the store up afterwards and print the plugin configuration
                               a real app would use (stop with Ctrl-C)
              --port P         server port (default 8080 if free, else a free port)
              --management-port M
                               the server's health/metrics/OpenAPI port on 127.0.0.1 (default 9000 if free,
                               else a free port)
              --store-port Q   store port (default 9090 if free, else a free port)
              --work-dir DIR   where to put everything (default .updraft/demo-<time> in the repository)
            """;

    Demo(PrintStream out, Options options) {
        this.out = out;
        this.options = options;
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (HelpRequested h) {
            System.out.print(HELP);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("updraft demo: " + e.getMessage());
            System.exit(2);
            return;
        }
        int code;
        try {
            code = new Demo(System.out, options).run() ? 0 : 1;
        } catch (Exception e) {
            System.err.println("updraft demo: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    /** Runs the demo; true if every step behaved as expected. */
    boolean run() throws Exception {
        Path work = options.workDir();
        Files.createDirectories(work);
        out.println("Updraft demo: the seed flow end to end on embedded defaults");
        out.println("Everything goes into " + work);

        step(1, "Start the Updraft server (embedded PostgreSQL in a fresh data folder) and the mock enterprise store");
        Path dataDir = work.resolve("server-data");
        Path storeDir = Files.createDirectories(work.resolve("store"));
        int serverPort = options.serverPort() > 0 ? options.serverPort() : preferred(8080);
        int managementPort = options.managementPort() > 0 ? options.managementPort() : preferred(9000);
        ServerProcess server = ServerProcess.start(dataDir, serverPort, managementPort, Map.of());
        MockStore store = null;
        try {
            store = MockStore.start(
                    storeDir, options.storePort() > 0 ? options.storePort() : preferred(9090), UPLOAD_TOKEN);
            say("server  " + server.url() + "   (embedded PostgreSQL in " + dataDir.resolve("pg") + ")");
            say("        health and metrics on " + server.managementUrl("/q/health") + " and "
                    + server.managementUrl("/q/metrics") + " (loopback only)");
            say("        admin API key generated into " + server.adminKeyFile() + " (owner-only)");
            say("store   " + store.baseUrl() + "   (serves " + storeDir + ", accepts PUT with the upload token)");
            String u = Repo.root().resolve("updraft").toString();
            byHand.add(u + " server --port " + server.port() + " --management-port " + server.managementPort()
                    + " --data-dir " + dataDir);
            byHand.add(u + " store --dir " + storeDir + " --port " + store.port() + " --upload-token " + UPLOAD_TOKEN);

            boolean ok = runFlow(work, server, store);
            summary(ok, work, server, store);
            if (options.keepRunning() && ok) {
                keepRunning(server, store);
            }
            return ok;
        } finally {
            if (!options.keepRunning()) {
                if (store != null) {
                    store.close();
                }
                server.stop();
            }
        }
    }

    private boolean runFlow(Path work, ServerProcess server, MockStore store) throws Exception {
        SampleProject project = SampleProject.copy(work.resolve("hello-app"), APP_ID, server);
        project.cli().onRun(args -> say("$ updraft " + shown(args)));
        try {
            return flow(project, work, server, store);
        } catch (SampleProject.CliFailure e) {
            fail(e.getMessage());
            return false;
        }
    }

    private boolean flow(SampleProject project, Path work, ServerProcess server, MockStore store) throws Exception {
        step(2, "Create a signing key, then zip and encrypt release 1.0.1 of the sample app");
        say("(a copy of samples/hello-app: a small web app whose js/app.js calls notifyAppReady())");
        JsonNode key = project.keyCreate();
        say("key_id " + key.path("keyId").asText() + "; .capgo_key_v2 (0600) and .capgo_key_v2.pub written,"
                + " publicKey added to capacitor.config.json");
        Release r1 = release(project, "1.0.1", project.www(), true);

        step(3, "Put the encrypted zip on the store and register it with the server");
        project.addApp();
        publish(project, store, r1);

        step(4, "A device on the built-in bundle checks, downloads, decrypts, verifies, applies and confirms 1.0.1");
        DeviceConfig config = DeviceConfig.builder()
                .appId(APP_ID)
                .server(server.url())
                .publicKey(project.publicKeyFile())
                .versionBuild("1.0.0")
                .build();
        try (SimulatedDevice device = SimulatedDevice.open(config, work.resolve("device"))) {
            say("device " + device.deviceId()
                    + " (android, native app 1.0.0, autoUpdate atBackground, running the built-in bundle)");
            device.launch();
            sayCheck(device);
            device.background();
            say("app went to the background: the next bundle is applied (stat 'set')");
            device.foreground();
            say("app came back: its JavaScript called notifyAppReady(), so 1.0.1 is confirmed");
            BundleInfo current = device.currentBundle();
            expect(
                    current != null && "1.0.1".equals(current.version()) && current.status() == BundleStatus.SUCCESS,
                    "the device runs 1.0.1, confirmed (status success)",
                    "the device runs " + current);
            expect(
                    device.sentActions().containsAll(List.of("download_complete", "set")),
                    "the device reported download_complete and set",
                    "the device reported " + device.sentActions());
            JsonNode v1 = project.versionStats("1.0.1");
            expect(
                    v1.path("installs").asInt() >= 1,
                    "server stats for 1.0.1: installs=" + v1.path("installs").asInt() + " failures="
                            + v1.path("failures").asInt() + " devices="
                            + v1.path("devices").asInt(),
                    "server stats for 1.0.1: " + v1);
            if (!failures.isEmpty()) {
                return false;
            }
            DownloadRecord first = device.downloads().get(device.downloads().size() - 1);

            step(5, "Release 1.0.2 as a delta (bundle upload --delta): one file changed, and only that file travels");
            Path www2 = project.variant("www-1.0.2", "1.0.2", true);
            say(
                    "www-1.0.2 is www with one changed line in index.html; the CLI publishes the zip (for older plugins) and one");
            say("encrypted payload per file, content-addressed, and registers the manifest");
            project.json(
                    "bundle",
                    "upload",
                    APP_ID,
                    "--bundle",
                    "1.0.2",
                    "--delta",
                    "--path",
                    "www-1.0.2",
                    "--upload-to",
                    store.url("/bundles"),
                    "--upload-token",
                    UPLOAD_TOKEN,
                    "--channel",
                    "production");
            say("bundle 1.0.2 registered with its manifest; channel 'production' now points at it");
            device.background();
            device.foreground();
            sayCheck(device);
            device.background();
            device.foreground();
            DownloadRecord delta = device.downloads().get(device.downloads().size() - 1);
            current = device.currentBundle();
            expect(
                    current != null && "1.0.2".equals(current.version()) && current.status() == BundleStatus.SUCCESS,
                    "the device runs 1.0.2, confirmed (status success)",
                    "the device runs " + current);
            expect(
                    DownloadRecord.MANIFEST.equals(delta.kind()) && delta.filesFetched() == 1,
                    "the device fetched " + delta.networkBytes() + " bytes for 1.0.2: " + delta.filesFetched()
                            + " file, " + delta.filesReused() + " reused from what it had (1.0.1 came as a "
                            + first.networkBytes() + "-byte zip)",
                    "the device downloaded " + delta);

            step(6, "Release 1.0.3, whose app never calls notifyAppReady(): installed, then rolled back");
            Path www3 = project.variant("www-1.0.3", "1.0.3", false);
            say(
                    "www-1.0.3 is www without the notifyAppReady() call (zipped with --no-code-check, which skips the check that would catch it)");
            Release r3 = release(project, "1.0.3", www3, false);
            publish(project, store, r3);
            device.background();
            device.foreground();
            say("the app came to the foreground again, so the plugin checked for an update:");
            sayCheck(device);
            device.background();
            say("app went to the background: 1.0.3 is applied");
            device.foreground();
            say("app came back: no notifyAppReady() within appReadyTimeout, so the plugin rolls back");
            current = device.currentBundle();
            expect(
                    current != null && "1.0.2".equals(current.version()),
                    "the device is back on 1.0.2",
                    "the device runs " + current);
            expect(
                    device.sentActions().contains("update_fail"),
                    "the device reported update_fail for 1.0.3",
                    "the device reported " + device.sentActions());
            JsonNode v3 = project.versionStats("1.0.3");
            expect(
                    v3.path("failures").asInt() >= 1,
                    "server stats for 1.0.3: installs=" + v3.path("installs").asInt() + " failures="
                            + v3.path("failures").asInt() + " (" + v3.path("actions") + ")",
                    "server stats for 1.0.3: " + v3);
        }
        if (!failures.isEmpty()) {
            return false;
        }
        rolloutPausedByItself(project, server, store);
        return failures.isEmpty();
    }

    /** Devices of the demo's fleet: few, so the step takes seconds; the channel's policy decides after 10 of them. */
    static final int FLEET = 200;

    private void rolloutPausedByItself(SampleProject project, ServerProcess server, MockStore store) throws Exception {
        step(7, "A rollout that pauses itself: 1.0.4 (never ready either) to 50 % of " + FLEET + " devices");
        project.run("channel", "set", "production", "--bundle", "1.0.2", "--auto-pause-min-attempts", "10");
        say(
                "production serves 1.0.2 again (taking out 1.0.3), and pauses a rollout once 10 devices have an outcome (the server's default is 20)");
        Path www4 = project.variant("www-1.0.4", "1.0.4", false);
        Release r4 = release(project, "1.0.4", www4, false);
        String path = "/bundles/" + r4.file().getFileName();
        project.publish(r4, store.url(path), UPLOAD_TOKEN, "production", "--rollout", "50");
        say(
                "1.0.4 is production's rollout at 50 %: which devices get it is a hash of the device id and the rollout id");
        say("running " + FLEET
                + " simulated devices for 20 s: half of them install 1.0.4, which never calls notifyAppReady()...");
        LoadReport report = LoadGenerator.run(LoadConfig.builder()
                .server(server.url())
                .appId(APP_ID)
                .devices(FLEET)
                .duration(java.time.Duration.ofSeconds(20))
                .rate(40)
                .concurrency(16)
                .download(true)
                .downloadConcurrency(4)
                .sendStats(true)
                .publicKey(BundlePublicKey.read(project.publicKeyFile()))
                .neverReady(List.of("1.0.4"))
                .build());
        say("fleet: " + report.rolledBack() + " devices rolled 1.0.4 back");
        JsonNode channel = null;
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            channel = project.json("channel", "show", "production");
            if (!channel.path("rollout_paused_at").isNull()) {
                break;
            }
            Thread.sleep(1000);
        }
        boolean paused = channel != null
                && "auto".equals(channel.path("rollout_paused_by").asText());
        expect(
                paused,
                "the server paused the rollout by itself: "
                        + channel.path("rollout_pause_reason").asText(),
                "the rollout was not paused within 60 s: " + channel);
        if (paused) {
            project.run("channel", "list").stdout().lines().forEach(this::say);
            JsonNode v4 = project.versionStats("1.0.4");
            say("1.0.4's funnel in devices: offered "
                    + v4.path("funnel").path("offered").asInt() + ", installed "
                    + v4.path("funnel").path("installed").asInt() + ", confirmed "
                    + v4.path("funnel").path("confirmed").asInt()
                    + ", rolled back " + v4.path("funnel").path("rolled_back").asInt());
            say(
                    "no new device gets 1.0.4 now; 'updraft channel set production --rollout-resume' resumes, '--rollout-rollback' ends it");
        }
    }

    private Release release(SampleProject project, String version, Path www, boolean codeCheck) throws Exception {
        Release r = project.release(version, www, true, codeCheck);
        say("encrypted " + r.file().getFileName() + "; ivSessionKey " + abbreviate(r.ivSessionKey())
                + "; encoded checksum " + abbreviate(r.checksum()));
        return r;
    }

    private void publish(SampleProject project, MockStore store, Release r) throws Exception {
        String path = "/bundles/" + r.file().getFileName();
        // --upload-file PUTs the verified file to the store; without it, copy the file to your storage yourself.
        project.publish(r, store.url(path), UPLOAD_TOKEN, "production");
        expect(
                store.requests(path).stream().anyMatch(q -> q.method().equals("PUT")),
                "the encrypted zip is on the store at " + store.url(path),
                "the store never received " + path);
        say("bundle " + r.version() + " registered; channel 'production' now points at it");
    }

    private void sayCheck(SimulatedDevice device) {
        var check = device.lastCheck();
        if (check == null) {
            say("no update check happened");
            return;
        }
        String answer = check.answer() == null ? "no answer" : check.answer().toString();
        say("update check -> " + answer);
        say("device: " + check.outcome()
                + (check.detail() == null || check.detail().isEmpty() ? "" : " (" + check.detail() + ")") + "; "
                + device.bytesDownloaded() + " bytes downloaded from the store so far");
    }

    private static String shown(List<String> args) {
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            String v = a.length() > 48 && !a.startsWith("/") && !a.startsWith("http") ? abbreviate(a) : a;
            sb.append(sb.length() == 0 ? "" : " ").append(v.contains(" ") ? "'" + v + "'" : v);
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 12) + "…" + s.substring(s.length() - 8);
    }

    private void summary(boolean ok, Path work, ServerProcess server, MockStore store) {
        step(8, "Summary");
        if (ok) {
            say(
                    "Every step behaved as expected: 1.0.1 installed and confirmed; 1.0.2 as a delta, only its changed file"
                            + " downloaded; 1.0.3 installed, rolled back, counted as a failure; the 1.0.4 rollout paused by itself.");
        } else {
            say("FAILED: " + String.join("; ", failures));
            say("server log: " + server.log());
        }
        String u = Repo.root().resolve("updraft").toString();
        Path project = work.resolve("hello-app");
        out.println();
        out.println("To repeat any step by hand (" + u + " is the launcher; run the CLI steps in the project folder):");
        for (String c : byHand) {
            out.println("  " + c);
        }
        out.println("  cd " + project);
        out.println("  export UPDRAFT_SERVER=" + server.url() + " UPDRAFT_API_KEY_FILE=" + server.adminKeyFile());
        out.println("  " + u
                + " bundle zip --path www --bundle 1.0.5                 # then edit www/ and bump the version");
        out.println("  " + u + " bundle encrypt " + APP_ID + "_1.0.5.zip <checksum>");
        out.println("  " + u + " bundle upload --bundle 1.0.5 --external "
                + store.url("/bundles/" + APP_ID + "_1.0.5.zip_encrypted.zip")
                + " \\\n      --iv-session-key '<ivSessionKey>' --encrypted-checksum <checksum> --upload-file " + APP_ID
                + "_1.0.5.zip_encrypted.zip --upload-token " + UPLOAD_TOKEN);
        out.println("  " + u + " stats");
        out.println("  " + u + " stats --bundle 1.0.4 --hourly");
        out.println("  " + u + " channel list                                           # the rollout, paused by auto");
        out.println("  " + u + " sim run --server " + server.url() + " --app " + APP_ID + " --public-key "
                + project.resolve(".capgo_key_v2.pub") + " --native-version 1.0.0 --state-dir " + work.resolve("sim"));
        out.println("(--keep-running leaves the server and the store up for this.)");
    }

    private void keepRunning(ServerProcess server, MockStore store) throws IOException, InterruptedException {
        Path project = options.workDir().resolve("hello-app");
        JsonNode config = JSON.readTree(project.resolve("capacitor.config.json").toFile());
        String publicKey = config.path("plugins")
                .path("CapacitorUpdater")
                .path("publicKey")
                .asText();
        out.println();
        out.println("The server and the store keep running (Ctrl-C stops both):");
        out.println("  server          " + server.url() + "   admin API key: " + server.adminKeyFile());
        out.println("  management      " + server.managementUrl("/q") + "   (health, metrics, openapi; loopback only)");
        out.println("  store           " + store.baseUrl());
        out.println("  plugin config a real app would use (capacitor.config.json, plugins.CapacitorUpdater):");
        var block = JSON.createObjectNode();
        block.put("updateUrl", server.url("/updates"));
        block.put("statsUrl", server.url("/stats"));
        block.put("channelUrl", server.url("/channel_self"));
        block.put("publicKey", publicKey);
        out.println(
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(block).indent(4));
        out.println(
                "  (a phone cannot reach 127.0.0.1: serve both over HTTPS on an address it can reach; see docs/quickstart.md)");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            store.close();
            try {
                server.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop.countDown();
        }));
        stop.await();
    }

    private static int preferred(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
            return port;
        } catch (IOException busy) {
            return FreePort.find();
        }
    }

    private void step(int n, String title) {
        out.println();
        out.println("[" + n + "/8] " + title);
    }

    private void say(String line) {
        out.println("      " + line);
    }

    private void expect(boolean condition, String good, String bad) {
        if (condition) {
            say("ok: " + good);
        } else {
            fail(bad);
        }
    }

    private void fail(String message) {
        failures.add(message);
        say("FAILED: " + message);
    }

    List<String> failures() {
        return failures;
    }
}
