package dev.updraft.crypto;

import static dev.updraft.crypto.RoundTripTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.crypto.CryptoException.Failure;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionKeyTest {
    private static final String IV = Base64.getEncoder().encodeToString(new byte[16]);

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "no-colon-at-all",
                ":",
                "abc:",
                ":abc",
                "a:b:c",
                "!!!notbase64:AAAA",
            })
    void malformedShapesAreRefusedAsMalformed(String ivSessionKey) throws Exception {
        BundlePublicKey pub = Vectors.publicKey();
        assertFailure(() -> SessionKey.unwrap(ivSessionKey, pub), Failure.SESSION_KEY_MALFORMED);
    }

    @Test
    void wrongLengthsAreRefusedWithTheLengthInTheMessage() throws Exception {
        BundlePublicKey pub = Vectors.publicKey();
        String wrapped = Base64.getEncoder().encodeToString(new byte[256]);
        String shortIv = Base64.getEncoder().encodeToString(new byte[8]);
        assertFailure(() -> SessionKey.unwrap(shortIv + ":" + wrapped, pub), Failure.SESSION_KEY_MALFORMED);
        String shortWrapped = Base64.getEncoder().encodeToString(new byte[128]);
        assertFailure(() -> SessionKey.unwrap(IV + ":" + shortWrapped, pub), Failure.SESSION_KEY_MALFORMED);
    }

    @Test
    void aBlockNotMadeByTheMatchingPrivateKeyIsAWrongKey() throws Exception {
        String garbage = Base64.getEncoder().encodeToString(new byte[256]);
        assertFailure(() -> SessionKey.unwrap(IV + ":" + garbage, Vectors.publicKey()), Failure.SESSION_KEY_WRONG_KEY);
    }

    @Test
    void wrapUnwrapRoundTrip() throws Exception {
        BundlePrivateKey key = Vectors.privateKey();
        SessionKey original = SessionKey.generate();
        String wrapped = original.wrap(key);
        assertThat(wrapped).hasSize(369).matches("[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/=]{344}");
        assertThat(SessionKey.unwrap(wrapped, key.publicKey())).isEqualTo(original);
        assertThat(SessionKey.generate()).isNotEqualTo(original);
    }

    @Test
    void pluginShapeCheck() {
        assertThat(SessionKey.hasSessionKeyShape("a:b")).isTrue();
        assertThat(SessionKey.hasSessionKeyShape("")).isFalse();
        assertThat(SessionKey.hasSessionKeyShape(null)).isFalse();
        assertThat(SessionKey.hasSessionKeyShape(":b")).isFalse();
        assertThat(SessionKey.hasSessionKeyShape("a:")).isFalse();
    }

    @Test
    void toStringShowsNoKeyMaterial() {
        assertThat(SessionKey.generate().toString()).doesNotContainPattern("[A-Za-z0-9+/]{16,}");
    }
}
