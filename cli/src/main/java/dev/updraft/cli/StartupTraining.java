package dev.updraft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.crypto.JitWarmUp;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run of the CLI's class-data archive (docs/operations.md, "Start-up time"): the package phase runs
 * this under {@code -XX:ArchiveClassesAtExit=target/updraft-cli.jsa}, and the JVM writes the classes it loaded into
 * the archive, which the launcher then maps. It runs the seed flow's commands in a temporary folder (help, a key, a
 * zip, its encryption and decryption), so the archive holds what those commands load. Always exits 0: without an
 * archive the CLI only starts slower, so a training run that cannot run must not fail the build.
 */
public final class StartupTraining {
    private StartupTraining() {}

    public static void main(String[] args) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("updraft-cds-training-");
            train(dir);
        } catch (IOException | RuntimeException e) {
            System.err.println("updraft: the class-data training run stopped (" + e + "); the CLI works without it");
        } finally {
            deleteQuietly(dir);
        }
        System.exit(0);
    }

    static void train(Path dir) throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "<!doctype html><script src=\"app.js\"></script>\n");
        Files.writeString(www.resolve("app.js"), "CapacitorUpdater.notifyAppReady();\n");
        // Incompressible: 4 MB of zeros would trip the zip-bomb ratio check of 'bundle encrypt', and the archive
        // would then miss everything encrypt and decrypt load after it (keys, AES, the SHA-256 helper thread).
        byte[] data = new byte[4 << 20];
        new java.util.Random(1).nextBytes(data);
        Files.write(www.resolve("data.bin"), data);
        // A project config, as in an app: encrypt reads it and writes the public key into it.
        Files.writeString(dir.resolve(Project.CONFIG_FILE), "{\"appId\":\"com.example.app\",\"webDir\":\"www\"}\n");
        Context ctx = new Context(dir, Map.of("HOME", dir.toString()), nowhere(), nowhere(), false);
        step(ctx, ExitCode.OK, "--help");
        step(ctx, ExitCode.OK, "bundle", "--help");
        step(ctx, ExitCode.OK, "key", "create");
        String zip = "com.example.app_1.0.0.zip";
        String checksum = step(
                        ctx,
                        ExitCode.OK,
                        "bundle",
                        "zip",
                        "com.example.app",
                        "--path",
                        "www",
                        "--bundle",
                        "1.0.0",
                        "--json")
                .path("checksum")
                .asText();
        JitWarmUp.startInBackground(); // as Updraft.main does for an encrypt, so its classes are archived too
        JsonNode encrypted = step(ctx, ExitCode.OK, "bundle", "encrypt", zip, checksum, "--json");
        String ivSessionKey = encrypted.path("ivSessionKey").asText();
        step(
                ctx,
                ExitCode.OK,
                "bundle",
                "decrypt",
                zip + "_encrypted.zip",
                ivSessionKey,
                "--checksum",
                encrypted.path("checksum").asText());
        step(ctx, ExitCode.FAILED, "bundle", "encrypt", "missing.zip", checksum); // the error path
    }

    /**
     * Runs one command of the training; a command that ends otherwise than expected stops the training, since the
     * archive would silently miss what the later commands load.
     *
     * @return the command's --json answer (an empty object without --json)
     */
    static JsonNode step(Context ctx, int expectedExit, String... args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit =
                Updraft.run(new Context(ctx.cwd(), ctx.env(), new PrintWriter(out), new PrintWriter(err), false), args);
        if (exit != expectedExit) {
            throw new IllegalStateException("'" + String.join(" ", args) + "' exited " + exit + ": "
                    + err.toString().strip());
        }
        return List.of(args).contains("--json") ? Json.MAPPER.readTree(out.toString()) : Json.object();
    }

    private static PrintWriter nowhere() {
        return new PrintWriter(Writer.nullWriter());
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the system cleans it up
        }
    }
}
