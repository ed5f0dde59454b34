package dev.updraft.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The app's public key: it goes into {@code capacitor.config.json} ({@code plugins.CapacitorUpdater.publicKey}),
 * unwraps session keys and recovers signed checksums. Always RSA-2048; always written as PKCS#1 PEM because the
 * plugin refuses anything else.
 */
public final class BundlePublicKey {
    private final RSAPublicKey key;
    private final KeyFormat readFrom;
    private final String pkcs1Pem;

    BundlePublicKey(RSAPublicKey key, KeyFormat readFrom) throws CryptoException {
        if (key.getModulus().bitLength() != Rsa.MODULUS_BITS) {
            throw new CryptoException(
                    CryptoException.Failure.WRONG_KEY_SIZE,
                    "the key is RSA-" + key.getModulus().bitLength() + "; the Capgo plugin only accepts RSA-2048 keys");
        }
        this.key = key;
        this.readFrom = readFrom;
        this.pkcs1Pem = Pem.encode(
                Pem.RSA_PUBLIC,
                encodeDer(new org.bouncycastle.asn1.pkcs.RSAPublicKey(key.getModulus(), key.getPublicExponent())));
    }

    /**
     * Reads a public key from PEM text: PKCS#1 ({@code BEGIN RSA PUBLIC KEY}) or SPKI ({@code BEGIN PUBLIC KEY}).
     * An SPKI key is accepted and converted; {@link #readFrom()} tells the caller so it can say the plugin needs
     * the PKCS#1 form that {@link #toPem()} gives.
     */
    public static BundlePublicKey fromPem(String pem) throws CryptoException {
        Pem.Block block = Pem.decode(pem);
        try {
            switch (block.label()) {
                case Pem.RSA_PUBLIC:
                    return fromPkcs1(org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(block.der()), KeyFormat.PKCS1);
                case Pem.SPKI_PUBLIC: {
                    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(block.der());
                    if (!PKCSObjectIdentifiers.rsaEncryption.equals(
                            spki.getAlgorithm().getAlgorithm())) {
                        throw new CryptoException(
                                CryptoException.Failure.WRONG_KEY_TYPE,
                                "the public key is not an RSA key (algorithm "
                                        + spki.getAlgorithm().getAlgorithm() + "); Capgo needs RSA-2048");
                    }
                    return fromPkcs1(
                            org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(spki.parsePublicKey()), KeyFormat.SPKI);
                }
                case Pem.RSA_PRIVATE:
                case Pem.PKCS8_PRIVATE:
                case Pem.PKCS8_ENCRYPTED:
                    throw new CryptoException(
                            CryptoException.Failure.WRONG_KEY_TYPE,
                            "this is a private key; a public key (-----BEGIN RSA PUBLIC KEY-----, e.g. .capgo_key_v2.pub) is needed here");
                default:
                    throw new CryptoException(
                            CryptoException.Failure.WRONG_KEY_TYPE,
                            "a PEM block of type '" + block.label() + "' is not an RSA public key");
            }
        } catch (IllegalArgumentException | IOException | IllegalStateException e) {
            throw new CryptoException(
                    CryptoException.Failure.BAD_PEM,
                    "the " + block.label() + " PEM does not hold a valid RSA public key",
                    e);
        }
    }

    /** Reads a public key PEM file; see {@link #fromPem(String)}. */
    public static BundlePublicKey read(Path file) throws CryptoException, IOException {
        return fromPem(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static BundlePublicKey fromPkcs1(org.bouncycastle.asn1.pkcs.RSAPublicKey asn1, KeyFormat format)
            throws CryptoException {
        return new BundlePublicKey(toJca(asn1.getModulus(), asn1.getPublicExponent()), format);
    }

    static RSAPublicKey toJca(BigInteger modulus, BigInteger exponent) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no RSA key factory", e);
        }
    }

    static byte[] encodeDer(org.bouncycastle.asn1.ASN1Object object) {
        try {
            return object.getEncoded("DER");
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding of an in-memory key failed", e);
        }
    }

    /** The PKCS#1 PEM ({@code -----BEGIN RSA PUBLIC KEY-----}), byte-identical to what the Capgo CLI writes. */
    public String toPem() {
        return pkcs1Pem;
    }

    /** The format this key was read from; {@link KeyFormat#PKCS1} for generated keys. */
    public KeyFormat readFrom() {
        return readFrom;
    }

    /**
     * The {@code key_id} the plugin sends with every request: the first 20 characters of the PKCS#1 PEM body. For
     * RSA-2048 the first 12 are always {@code MIIBCgKCAQEA}.
     */
    public String keyId() {
        return keyIdOf(pkcs1Pem);
    }

    /** The {@code key_id} of a PEM string as the plugin computes it: headers and whitespace removed, first 20 chars. */
    public static String keyIdOf(String pem) {
        StringBuilder body = new StringBuilder(20);
        for (String line : pem.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("-----")) {
                continue;
            }
            for (int i = 0; i < trimmed.length() && body.length() < 20; i++) {
                if (!Character.isWhitespace(trimmed.charAt(i))) {
                    body.append(trimmed.charAt(i));
                }
            }
            if (body.length() >= 20) {
                break;
            }
        }
        return body.toString();
    }

    RSAPublicKey jcaKey() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BundlePublicKey other
                && key.getModulus().equals(other.key.getModulus())
                && key.getPublicExponent().equals(other.key.getPublicExponent());
    }

    @Override
    public int hashCode() {
        return key.getModulus().hashCode();
    }

    @Override
    public String toString() {
        return "BundlePublicKey[RSA-2048, key_id=" + keyId() + "]";
    }
}
