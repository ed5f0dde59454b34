package dev.updraft.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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

    private static void train(Path dir) throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "<!doctype html><script src=\"app.js\"></script>\n");
        Files.writeString(www.resolve("app.js"), "CapacitorUpdater.notifyAppReady();\n");
        Files.write(www.resolve("data.bin"), new byte[4 << 20]);
        Context ctx = new Context(dir, Map.of("HOME", dir.toString()), nowhere(), nowhere(), false);
        Updraft.run(ctx, "--help");
        Updraft.run(ctx, "bundle", "--help");
        Updraft.run(ctx, "key", "create");
        String zip = "com.example.app_1.0.0.zip";
        StringWriter zipped = new StringWriter();
        Updraft.run(
                new Context(dir, ctx.env(), new PrintWriter(zipped), nowhere(), false),
                "bundle",
                "zip",
                "com.example.app",
                "--path",
                "www",
                "--bundle",
                "1.0.0",
                "--json");
        String checksum =
                Json.MAPPER.readTree(zipped.toString()).path("checksum").asText();
        StringWriter encrypted = new StringWriter();
        Updraft.run(
                new Context(dir, ctx.env(), new PrintWriter(encrypted), nowhere(), false),
                "bundle",
                "encrypt",
                zip,
                checksum,
                "--json");
        var answer = Json.MAPPER.readTree(encrypted.toString());
        Updraft.run(
                ctx,
                "bundle",
                "decrypt",
                zip + "_encrypted.zip",
                answer.path("ivSessionKey").asText(),
                "--checksum",
                answer.path("checksum").asText());
        Updraft.run(ctx, "bundle", "encrypt", "missing.zip", checksum); // the error path
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
