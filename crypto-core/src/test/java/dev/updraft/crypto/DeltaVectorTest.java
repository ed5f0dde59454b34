package dev.updraft.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

/**
 * The delta (manifest) upload of the real Capgo CLI: every per-file payload is AES-128-CBC with the bundle's own
 * session key and IV, and every {@code file_hash} is a V3 signed checksum. crypto-core's pieces handle both.
 */
class DeltaVectorTest {
    @Test
    void perFilePayloadsDecryptWithTheBundleSessionKeyAndMatchTheirSignedHashes() throws Exception {
        JsonNode run = Vectors.JSON.get("delta_upload_run");
        SessionKey key = SessionKey.unwrap(run.get("ivSessionKey").asText(), Vectors.publicKey());
        JsonNode manifest = new ObjectMapper().readTree(Vectors.file("delta/set_manifest_request_body.json").toFile()).get("manifest");
        assertThat(manifest).hasSize(5);
        int checkedPlain = 0;
        for (JsonNode entry : manifest) {
            String name = entry.get("file_name").asText();
            BundleChecksum expected = SignedChecksum.parse(entry.get("file_hash").asText()).recover(Vectors.publicKey());
            byte[] payload = Vectors.bytes("delta/uploaded-encrypted/" + name);
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            HashingOutputStream hashed = new HashingOutputStream(plain);
            try (OutputStream decrypting = key.decrypting(hashed)) { // package-private: delta gets its own entry point
                decrypting.write(payload);
            }
            BundleChecksum actual = hashed.checksum();
            if (name.endsWith(".br")) {
                // Brotli-compressed before encryption: the hash is of the decompressed file, which is the source file.
                assertThat(plain.size()).isEqualTo(298);
                assertThat(expected.hex()).isEqualTo(BundleChecksum.of(Vectors.file("project/www/" + name.substring(0, name.length() - 3))).hex());
            } else {
                assertThat(actual).as(name).isEqualTo(expected);
                assertThat(plain.toByteArray()).as(name).isEqualTo(Vectors.bytes("project/www/" + name));
                checkedPlain++;
            }
        }
        assertThat(checkedPlain).isEqualTo(4);
    }
}
