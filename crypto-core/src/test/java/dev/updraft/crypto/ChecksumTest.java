package dev.updraft.crypto;

import static dev.updraft.crypto.RoundTripTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.crypto.CryptoException.Failure;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    private static final String PLAIN = "3f5076131fa327e7c3ea620aca8ca283e3657a1e8b015482f55893f4fd1ca2d7";

    @Test
    void sha256OfTheGoldenZip() throws Exception {
        assertThat(BundleChecksum.of(Vectors.file("bundle/com.example.selfhosted_1.0.1.zip"))
                        .hex())
                .isEqualTo(PLAIN);
        assertThat(BundleChecksum.of(new ByteArrayInputStream(new byte[0])).hex())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void plainChecksumParsing() throws Exception {
        assertThat(BundleChecksum.parse(PLAIN.toUpperCase()).hex()).isEqualTo(PLAIN);
        assertFailure(() -> BundleChecksum.parse("abc"), Failure.CHECKSUM_MALFORMED);
        assertFailure(() -> BundleChecksum.parse("deadbeef"), Failure.CHECKSUM_MALFORMED);
        assertFailure(() -> BundleChecksum.parse(PLAIN.replace('f', 'g')), Failure.CHECKSUM_MALFORMED);
        assertThat(BundleChecksum.isLowercaseHex(PLAIN)).isTrue();
        assertThat(BundleChecksum.isLowercaseHex(PLAIN.toUpperCase())).isFalse();
    }

    @Test
    void signedChecksumAcceptsHexOrBase64Of256Bytes() throws Exception {
        String hex = Vectors.run(0).get("encrypted_checksum_hex").asText();
        SignedChecksum fromHex = SignedChecksum.parse(hex);
        SignedChecksum fromUpperHex = SignedChecksum.parse(hex.toUpperCase());
        SignedChecksum fromBase64 = SignedChecksum.parse(
                Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(hex)));
        assertThat(fromHex).isEqualTo(fromUpperHex).isEqualTo(fromBase64);
        assertThat(fromBase64.recover(Vectors.publicKey()).hex()).isEqualTo(PLAIN);
        assertThat(SignedChecksum.isV3Hex(hex)).isTrue();
        assertThat(SignedChecksum.isV3Hex(PLAIN)).isFalse();
    }

    @Test
    void aPlainChecksumWhereASignedOneIsNeededIsExplained() {
        assertFailure(() -> SignedChecksum.parse(PLAIN), Failure.CHECKSUM_MALFORMED);
        assertFailure(() -> SignedChecksum.parse(""), Failure.CHECKSUM_MALFORMED);
        assertFailure(() -> SignedChecksum.parse("not base64 !"), Failure.CHECKSUM_MALFORMED);
        assertFailure(() -> SignedChecksum.parse("abc"), Failure.CHECKSUM_MALFORMED);
    }

    @Test
    void aChecksumFromAnotherKeyIsAWrongKey() throws Exception {
        SignedChecksum other = BundleChecksum.parse(PLAIN).sign(BundlePrivateKey.generate());
        assertFailure(() -> other.recover(Vectors.publicKey()), Failure.CHECKSUM_WRONG_KEY);
    }
}
