package dev.updraft.crypto;

import static dev.updraft.crypto.RoundTripTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.crypto.CryptoException.Failure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.brotli.dec.BrotliInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The delta payload writer (docs/protocol.md §7.2): byte-compatible with the Capgo CLI's {@code --delta} upload,
 * {@code .br} payloads that the plugin's own decoder ({@code org.brotli:dec}) reads, and the Brotli rules row by row.
 */
class DeltaPayloadWriterTest {
    @TempDir
    Path dir;

    @Test
    void withTheGoldenRunsSessionKeyEveryPayloadAndSignedHashIsTheCapgoClisByteForByte() throws Exception {
        JsonNode run = Vectors.JSON.get("delta_upload_run");
        SessionKey key = SessionKey.unwrap(run.get("ivSessionKey").asText(), Vectors.publicKey());
        DeltaPayloadWriter writer = new DeltaPayloadWriter(key, Vectors.privateKey(), true);
        JsonNode manifest = new ObjectMapper()
                .readTree(Vectors.file("delta/set_manifest_request_body.json").toFile())
                .get("manifest");
        int compared = 0;
        for (JsonNode entry : manifest) {
            String sent = entry.get("file_name").asText();
            String name = sent.endsWith(".br") ? sent.substring(0, sent.length() - 3) : sent;
            Path out = dir.resolve("payload-" + compared);
            DeltaPayloadWriter.Payload p = writer.write(Vectors.file("project/www/" + name), name, true, out);
            assertThat(p.fileName()).as(name).isEqualTo(sent);
            assertThat(p.fileHash()).as(name).isEqualTo(entry.get("file_hash").asText()); // deterministic V3 signature
            assertThat(p.compressed()).isEqualTo(sent.endsWith(".br"));
            byte[] golden = Vectors.bytes("delta/uploaded-encrypted/" + sent);
            // The .br one too: brotli4j at Node's default parameters makes the same 298 bytes as the CLI's zlib (a
            // Brotli upgrade that changes them would still be valid, and would show here first).
            assertThat(Files.readAllBytes(out)).as(name).isEqualTo(golden);
            assertThat(p.size()).isEqualTo(golden.length);
            if (p.compressed()) {
                assertThat(decode(decrypt(key, golden)))
                        .isEqualTo(Files.readAllBytes(Vectors.file("project/www/" + name)));
            }
            compared++;
        }
        assertThat(compared).isEqualTo(5);
    }

    @Test
    void aBrPayloadMadeByUpdraftDecodesWithThePluginsDecoderToTheOriginalBytes() throws Exception {
        byte[] original = compressible(20_000);
        Path file = write("app.js", original);
        DeltaPayloadWriter.Payload p =
                DeltaPayloadWriter.unencrypted(true).write(file, "js/app.js", true, dir.resolve("out"));
        assertThat(p.fileName()).isEqualTo("js/app.js.br");
        assertThat(p.compressed()).isTrue();
        byte[] payload = Files.readAllBytes(dir.resolve("out"));
        assertThat(payload.length).isLessThan(original.length / 2).isEqualTo((int) p.size());
        assertThat(decode(payload)).isEqualTo(original);
        assertThat(p.fileHash()).isEqualTo(BundleChecksum.of(file).hex()).hasSize(64);
    }

    @Test
    void encryptedPayloadsDecryptWithTheReleaseSessionKeyAndCarryTheSignedHash() throws Exception {
        BundlePrivateKey privateKey = Vectors.privateKey();
        DeltaEncryption release = DeltaEncryption.fresh(privateKey);
        SessionKey key = SessionKey.unwrap(release.ivSessionKey(), privateKey.publicKey());
        DeltaPayloadWriter writer = release.payloads(true);
        byte[] small = "body { color: red }\n".getBytes(StandardCharsets.UTF_8);
        byte[] big = compressible(30_000);

        DeltaPayloadWriter.Payload plain =
                writer.write(write("style.css", small), "css/style.css", true, dir.resolve("a"));
        assertThat(plain.fileName()).isEqualTo("css/style.css");
        assertThat(decrypt(key, Files.readAllBytes(dir.resolve("a")))).isEqualTo(small);
        assertThat(plain.size()).isEqualTo(32); // 20 bytes, PKCS#7-padded to two AES blocks
        assertThat(SignedChecksum.parse(plain.fileHash())
                        .recover(privateKey.publicKey())
                        .hex())
                .isEqualTo(sha256(small));

        DeltaPayloadWriter.Payload compressed =
                writer.write(write("big.txt", big), "assets/big.txt", true, dir.resolve("b"));
        assertThat(compressed.fileName()).isEqualTo("assets/big.txt.br");
        assertThat(decode(decrypt(key, Files.readAllBytes(dir.resolve("b"))))).isEqualTo(big);
        assertThat(SignedChecksum.parse(compressed.fileHash())
                        .recover(privateKey.publicKey())
                        .hex())
                .isEqualTo(sha256(big));
        assertThat(compressed.plain().hex()).isEqualTo(sha256(big));
    }

    @Test
    void theFullZipIsEncryptedWithTheSameKeyAsThePayloads() throws Exception {
        BundlePrivateKey privateKey = Vectors.privateKey();
        DeltaEncryption release = DeltaEncryption.fresh(privateKey);
        Path zip = Vectors.file("bundle/com.example.selfhosted_1.0.1.zip");
        BundleEncryptor.EncryptedBundle encrypted =
                release.encryptZip(zip, dir.resolve("zip.enc"), ProgressListener.NONE);
        assertThat(encrypted.ivSessionKey()).isEqualTo(release.ivSessionKey());
        SessionKey key = SessionKey.unwrap(encrypted.ivSessionKey(), privateKey.publicKey());
        assertThat(decrypt(key, Files.readAllBytes(encrypted.file()))).isEqualTo(Files.readAllBytes(zip));
        assertThat(encrypted.checksum().recover(privateKey.publicKey())).isEqualTo(BundleChecksum.of(zip));
    }

    @Test
    void reusingAnEarlierReleasesKeyGivesTheSameSessionKeyAndIdenticalPayloads() throws Exception {
        BundlePrivateKey privateKey = Vectors.privateKey();
        DeltaEncryption first = DeltaEncryption.fresh(privateKey);
        DeltaEncryption again = DeltaEncryption.reusing(privateKey, first.ivSessionKey());
        assertThat(again.ivSessionKey()).isEqualTo(first.ivSessionKey());
        Path file = write("index.html", "<html>hello</html>".getBytes(StandardCharsets.UTF_8));
        first.payloads(true).write(file, "index.html", true, dir.resolve("1"));
        again.payloads(true).write(file, "index.html", true, dir.resolve("2"));
        assertThat(Files.readAllBytes(dir.resolve("2"))).isEqualTo(Files.readAllBytes(dir.resolve("1")));
        // A fresh key for the next release gives other bytes for the same file: nothing to reuse without the opt-in.
        DeltaEncryption.fresh(privateKey).payloads(true).write(file, "index.html", true, dir.resolve("3"));
        assertThat(Files.readAllBytes(dir.resolve("3"))).isNotEqualTo(Files.readAllBytes(dir.resolve("1")));
    }

    @Test
    void aSessionKeyMadeWithAnotherKeyPairCannotBeReused() throws Exception {
        String foreign = DeltaEncryption.fresh(BundlePrivateKey.generate()).ivSessionKey();
        assertFailure(() -> DeltaEncryption.reusing(Vectors.privateKey(), foreign), Failure.SESSION_KEY_WRONG_KEY);
        assertFailure(
                () -> DeltaEncryption.reusing(Vectors.privateKey(), "not-a-session-key"),
                Failure.SESSION_KEY_MALFORMED);
    }

    /** §7.2: tried from 8192 bytes when allowed; kept when at least 11 bytes smaller. */
    @ParameterizedTest(name = "size {0}, allowed {1}: tried {2}")
    @CsvSource({
        "0, true, false",
        "8191, true, false",
        "8192, true, true",
        "8192, false, false",
        "1000000, true, true",
        "1000000, false, false",
    })
    void brotliIsTriedFrom8192Bytes(long size, boolean allowed, boolean tried) {
        assertThat(DeltaPayloadWriter.triesBrotli(size, allowed)).isEqualTo(tried);
    }

    @ParameterizedTest(name = "{0} -> {1} bytes: kept {2}")
    @CsvSource({
        "8192, 8181, true",
        "8192, 8182, false",
        "8192, 8192, false",
        "8192, 9000, false",
        "13200, 298, true",
    })
    void brotliIsKeptWhenAtLeast11BytesSmaller(long plain, long compressed, boolean kept) {
        assertThat(DeltaPayloadWriter.keepsBrotli(plain, compressed)).isEqualTo(kept);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // what, size, compressible, mayCompress, brotli on, compressed
        "just under the threshold, 8191, true, true, true, false",
        "at the threshold, 8192, true, true, true, true",
        "random bytes (no gain), 8192, false, true, true, false",
        "excluded by a pattern, 20000, true, false, true, false",
        "--disable-brotli, 20000, true, true, false, false",
    })
    void theRulesOnRealFiles(
            String what, int size, boolean compressible, boolean mayCompress, boolean brotli, boolean compressed)
            throws Exception {
        byte[] content = compressible ? compressible(size) : random(size);
        Path file = write("f", content);
        DeltaPayloadWriter.Payload p =
                DeltaPayloadWriter.unencrypted(brotli).write(file, "a/f.bin", mayCompress, dir.resolve("out"));
        assertThat(p.compressed()).as(what).isEqualTo(compressed);
        assertThat(p.fileName()).isEqualTo(compressed ? "a/f.bin.br" : "a/f.bin");
        byte[] payload = Files.readAllBytes(dir.resolve("out"));
        assertThat(compressed ? decode(payload) : payload).isEqualTo(content);
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers.map(Path::getFileName).map(Path::toString)).containsExactlyInAnyOrder("f", "out");
        }
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static byte[] compressible(int size) {
        byte[] line = "function notifyAppReady() { return window.Capacitor; } // padding text\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = line[i % line.length];
        }
        return out;
    }

    private static byte[] random(int size) {
        byte[] out = new byte[size];
        new Random(42).nextBytes(out);
        return out;
    }

    private static byte[] decrypt(SessionKey key, byte[] payload) throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (OutputStream decrypting = key.decrypting(plain)) {
            decrypting.write(payload);
        }
        return plain.toByteArray();
    }

    /** The plugin's decoder (org.brotli:dec), not the encoder's own library. */
    private static byte[] decode(byte[] brotli) throws IOException {
        try (InputStream in = new BrotliInputStream(new ByteArrayInputStream(brotli))) {
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) throws IOException {
        return BundleChecksum.of(new ByteArrayInputStream(bytes)).hex();
    }
}
