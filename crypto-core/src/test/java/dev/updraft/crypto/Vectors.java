package dev.updraft.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.fixtures.GoldenVectors;
import java.nio.file.Path;

/** The golden vectors made by the real Capgo CLI 8.68.1 (module test-fixtures), with this module's key types. */
public final class Vectors {
    public static final JsonNode JSON = GoldenVectors.json();

    private Vectors() {}

    public static Path file(String relative) {
        return GoldenVectors.file(relative);
    }

    public static String text(String relative) {
        return GoldenVectors.text(relative);
    }

    public static byte[] bytes(String relative) {
        return GoldenVectors.bytes(relative);
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
}
