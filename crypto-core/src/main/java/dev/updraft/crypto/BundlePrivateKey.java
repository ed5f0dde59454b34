package dev.updraft.crypto;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;

/**
 * The signing key that stays with the team ({@code .capgo_key_v2}): it wraps session keys and signs checksums.
 * RSA-2048, written as PKCS#1 PEM with owner-only permissions. {@link #toString()} never shows key material.
 */
public final class BundlePrivateKey {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final RSAPrivateCrtKey key;
    private final BundlePublicKey publicKey;
    private final KeyFormat readFrom;

    private BundlePrivateKey(RSAPrivateCrtKey key, KeyFormat readFrom) throws CryptoException {
        this.key = key;
        this.readFrom = readFrom;
        this.publicKey =
                new BundlePublicKey(BundlePublicKey.toJca(key.getModulus(), key.getPublicExponent()), KeyFormat.PKCS1);
    }

    /** A fresh RSA-2048 key with public exponent 65537, as {@code capgo key create} makes. */
    public static BundlePrivateKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(
                    new RSAKeyGenParameterSpec(Rsa.MODULUS_BITS, RSAKeyGenParameterSpec.F4), new SecureRandom());
            return new BundlePrivateKey(
                    (RSAPrivateCrtKey) generator.generateKeyPair().getPrivate(), KeyFormat.PKCS1);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate RSA-2048 keys", e);
        }
    }

    /** Reads a private key from PEM text: PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public static BundlePrivateKey fromPem(String pem) throws CryptoException {
        Pem.Block block = Pem.decode(pem);
        RSAPrivateKey asn1;
        KeyFormat format;
        try {
            switch (block.label()) {
                case Pem.RSA_PRIVATE:
                    asn1 = RSAPrivateKey.getInstance(block.der());
                    format = KeyFormat.PKCS1;
                    break;
                case Pem.PKCS8_PRIVATE: {
                    PrivateKeyInfo info = PrivateKeyInfo.getInstance(block.der());
                    if (!PKCSObjectIdentifiers.rsaEncryption.equals(
                            info.getPrivateKeyAlgorithm().getAlgorithm())) {
                        throw new CryptoException(
                                CryptoException.Failure.WRONG_KEY_TYPE,
                                "the private key is not an RSA key; Capgo needs RSA-2048");
                    }
                    asn1 = RSAPrivateKey.getInstance(info.parsePrivateKey());
                    format = KeyFormat.PKCS8;
                    break;
                }
                case Pem.PKCS8_ENCRYPTED:
                    throw new CryptoException(
                            CryptoException.Failure.WRONG_KEY_TYPE,
                            "the private key is password-protected; export it unencrypted first (openssl rsa -in KEY -traditional)");
                case Pem.RSA_PUBLIC:
                case Pem.SPKI_PUBLIC:
                    throw new CryptoException(
                            CryptoException.Failure.WRONG_KEY_TYPE,
                            "this is a public key; the private key (-----BEGIN RSA PRIVATE KEY-----, e.g. .capgo_key_v2) is needed here");
                default:
                    throw new CryptoException(
                            CryptoException.Failure.WRONG_KEY_TYPE,
                            "a PEM block of type '" + block.label() + "' is not an RSA private key");
            }
        } catch (IllegalArgumentException | IOException | IllegalStateException e) {
            throw new CryptoException(
                    CryptoException.Failure.BAD_PEM,
                    "the " + block.label() + " PEM does not hold a valid RSA private key",
                    e);
        }
        if (asn1.getModulus().bitLength() != Rsa.MODULUS_BITS) {
            throw new CryptoException(
                    CryptoException.Failure.WRONG_KEY_SIZE,
                    "the key is RSA-" + asn1.getModulus().bitLength()
                            + "; the Capgo plugin only accepts RSA-2048 keys");
        }
        return new BundlePrivateKey(toJca(asn1), format);
    }

    /** Reads a private key PEM file; see {@link #fromPem(String)}. */
    public static BundlePrivateKey read(Path file) throws CryptoException, IOException {
        return fromPem(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static RSAPrivateCrtKey toJca(RSAPrivateKey k) {
        try {
            return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new RSAPrivateCrtKeySpec(
                            k.getModulus(),
                            k.getPublicExponent(),
                            k.getPrivateExponent(),
                            k.getPrime1(),
                            k.getPrime2(),
                            k.getExponent1(),
                            k.getExponent2(),
                            k.getCoefficient()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no RSA key factory", e);
        }
    }

    /** The matching public key. */
    public BundlePublicKey publicKey() {
        return publicKey;
    }

    public KeyFormat readFrom() {
        return readFrom;
    }

    /**
     * The PKCS#1 PEM ({@code -----BEGIN RSA PRIVATE KEY-----}), the form the Capgo CLI writes and reads. Not public:
     * the only way out of the process is {@link #writePem}, to an owner-only file.
     */
    String toPem() {
        BigInteger n = key.getModulus();
        return Pem.encode(
                Pem.RSA_PRIVATE,
                BundlePublicKey.encodeDer(new RSAPrivateKey(
                        n,
                        key.getPublicExponent(),
                        key.getPrivateExponent(),
                        key.getPrimeP(),
                        key.getPrimeQ(),
                        key.getPrimeExponentP(),
                        key.getPrimeExponentQ(),
                        key.getCrtCoefficient())));
    }

    /**
     * Writes the PKCS#1 PEM to {@code file}, readable and writable by its owner only. The file is created with
     * those permissions (never world-readable, not even for a moment) and then moved into place.
     *
     * @param overwrite whether an existing file may be replaced
     * @throws FileAlreadyExistsException if the file exists and {@code overwrite} is false
     */
    public void writePem(Path file, boolean overwrite) throws IOException {
        Path target = file.toAbsolutePath();
        if (!overwrite && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "a private key already exists there");
        }
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, ".updraft-key-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(dir, ".updraft-key-", ".tmp"); // not a POSIX file system (Windows): ACLs apply
        }
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
                w.write(toPem());
            }
            try {
                Files.move(
                        tmp,
                        target,
                        overwrite
                                ? new StandardCopyOption[] {
                                    StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE
                                }
                                : new StandardCopyOption[] {StandardCopyOption.ATOMIC_MOVE});
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    RSAPrivateCrtKey jcaKey() {
        return key;
    }

    @Override
    public String toString() {
        return "BundlePrivateKey[RSA-2048, key_id=" + publicKey.keyId() + "]";
    }
}
