package dev.updraft.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.conformance.DeviceFront.Endpoint;
import dev.updraft.crypto.BundlePrivateKey;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.crypto.Cipher;

/** Encryption, keys and checksums (docs/protocol.md §2.3, §5). */
final class CryptoScenarios {
    private CryptoScenarios() {}

    /** The server's answer is changed on its way to the client: a server that forgot a field, or sent a bad one. */
    private static Scenario refusedAnswer(
            String name, String section, String summary, String expectedAction, UnaryOperator<ObjectNode> change) {
        return new Scenario(name, section, summary, c -> {
            Release r = c.release("1.0.1", true);
            c.publish(r);
            c.front().rewrite(Endpoint.UPDATES, o -> o.has("url") ? change.apply(o) : o);
            c.start();
            c.installCycle();
            c.expectSent(expectedAction, null);
            c.expectNotSent("set");
            c.expectBuiltin();
        });
    }

    static List<Scenario> all() {
        return List.of(
                new Scenario(
                        "crypto/wrong-key",
                        "§5.5",
                        "a bundle encrypted by another key (its key_id forged) fails; nothing is applied",
                        c -> {
                            BundlePrivateKey other = BundlePrivateKey.generate();
                            Release r = c.release("1.0.1", true, 16 * 1024, other);
                            c.publish(r, ScenarioContext.CHANNEL, c.key()); // registered under the device's key id
                            c.start();
                            c.installCycle();
                            c.expectSent("download_fail", null);
                            c.expectNotSent("set");
                            c.expectBuiltin();
                        }),
                refusedAnswer(
                        "crypto/session-key-missing",
                        "§2.3, §5.5",
                        "an encrypted app's device gets an answer without session_key: session_key_required",
                        "session_key_required",
                        o -> {
                            o.remove("session_key");
                            return o;
                        }),
                refusedAnswer(
                        "crypto/session-key-malformed",
                        "§2.3, §5.5",
                        "a session_key that is not <iv>:<key>: session_key_required",
                        "session_key_required",
                        o -> {
                            o.put("session_key", "bm90LWEta2V5");
                            return o;
                        }),
                refusedAnswer(
                        "crypto/checksum-missing",
                        "§2.3, §5.5",
                        "a zip answer without checksum: checksum_required",
                        "checksum_required",
                        o -> {
                            o.remove("checksum");
                            return o;
                        }),
                new Scenario(
                        "crypto/legacy-v2-checksum",
                        "§5.4",
                        "a legacy V2 (base64) checksum never matches: checksum_fail, nothing applied",
                        c -> {
                            KeyPair pair = rsaKeyPair();
                            BundlePrivateKey key = BundlePrivateKey.fromPem(pkcs8Pem(pair.getPrivate()));
                            Release r = c.release("1.0.1", true, 16 * 1024, key);
                            c.publish(r, ScenarioContext.CHANNEL, key);
                            String v2 = legacyV2(pair.getPrivate(), r.plainChecksum());
                            c.front().rewrite(Endpoint.UPDATES, o -> o.has("url") ? o.put("checksum", v2) : o);
                            c.start(i -> i.put("publicKey", key.publicKey().toPem()));
                            c.installCycle();
                            c.expect(
                                    c.sent("checksum_fail", null) || c.sent("decrypt_fail", null),
                                    "a V2 checksum recovers 48 bytes and must fail (checksum_fail)");
                            c.expectNotSent("set");
                            c.expectBuiltin();
                        }),
                new Scenario(
                        "crypto/key-rotation",
                        "§5.2, §2.2 C",
                        "after a key rotation an old build is blocked (key_id_mismatch, no failure); a new build installs",
                        c -> {
                            Release first = c.release("1.0.1", true);
                            c.publish(first);
                            c.start();
                            c.installCycle();
                            BundlePrivateKey rotated = BundlePrivateKey.generate();
                            Release second = c.release("1.0.2", true, 16 * 1024, rotated);
                            c.publish(second, ScenarioContext.CHANNEL, rotated);
                            c.nextCycle();
                            c.expectInstalled(first);
                            c.expect(c.storeGets(second).isEmpty(), "the old build downloaded a bundle of the new key");
                            c.expectNotSent("download_fail");
                            c.call("kill");
                            // the new build of the app ships the new public key: another phone, its own state
                            c.start(i -> i.put("publicKey", rotated.publicKey().toPem())
                                    .put(
                                            "stateDir",
                                            c.dir().resolve("new-build-state").toString()));
                            c.installCycle();
                            c.expectInstalled(second);
                        }),
                new Scenario(
                        "crypto/plain-app",
                        "§5.4",
                        "an app without a public key installs a plain bundle checked by its SHA-256",
                        c -> {
                            Release r = c.release("1.0.1", true, 16 * 1024, null);
                            c.publish(r, ScenarioContext.CHANNEL, null);
                            c.start(i -> i.putNull("publicKey"));
                            c.installCycle();
                            c.expectInstalled(r);
                        }),
                new Scenario(
                        "crypto/plain-checksum-mismatch",
                        "§5.4",
                        "a plain bundle whose SHA-256 differs from checksum: checksum_fail, nothing applied",
                        c -> {
                            Release r = c.release("1.0.1", true, 16 * 1024, null);
                            c.publish(r, ScenarioContext.CHANNEL, null);
                            String wrong = "0".repeat(64);
                            c.front().rewrite(Endpoint.UPDATES, o -> o.has("url") ? o.put("checksum", wrong) : o);
                            c.start(i -> i.putNull("publicKey"));
                            c.installCycle();
                            c.expectSent("checksum_fail", null);
                            c.expectNotSent("set");
                            c.expectBuiltin();
                        }));
    }

    private static KeyPair rsaKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static String pkcs8Pem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                        .encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /**
     * The legacy "V2" checksum of docs/protocol.md §5.4: an old CLI base64-decoded the 64 hex characters (48 bytes)
     * and signed those, base64. The plugin recovers 48 bytes, which never equal the 32-byte digest.
     */
    private static String legacyV2(PrivateKey key, String plainHex) throws GeneralSecurityException {
        byte[] decoded = Base64.getDecoder().decode(plainHex);
        Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        rsa.init(Cipher.ENCRYPT_MODE, key);
        return Base64.getEncoder().encodeToString(rsa.doFinal(decoded));
    }
}
