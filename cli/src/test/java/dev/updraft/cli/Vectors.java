package dev.updraft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The golden vectors of the real Capgo CLI, copied into test resources (see resources/vectors/README.md). */
final class Vectors {
    static final Path ROOT = root();
    static final JsonNode RUN1 = read("run1.json");
    static final String KEY_ID = RUN1.get("key_id").asText();
    static final String PLAIN_SHA256 = RUN1.get("plain_sha256").asText();
    static final String IV_SESSION_KEY = RUN1.get("ivSessionKey").asText();
    static final String ENCRYPTED_CHECKSUM = RUN1.get("encrypted_checksum_hex").asText();
    static final String APP_ID = "com.example.selfhosted";

    private Vectors() {
    }

    static Path file(String relative) {
        return ROOT.resolve(relative);
    }

    static String text(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The scratch project as it was before {@code key create}: www/, package.json, capacitor.config.json. */
    static void copyProject(Path dir) throws IOException {
        copyTree(file("project/www"), dir.resolve("www"));
        Files.copy(file("project/package.json"), dir.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(file("project/capacitor.config.before-key-create.json"), dir.resolve("capacitor.config.json"), StandardCopyOption.REPLACE_EXISTING);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Copies a vector file into {@code dir} under {@code name}. */
    static Path copy(String relative, Path dir, String name) throws IOException {
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        return Files.copy(file(relative), target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static JsonNode read(String relative) {
        try {
            return Json.MAPPER.readTree(file(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path root() {
        try {
            return Path.of(Vectors.class.getClassLoader().getResource("vectors/run1.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
