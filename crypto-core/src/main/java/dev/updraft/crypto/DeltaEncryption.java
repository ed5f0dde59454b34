package dev.updraft.crypto;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one session key of an encrypted delta release: the full zip and every per-file payload are encrypted with it,
 * because the update answer carries a single {@code session_key} for both (docs/protocol.md §7.2). Made fresh for a
 * release, or, when the team opts in, from the previous release's {@code ivSessionKey} so that unchanged files keep
 * byte-identical payloads and need no new upload (the trade-off is in docs/security-model.md, "Delta payloads").
 * The key and IV stay inside: callers get the {@code ivSessionKey} string, an encrypted zip and a payload writer.
 */
public final class DeltaEncryption {
    private final BundlePrivateKey privateKey;
    private final SessionKey sessionKey;

    private DeltaEncryption(BundlePrivateKey privateKey, SessionKey sessionKey) {
        this.privateKey = privateKey;
        this.sessionKey = sessionKey;
    }

    /** A fresh random key and IV for this release. */
    public static DeltaEncryption fresh(BundlePrivateKey privateKey) {
        return new DeltaEncryption(privateKey, SessionKey.generate());
    }

    /**
     * The key and IV of an earlier release, unwrapped with this private key's public key.
     *
     * @throws CryptoException if the string is malformed or was not made with this key pair
     */
    public static DeltaEncryption reusing(BundlePrivateKey privateKey, String ivSessionKey) throws CryptoException {
        return new DeltaEncryption(privateKey, SessionKey.unwrap(ivSessionKey, privateKey.publicKey()));
    }

    /** The {@code ivSessionKey} string devices get; the same string again for a reused key (the wrap is deterministic). */
    public String ivSessionKey() {
        return sessionKey.wrap(privateKey);
    }

    /** Encrypts the release's full zip (the fallback for plugins without manifest support) with this key. */
    public BundleEncryptor.EncryptedBundle encryptZip(Path zip, Path out, ProgressListener progress)
            throws IOException {
        try {
            return new BundleEncryptor(privateKey).encrypt(zip, out, null, sessionKey, progress);
        } catch (CryptoException e) {
            throw new IllegalStateException("no checksum to compare, so no mismatch", e);
        }
    }

    /** The writer of this release's per-file payloads: encrypted with this key, hashes signed with the private key. */
    public DeltaPayloadWriter payloads(boolean brotli) {
        return new DeltaPayloadWriter(sessionKey, privateKey, brotli);
    }

    @Override
    public String toString() {
        return "DeltaEncryption[key material hidden]";
    }
}
