package dev.updraft.cli;

import dev.updraft.fixtures.GoldenVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The golden vectors of the real Capgo CLI (module test-fixtures), as the CLI tests use them. */
final class Vectors {
    static final String KEY_ID = GoldenVectors.RUN1.keyId();
    static final String PLAIN_SHA256 = GoldenVectors.RUN1.plainSha256();
    static final String IV_SESSION_KEY = GoldenVectors.RUN1.ivSessionKey();
    static final String ENCRYPTED_CHECKSUM = GoldenVectors.RUN1.encryptedChecksumHex();
    static final String APP_ID = GoldenVectors.RUN1.appId();

    private Vectors() {}

    static Path file(String relative) {
        return GoldenVectors.file(relative);
    }

    static String text(String relative) {
        return GoldenVectors.text(relative);
    }

    /** The scratch project as it was before {@code key create}: www/, package.json, capacitor.config.json. */
    static void copyProject(Path dir) throws IOException {
        GoldenVectors.copyTree("project/www", dir.resolve("www"));
        Files.copy(file("project/package.json"), dir.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(
                file("project/capacitor.config.before-key-create.json"),
                dir.resolve("capacitor.config.json"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Copies a vector file into {@code dir} under {@code name}. */
    static Path copy(String relative, Path dir, String name) {
        return GoldenVectors.copy(relative, dir, name);
    }
}
