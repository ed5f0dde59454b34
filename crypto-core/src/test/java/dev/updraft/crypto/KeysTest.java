package dev.updraft.crypto;

import static dev.updraft.crypto.RoundTripTest.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.crypto.CryptoException.Failure;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysTest {
    @TempDir
    Path tmp;

    @Test
    void generatedKeysAreRsa2048InCapgosPemLayout() {
        BundlePrivateKey key = BundlePrivateKey.generate();
        String pub = key.publicKey().toPem();
        String priv = key.toPem();
        assertThat(pub)
                .startsWith("-----BEGIN RSA PUBLIC KEY-----\n")
                .endsWith("\n-----END RSA PUBLIC KEY-----\n")
                .hasSize(426);
        assertThat(priv).startsWith("-----BEGIN RSA PRIVATE KEY-----\n").endsWith("\n-----END RSA PRIVATE KEY-----\n");
        for (String pem : new String[] {pub, priv}) {
            String[] lines = pem.split("\n");
            for (int i = 1; i < lines.length - 2; i++) {
                assertThat(lines[i]).hasSize(64);
            }
            assertThat(lines[lines.length - 2].length()).isBetween(1, 64);
        }
        assertThat(key.publicKey().keyId()).hasSize(20).startsWith("MIIBCgKCAQEA");
    }

    @Test
    void pemRoundTrip() throws Exception {
        BundlePrivateKey key = BundlePrivateKey.generate();
        BundlePrivateKey again = BundlePrivateKey.fromPem(key.toPem());
        assertThat(again.toPem()).isEqualTo(key.toPem());
        assertThat(BundlePublicKey.fromPem(key.publicKey().toPem())).isEqualTo(key.publicKey());
    }

    @Test
    void spkiAndPkcs8AreReadAndConvertedToPkcs1() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        var pair = gen.generateKeyPair();
        String spki = Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded());
        String pkcs8 = Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded());

        BundlePublicKey pub = BundlePublicKey.fromPem(spki);
        BundlePrivateKey priv = BundlePrivateKey.fromPem(pkcs8);
        assertThat(pub.readFrom()).isEqualTo(KeyFormat.SPKI);
        assertThat(priv.readFrom()).isEqualTo(KeyFormat.PKCS8);
        assertThat(pub.toPem()).startsWith("-----BEGIN RSA PUBLIC KEY-----");
        assertThat(priv.publicKey()).isEqualTo(pub);
        // the converted key is the same key: it unwraps what the private key wrapped
        SessionKey sk = SessionKey.generate();
        assertThat(SessionKey.unwrap(sk.wrap(priv), BundlePublicKey.fromPem(pub.toPem())))
                .isEqualTo(sk);
    }

    @Test
    void wrongKindsOfKeysAreRefusedClearly() throws Exception {
        String priv = Vectors.text("keys/.capgo_key_v2");
        String pub = Vectors.text("keys/.capgo_key_v2.pub");
        assertFailure(() -> BundlePublicKey.fromPem(priv), Failure.WRONG_KEY_TYPE);
        assertFailure(() -> BundlePrivateKey.fromPem(pub), Failure.WRONG_KEY_TYPE);
        assertFailure(
                () -> BundlePrivateKey.fromPem(
                        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"),
                Failure.WRONG_KEY_TYPE);
        assertFailure(
                () -> BundlePublicKey.fromPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                Failure.WRONG_KEY_TYPE);

        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        String ecPub = Pem.encode("PUBLIC KEY", ec.generateKeyPair().getPublic().getEncoded());
        assertFailure(() -> BundlePublicKey.fromPem(ecPub), Failure.WRONG_KEY_TYPE);
    }

    @Test
    void badPemIsRefusedAsBadPem() {
        assertFailure(() -> BundlePublicKey.fromPem(""), Failure.BAD_PEM);
        assertFailure(() -> BundlePublicKey.fromPem("hello"), Failure.BAD_PEM);
        assertFailure(
                () -> BundlePublicKey.fromPem("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"),
                Failure.BAD_PEM);
        assertFailure(
                () -> BundlePublicKey.fromPem(
                        "-----BEGIN RSA PUBLIC KEY-----\nAAAAAAAA\n-----END RSA PUBLIC KEY-----\n"),
                Failure.BAD_PEM);
        assertFailure(
                () -> BundlePrivateKey.fromPem("-----BEGIN RSA PRIVATE KEY-----\n"
                        + Base64.getEncoder().encodeToString(new byte[40]) + "\n-----END RSA PRIVATE KEY-----\n"),
                Failure.BAD_PEM);
    }

    @Test
    void keysThatAreNot2048BitsAreRefused() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(1024);
        var pair = gen.generateKeyPair();
        assertFailure(
                () -> BundlePublicKey.fromPem(
                        Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded())),
                Failure.WRONG_KEY_SIZE);
        assertFailure(
                () -> BundlePrivateKey.fromPem(
                        Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded())),
                Failure.WRONG_KEY_SIZE);
    }

    @Test
    void privateKeyFilesAreOwnerOnlyAndNotOverwrittenByDefault() throws Exception {
        BundlePrivateKey key = BundlePrivateKey.generate();
        Path file = tmp.resolve("keys/.capgo_key_v2");
        key.writePem(file, false);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(file)).isEqualTo(key.toPem());

        BundlePrivateKey other = BundlePrivateKey.generate();
        assertThatThrownBy(() -> other.writePem(file, false)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo(key.toPem());

        other.writePem(file, true);
        assertThat(Files.readString(file)).isEqualTo(other.toPem());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).hasSize(1); // no temp files left behind
        }
    }

    @Test
    void toStringNeverShowsKeyMaterial() {
        BundlePrivateKey key = BundlePrivateKey.generate();
        assertThat(key.toString())
                .contains("key_id=")
                .doesNotContain(key.toPem().substring(40, 80));
    }
}
