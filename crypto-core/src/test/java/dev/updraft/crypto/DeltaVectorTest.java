package dev.updraft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updraft.crypto.CryptoException.Failure;
import dev.updraft.protocol.StatsAction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The delta (manifest) upload of the real Capgo CLI, read back through the device's entry point
 * ({@link DeltaPayloadReader}): every per-file payload is AES-128-CBC with the bundle's own session key and IV,
 * {@code big.txt.br} Brotli-compressed before that, and every {@code file_hash} a V3 signed checksum.
 */
class DeltaVectorTest {
    private static final String BIG = "assets/data/big.txt.br";

    @TempDir
    Path dir;

    @Test
    void everyGoldenPayloadDecryptsDecodesAndMatchesItsSignedHash() throws Exception {
        DeltaPayloadReader reader = goldenReader();
        JsonNode manifest = goldenManifest();
        assertThat(manifest).hasSize(5);
        int brotli = 0;
        for (JsonNode entry : manifest) {
            String name = entry.get("file_name").asText();
            DeltaPayloadReader.DeltaFile file =
                    reader.file(name, entry.get("file_hash").asText());
            byte[] source = Vectors.bytes("project/www/" + file.path());
            assertThat(file.checksum()).as(name).isEqualTo(BundleChecksum.of(new ByteArrayInputStream(source)));

            BundleChecksum got = file.read(new ByteArrayInputStream(payload(name)), dir);

            assertThat(got).as(name).isEqualTo(file.checksum());
            assertThat(dir.resolve(file.path())).as(name).hasBinaryContent(source);
            brotli += file.brotli() ? 1 : 0;
        }
        assertThat(brotli).isEqualTo(1);
        assertThat(dir.resolve("assets/data/big.txt")).hasSize(13_200); // 304 bytes on the wire
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aFlippedByteIsAChecksumFailAndNothingIsUnderTheFinalName() throws Exception {
        DeltaPayloadReader.DeltaFile file = goldenFile("index.html");
        byte[] bad = payload("index.html");
        bad[0] ^= 0x01; // garbles the first block only: the padding is intact, the hash is not

        assertThatThrownBy(() -> file.read(new ByteArrayInputStream(bad), dir))
                .isInstanceOfSatisfying(CryptoException.class, e -> {
                    assertThat(e.failure()).isEqualTo(Failure.CHECKSUM_MISMATCH);
                    assertThat(e.failure().manifestStat()).isEqualTo(StatsAction.DOWNLOAD_MANIFEST_CHECKSUM_FAIL);
                    assertThat(e.getMessage()).startsWith("index.html: ");
                });
        assertThat(dir.resolve("index.html")).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void anAlteredBrotliPayloadIsABrotliFailAndNothingIsWritten() throws Exception {
        DeltaPayloadReader.DeltaFile file = goldenFile(BIG);
        byte[] bad = payload(BIG);
        bad[0] ^= 0x40; // the Brotli stream header, after decryption

        assertThatThrownBy(() -> file.read(new ByteArrayInputStream(bad), dir))
                .isInstanceOfSatisfying(CryptoException.class, e -> {
                    assertThat(e.failure()).isEqualTo(Failure.BROTLI_CORRUPT);
                    assertThat(e.failure().manifestStat()).isEqualTo(StatsAction.DOWNLOAD_MANIFEST_BROTLI_FAIL);
                });
        assertThat(dir.resolve("assets/data/big.txt")).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aPlainBundlesBrotliPayloadDecodesWithoutAKey() throws Exception {
        byte[] compressed = goldenCompressedBig();
        byte[] source = Vectors.bytes("project/www/assets/data/big.txt");
        String hash = BundleChecksum.of(new ByteArrayInputStream(source)).hex();
        DeltaPayloadReader.DeltaFile file = DeltaPayloadReader.forPlain().file(BIG, hash);

        file.read(new ByteArrayInputStream(compressed), dir);

        assertThat(dir.resolve("assets/data/big.txt")).hasBinaryContent(source);
    }

    @Test
    void bytesThatAreNotBrotliUnderABrNameAreABrotliFail() throws Exception {
        byte[] notBrotli = Vectors.bytes("project/www/index.html");
        String hash = BundleChecksum.of(new ByteArrayInputStream(notBrotli)).hex();
        DeltaPayloadReader.DeltaFile file = DeltaPayloadReader.forPlain().file("index.html.br", hash);

        assertThatThrownBy(() -> file.read(new ByteArrayInputStream(notBrotli), dir))
                .isInstanceOfSatisfying(
                        CryptoException.class, e -> assertThat(e.failure()).isEqualTo(Failure.BROTLI_CORRUPT));
        assertThat(dir.resolve("index.html")).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aTruncatedPayloadDoesNotDecryptAndIsAFileFail() throws Exception {
        DeltaPayloadReader.DeltaFile file = goldenFile("js/app.js");
        byte[] full = payload("js/app.js");
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 5);

        assertThatThrownBy(() -> file.read(new ByteArrayInputStream(cut), dir))
                .isInstanceOfSatisfying(CryptoException.class, e -> {
                    assertThat(e.failure()).isEqualTo(Failure.CIPHERTEXT_TRUNCATED);
                    assertThat(e.failure().manifestStat()).isEqualTo(StatsAction.DOWNLOAD_MANIFEST_FILE_FAIL);
                });
        assertThat(dir.resolve("js/app.js")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/../../x", "/etc/passwd", "a\\b", "nul\0byte", "", "C:/x", "x/..", "../x.br"})
    void entriesThatBreakThePathRulesAreRefusedBeforeAnyDownload(String name) throws Exception {
        String hash =
                BundleChecksum.of(new ByteArrayInputStream(new byte[] {1})).hex();
        assertThatThrownBy(() -> DeltaPayloadReader.forPlain().file(name, hash))
                .isInstanceOfSatisfying(CryptoException.class, e -> {
                    assertThat(e.failure()).isEqualTo(Failure.MANIFEST_ENTRY_INVALID);
                    assertThat(e.failure().manifestStat()).isEqualTo(StatsAction.MANIFEST_PATH_FAIL);
                });
    }

    @Test
    void hashesThatCannotBeRecoveredAreRefusedBeforeAnyDownload() throws Exception {
        JsonNode entry = goldenManifest().get(1);
        String signed = entry.get("file_hash").asText();
        // a plain bundle whose hash is the signed form, an encrypted one whose hash is plain, an empty one
        assertThatThrownBy(() -> DeltaPayloadReader.forPlain().file("a.js", signed))
                .isInstanceOfSatisfying(
                        CryptoException.class,
                        e -> assertThat(e.failure().manifestStat()).isEqualTo(StatsAction.MANIFEST_PATH_FAIL));
        assertThatThrownBy(() ->
                        goldenReader().file("a.js", "583706ca4e1095a93f2d3ab6d702d0500118bbb70201a1038d8e5f330d15c376"))
                .isInstanceOfSatisfying(
                        CryptoException.class,
                        e -> assertThat(e.failure().manifestStat()).isEqualTo(StatsAction.MANIFEST_PATH_FAIL));
        assertThatThrownBy(() -> goldenReader().file("a.js", ""))
                .isInstanceOfSatisfying(
                        CryptoException.class, e -> assertThat(e.failure()).isEqualTo(Failure.MANIFEST_ENTRY_INVALID));
        // signed by another team's key
        BundlePrivateKey other = BundlePrivateKey.generate();
        DeltaPayloadReader otherReader =
                DeltaPayloadReader.forEncrypted(SessionKey.generate().wrap(other), other.publicKey());
        assertThatThrownBy(() -> otherReader.file("a.js", signed)).isInstanceOfSatisfying(CryptoException.class, e -> {
            assertThat(e.failure()).isEqualTo(Failure.CHECKSUM_WRONG_KEY);
            assertThat(e.failure().manifestStat()).isEqualTo(StatsAction.MANIFEST_PATH_FAIL);
        });
    }

    @Test
    void payloadsMadeByTheWriterReadBackEncryptedAndPlainWithAndWithoutBrotli() throws Exception {
        BundlePrivateKey team = BundlePrivateKey.generate();
        DeltaEncryption release = DeltaEncryption.fresh(team);
        Path big = dir.resolve("src/big.txt");
        Path small = dir.resolve("src/small.js");
        Files.createDirectories(big.getParent());
        Files.writeString(big, "compressible line\n".repeat(2_000));
        Files.writeString(small, "console.log('small');\n");
        for (DeltaPayloadWriter writer : List.of(release.payloads(true), DeltaPayloadWriter.unencrypted(true))) {
            DeltaPayloadReader reader = writer.encrypted()
                    ? DeltaPayloadReader.forEncrypted(release.ivSessionKey(), team.publicKey())
                    : DeltaPayloadReader.forPlain();
            Path out = Files.createDirectories(dir.resolve(writer.encrypted() ? "enc" : "plain"));
            for (Path source : List.of(big, small)) {
                String name = "assets/" + source.getFileName();
                DeltaPayloadWriter.Payload p =
                        writer.write(source, name, true, out.resolve(source.getFileName() + ".payload"));
                DeltaPayloadReader.DeltaFile file = reader.file(p.fileName(), p.fileHash());
                assertThat(file.brotli()).as(p.fileName()).isEqualTo(p.compressed());

                file.read(Files.newInputStream(out.resolve(source.getFileName() + ".payload")), out.resolve("bundle"));

                assertThat(out.resolve("bundle").resolve(name)).as(p.fileName()).hasSameBinaryContentAs(source);
            }
        }
    }

    @Test
    void theBrNameMapsToItsFileWithoutTheSuffix() throws Exception {
        DeltaPayloadReader.DeltaFile file = goldenFile(BIG);
        assertThat(file.brotli()).isTrue();
        assertThat(file.path()).isEqualTo("assets/data/big.txt");
        assertThat(file.target(dir)).isEqualTo(dir.toAbsolutePath().resolve("assets/data/big.txt"));
    }

    private static DeltaPayloadReader goldenReader() throws Exception {
        return DeltaPayloadReader.forEncrypted(
                Vectors.JSON.get("delta_upload_run").get("ivSessionKey").asText(), Vectors.publicKey());
    }

    private static JsonNode goldenManifest() throws Exception {
        return new ObjectMapper()
                .readTree(Vectors.file("delta/set_manifest_request_body.json").toFile())
                .get("manifest");
    }

    private static DeltaPayloadReader.DeltaFile goldenFile(String name) throws Exception {
        for (JsonNode entry : goldenManifest()) {
            if (entry.get("file_name").asText().equals(name)) {
                return goldenReader().file(name, entry.get("file_hash").asText());
            }
        }
        throw new AssertionError("no golden entry " + name);
    }

    private static byte[] payload(String name) {
        return Vectors.bytes("delta/uploaded-encrypted/" + name);
    }

    /** The golden big.txt.br without its encryption: the Capgo CLI's Brotli bytes (package-private decryption). */
    private static byte[] goldenCompressedBig() throws Exception {
        SessionKey key = SessionKey.unwrap(
                Vectors.JSON.get("delta_upload_run").get("ivSessionKey").asText(), Vectors.publicKey());
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (OutputStream decrypting = key.decrypting(plain)) {
            decrypting.write(payload(BIG));
        }
        return plain.toByteArray();
    }

    private List<Path> leftovers() throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".updraft-"))
                    .toList();
        }
    }
}
