package dev.updraft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Byte compatibility with the real Capgo CLI 8.68.1, in both directions, on its golden vectors. */
class GoldenVectorTest {
    private static final String PLAIN_SHA256 =
            Vectors.JSON.get("plain_zip").get("sha256").asText();

    @TempDir
    Path tmp;

    @Test
    void keysRoundTripByteForByte() throws Exception {
        BundlePublicKey pub = Vectors.publicKey();
        BundlePrivateKey priv = Vectors.privateKey();

        assertThat(pub.toPem()).isEqualTo(Vectors.text("keys/.capgo_key_v2.pub"));
        assertThat(priv.toPem()).isEqualTo(Vectors.text("keys/.capgo_key_v2"));
        assertThat(priv.publicKey()).isEqualTo(pub);
        assertThat(priv.publicKey().toPem()).isEqualTo(Vectors.text("keys/.capgo_key_v2.pub"));
        assertThat(pub.readFrom()).isEqualTo(KeyFormat.PKCS1);
    }

    @Test
    void keyIdMatchesThePlugin() throws Exception {
        assertThat(Vectors.publicKey().keyId())
                .isEqualTo(Vectors.JSON.get("key_id").asText())
                .isEqualTo("MIIBCgKCAQEAzNUtP9rS");
        assertThat(BundlePublicKey.keyIdOf(Vectors.text("keys/.capgo_key_v2.pub")))
                .isEqualTo("MIIBCgKCAQEAzNUtP9rS");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void devicePathDecryptsTheCliBundleToTheIdenticalPlainZip(int run) throws Exception {
        JsonNode r = Vectors.run(run);
        BundleVerifier verifier = BundleVerifier.forEncrypted(
                r.get("ivSessionKey").asText(), r.get("encrypted_checksum_hex").asText(), Vectors.publicKey());
        assertThat(verifier.expectedChecksum().hex()).isEqualTo(PLAIN_SHA256);

        Path plain = tmp.resolve("plain.zip");
        BundleChecksum actual =
                verifier.verify(Vectors.file(r.get("encrypted_file").asText()), plain, ProgressListener.NONE);

        assertThat(actual.hex()).isEqualTo(PLAIN_SHA256);
        assertThat(Files.readAllBytes(plain)).isEqualTo(Vectors.bytes("bundle/com.example.selfhosted_1.0.1.zip"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void unwrapsTheSessionKeyTheCliMade(int run) throws Exception {
        JsonNode r = Vectors.run(run);
        SessionKey unwrapped = SessionKey.unwrap(r.get("ivSessionKey").asText(), Vectors.publicKey());
        assertThat(unwrapped)
                .isEqualTo(SessionKey.of(
                        HexFormat.of().parseHex(r.get("derived_aes128_key_hex").asText()),
                        HexFormat.of().parseHex(r.get("iv_hex").asText())));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void reproducesTheCliWrappedKeyChecksumAndCiphertextByteForByte(int run) throws Exception {
        JsonNode r = Vectors.run(run);
        SessionKey known = SessionKey.of(
                HexFormat.of().parseHex(r.get("derived_aes128_key_hex").asText()),
                HexFormat.of().parseHex(r.get("iv_hex").asText()));
        BundlePrivateKey priv = Vectors.privateKey();

        assertThat(known.wrap(priv)).isEqualTo(r.get("ivSessionKey").asText());
        assertThat(BundleChecksum.parse(PLAIN_SHA256).sign(priv).hex())
                .isEqualTo(r.get("encrypted_checksum_hex").asText());

        Path out = tmp.resolve("enc.zip");
        BundleEncryptor.EncryptedBundle made = new BundleEncryptor(priv)
                .encrypt(
                        Vectors.file("bundle/com.example.selfhosted_1.0.1.zip"),
                        out,
                        BundleChecksum.parse(PLAIN_SHA256),
                        known,
                        ProgressListener.NONE);
        assertThat(Files.readAllBytes(out))
                .isEqualTo(Vectors.bytes(r.get("encrypted_file").asText()));
        assertThat(made.ivSessionKey()).isEqualTo(r.get("ivSessionKey").asText());
        assertThat(made.checksum().hex())
                .isEqualTo(r.get("encrypted_checksum_hex").asText());
        assertThat(made.size()).isEqualTo(r.get("encrypted_file_size").asLong());
    }

    @Test
    void theSinkFedInOddChunksGivesTheSameResultAsTheFilePath() throws Exception {
        JsonNode r = Vectors.run(0);
        BundleVerifier verifier = BundleVerifier.forEncrypted(
                r.get("ivSessionKey").asText(), r.get("encrypted_checksum_hex").asText(), Vectors.publicKey());
        byte[] enc = Vectors.bytes(r.get("encrypted_file").asText());
        Path plain = tmp.resolve("plain.zip");
        try (BundleSink sink = verifier.newSink(plain)) {
            for (int i = 0; i < enc.length; i += 7) { // odd-sized chunks, as a network would deliver them
                sink.write(enc, i, Math.min(7, enc.length - i));
            }
            assertThat(plain)
                    .as("nothing under the final name before the check")
                    .doesNotExist();
        }
        assertThat(Files.readAllBytes(plain)).isEqualTo(Vectors.bytes("bundle/com.example.selfhosted_1.0.1.zip"));
    }

    @Test
    void legacyV2ChecksumIsRefusedWithAnExplanation() throws Exception {
        String v2 = Vectors.JSON
                .get("legacy_v2_checksum_example")
                .get("checksum_as_printed_base64")
                .asText();
        SignedChecksum parsed = SignedChecksum.parse(v2); // base64 of 256 bytes: the plugin accepts the shape
        assertThatThrownBy(() -> parsed.recover(Vectors.publicKey()))
                .isInstanceOfSatisfying(
                        CryptoException.class,
                        e -> assertThat(e.failure()).isEqualTo(CryptoException.Failure.CHECKSUM_LEGACY_V2))
                .hasMessageContaining("legacy V2")
                .hasMessageContaining("checksum_fail");
    }

    @Test
    void legacyV2BundleStillDecryptsButItsChecksumCannotVerify() throws Exception {
        String ivSessionKey = new ObjectMapper()
                .readTree(Vectors.file("legacy-v2-checksum/bundle_encrypt_json.stdout.json")
                        .toFile())
                .get("ivSessionKey")
                .asText();
        Path plain = tmp.resolve("legacy.zip");
        BundleChecksum actual = BundleVerifier.decryptOnly(ivSessionKey, Vectors.publicKey())
                .verify(Vectors.file("legacy-v2-checksum/legacy.zip_encrypted.zip"), plain, ProgressListener.NONE);
        assertThat(actual.hex()).isEqualTo(PLAIN_SHA256);
    }
}
