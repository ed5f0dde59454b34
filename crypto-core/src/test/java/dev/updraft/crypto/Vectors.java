package dev.updraft.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The golden vectors made by the real Capgo CLI 8.68.1, copied from shared/vectors into test resources. */
public final class Vectors {
    public static final Path ROOT = resource("vectors");
    public static final JsonNode JSON = readJson();

    private Vectors() {
    }

    public static Path file(String relative) {
        return ROOT.resolve(relative);
    }

    public static String text(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode run(int index) {
        return JSON.get("encryption_runs").get(index);
    }

    public static BundlePublicKey publicKey() throws Exception {
        return BundlePublicKey.read(file("keys/.capgo_key_v2.pub"));
    }

    public static BundlePrivateKey privateKey() throws Exception {
        return BundlePrivateKey.read(file("keys/.capgo_key_v2"));
    }

    private static Path resource(String name) {
        try {
            return Path.of(Vectors.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readJson() {
        try {
            return new ObjectMapper().readTree(resource("vectors").resolve("vectors.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
