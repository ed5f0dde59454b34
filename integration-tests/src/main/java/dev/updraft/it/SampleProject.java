package dev.updraft.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A copy of {@code samples/hello-app} driven through the packaged CLI, the way a team would: key create, bundle zip,
 * bundle encrypt, bundle upload. Every step runs the packaged jar, as a real {@code java -jar updraft-cli.jar} process
 * unless the test asks for {@link CliRunner.Mode#IN_PROCESS}; a step that exits non-zero throws {@link CliFailure} with
 * the CLI's own error line.
 */
public final class SampleProject {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final String appId;
    private final CliRunner cli;

    private SampleProject(Path dir, String appId, CliRunner cli) {
        this.dir = dir;
        this.appId = appId;
        this.cli = cli;
    }

    /** Copies the sample app into {@code target}, with {@code appId} as its app id, talking to {@code server}. */
    public static SampleProject copy(Path target, String appId, ServerProcess server) throws IOException {
        return copy(target, appId, server, CliRunner.Mode.PROCESS);
    }

    /** The same, running the CLI as {@code mode} says. */
    public static SampleProject copy(Path target, String appId, ServerProcess server, CliRunner.Mode mode)
            throws IOException {
        copyTree(Repo.root().resolve("samples/hello-app"), target);
        Path config = target.resolve("capacitor.config.json");
        Files.writeString(config, Files.readString(config).replace("\"dev.updraft.hello\"", "\"" + appId + "\""));
        CliRunner cli = new CliRunner(target, mode)
                .env("UPDRAFT_SERVER", server.url())
                .env("UPDRAFT_API_KEY_FILE", server.adminKeyFile().toString());
        return new SampleProject(target, appId, cli);
    }

    /** A CLI step that exited non-zero. */
    public static final class CliFailure extends RuntimeException {
        public CliFailure(CliRunner.Result r) {
            super("updraft " + String.join(" ", r.command()) + " exited " + r.exitCode() + ": "
                    + r.stderr().strip());
        }
    }

    /** A zipped (and, when {@code ivSessionKey} is not null, encrypted) release, ready to host. */
    public record Release(String version, Path file, String checksum, String ivSessionKey) {
        public boolean encrypted() {
            return ivSessionKey != null;
        }
    }

    public Path dir() {
        return dir;
    }

    public String appId() {
        return appId;
    }

    public CliRunner cli() {
        return cli;
    }

    public Path www() {
        return dir.resolve("www");
    }

    public Path publicKeyFile() {
        return dir.resolve(".capgo_key_v2.pub");
    }

    /** Runs the CLI in the project folder; throws {@link CliFailure} unless it exits 0. */
    public CliRunner.Result run(String... args) throws IOException, InterruptedException {
        CliRunner.Result r = cli.run(args);
        if (r.exitCode() != 0) {
            throw new CliFailure(r);
        }
        return r;
    }

    /** Runs the CLI with {@code --json} appended and parses its stdout. */
    public JsonNode json(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--json");
        return JSON.readTree(run(all.toArray(String[]::new)).stdout());
    }

    /** {@code updraft key create}: a key pair in the project, publicKey into capacitor.config.json. */
    public JsonNode keyCreate(String... extra) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("key", "create"));
        args.addAll(List.of(extra));
        return json(args.toArray(String[]::new));
    }

    /** {@code updraft app add}. */
    public void addApp() throws IOException, InterruptedException {
        run("app", "add", appId, "--name", "Sample " + appId);
    }

    /** {@code bundle zip} of {@code www}, then {@code bundle encrypt} when {@code encrypt}. */
    public Release release(String version, Path www, boolean encrypt, boolean codeCheck)
            throws IOException, InterruptedException {
        List<String> zipArgs = new ArrayList<>(
                List.of("bundle", "zip", appId, "--path", dir.relativize(www).toString(), "--bundle", version));
        if (!codeCheck) {
            zipArgs.add("--no-code-check");
        }
        JsonNode zip = json(zipArgs.toArray(String[]::new));
        if (!encrypt) {
            return new Release(
                    version,
                    dir.resolve(zip.path("filename").asText()),
                    zip.path("checksum").asText(),
                    null);
        }
        JsonNode enc = json(
                "bundle",
                "encrypt",
                zip.path("filename").asText(),
                zip.path("checksum").asText());
        return new Release(
                version,
                dir.resolve(enc.path("filename").asText()),
                enc.path("checksum").asText(),
                enc.path("ivSessionKey").asText());
    }

    /**
     * {@code bundle upload}: PUTs the release to {@code storeUrl} (with {@code --upload-file}) and registers it on the
     * server for {@code channel}.
     */
    public JsonNode publish(Release r, String storeUrl, String uploadToken, String channel, String... extra)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                "bundle",
                "upload",
                appId,
                "--bundle",
                r.version(),
                "--external",
                storeUrl,
                "--channel",
                channel,
                "--upload-file",
                r.file().toString(),
                "--upload-token",
                uploadToken));
        if (r.encrypted()) {
            args.addAll(List.of("--iv-session-key", r.ivSessionKey(), "--encrypted-checksum", r.checksum()));
        } else {
            args.addAll(List.of("--checksum", r.checksum()));
        }
        args.addAll(List.of(extra));
        return json(args.toArray(String[]::new));
    }

    /** The stats of one version from {@code updraft stats --json}; an empty object if the server has none. */
    public JsonNode versionStats(String version) throws IOException, InterruptedException {
        for (JsonNode v : json("stats", appId).path("versions")) {
            if (version.equals(v.path("version").asText())) {
                return v;
            }
        }
        return JSON.createObjectNode();
    }

    /**
     * A copy of the web build whose index.html carries {@code marker}; without {@code callsNotifyAppReady} its
     * JavaScript no longer confirms the bundle to the updater, which makes devices roll it back.
     */
    public Path variant(String name, String marker, boolean callsNotifyAppReady) throws IOException {
        Path target = dir.resolve(name);
        copyTree(www(), target);
        Path html = target.resolve("index.html");
        Files.writeString(html, Files.readString(html).replace("Hello from Updraft", "Hello from Updraft " + marker));
        if (!callsNotifyAppReady) {
            Path js = target.resolve("js/app.js");
            StringBuilder kept = new StringBuilder();
            for (String line : Files.readString(js).split("\n", -1)) {
                if (!line.contains("notifyAppReady")) {
                    kept.append(line).append('\n');
                }
            }
            Files.writeString(
                    js,
                    kept.toString().stripTrailing()
                            + "\n// this release lost the call that confirms the bundle to the updater\n");
        }
        return target;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
