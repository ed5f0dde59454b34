package dev.updraft.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Capgo CLI, pinned by version and npm integrity: fetched once with {@code npm pack} into
 * {@code ~/.cache/updraft-it/}, checked against {@link #INTEGRITY} every time, unpacked under {@code target/}, run with
 * {@code node <unpacked>/dist/index.js} (its dist is self-contained). Without node or npm the test fails, saying so.
 */
final class CapgoCli {
    static final String VERSION = "8.68.1";
    /** {@code npm view @capgo/cli@8.68.1 dist.integrity}. */
    static final String INTEGRITY =
            "sha512-/Pw1i6rIrzNeu3ptk+jVr9JxLqhZawMj51b0i3B0MWkVjTJNAq2t+rY+nDzAgH3n2zz+3dGqY62EZVfQK1M07g==";

    private final Path entry;

    private CapgoCli(Path entry) {
        this.entry = entry;
    }

    /** What one run printed and how it exited. */
    record Result(int exitCode, String output) {}

    static CapgoCli fetch() throws IOException, InterruptedException {
        require("node", "--version");
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "updraft-it");
        Path tarball = cache.resolve("capgo-cli-" + VERSION + ".tgz");
        if (!Files.exists(tarball)) {
            require("npm", "--version");
            Files.createDirectories(cache);
            Result packed = exec(cache, List.of("npm", "pack", "@capgo/cli@" + VERSION, "--silent"));
            if (packed.exitCode() != 0 || !Files.exists(tarball)) {
                throw new IllegalStateException("npm pack @capgo/cli@" + VERSION + " failed: " + packed.output());
            }
        }
        String integrity;
        try (InputStream in = Files.newInputStream(tarball)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-512");
            integrity = "sha512-" + Base64.getEncoder().encodeToString(sha.digest(in.readAllBytes()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (!integrity.equals(INTEGRITY)) {
            throw new IllegalStateException(tarball + " is not @capgo/cli@" + VERSION + " (integrity " + integrity
                    + "); delete it to fetch it again");
        }
        Path unpacked = Path.of("target", "capgo-cli-" + VERSION).toAbsolutePath();
        Path entry = unpacked.resolve("package/dist/index.js");
        if (!Files.exists(entry)) {
            Files.createDirectories(unpacked);
            Result untar = exec(unpacked, List.of("tar", "xzf", tarball.toString()));
            if (untar.exitCode() != 0) {
                throw new IllegalStateException("could not unpack " + tarball + ": " + untar.output());
            }
        }
        return new CapgoCli(entry);
    }

    /** Runs {@code capgo <args>} in {@code project}. */
    Result run(Path project, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", entry.toString()));
        command.addAll(List.of(args));
        return exec(project, command);
    }

    private static void require(String tool, String arg) throws InterruptedException {
        try {
            if (exec(Path.of("."), List.of(tool, arg)).exitCode() == 0) {
                return;
            }
        } catch (IOException absent) {
            // reported below
        }
        throw new IllegalStateException(
                "The Capgo CLI test needs " + tool + " (Node.js 20 or later) on PATH; it is not there");
    }

    private static Result exec(Path dir, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("CI", "1");
        pb.environment().put("NO_COLOR", "1");
        pb.environment().put("CAPGO_DISABLE_TELEMETRY", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end within 120 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
