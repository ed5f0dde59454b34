package dev.updraft.crypto;

import dev.updraft.protocol.Platform;
import dev.updraft.protocol.StatsAction;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * A bundle could not be signed, encrypted, decrypted or verified. {@link #failure()} says why, in a form a
 * caller can branch on ({@link Failure#pluginStat(Platform)} is what the plugin reports for it); the message says it
 * in one line for a person.
 */
public final class CryptoException extends GeneralSecurityException {

    /** Why a crypto operation was refused. */
    public enum Failure {
        /** Not a PEM we can read (bad header, bad base64, bad DER). */
        BAD_PEM(Reported.NOTHING),
        /** A PEM of the wrong kind: a private key where a public key was needed, a non-RSA key, ... */
        WRONG_KEY_TYPE(Reported.NOTHING),
        /** An RSA key that is not 2048 bits: the plugin only accepts 256-byte RSA blocks. */
        WRONG_KEY_SIZE(Reported.NOTHING),
        /** The {@code ivSessionKey} string does not have the shape {@code base64(iv):base64(wrappedKey)}. */
        SESSION_KEY_MALFORMED(Reported.DECRYPT),
        /** The session key was wrapped with a private key that does not match this public key. */
        SESSION_KEY_WRONG_KEY(Reported.DECRYPT),
        /** The checksum string is neither a 64-hex SHA-256 nor a 256-byte signed checksum. */
        CHECKSUM_MALFORMED(Reported.CHECKSUM),
        /** A base64 "V2" checksum of an old Capgo CLI: plugin 8.x cannot verify it. */
        CHECKSUM_LEGACY_V2(Reported.CHECKSUM),
        /** The signed checksum was made with a private key that does not match this public key. */
        CHECKSUM_WRONG_KEY(Reported.CHECKSUM),
        /** The bundle's SHA-256 differs from the checksum it should have. */
        CHECKSUM_MISMATCH(Reported.CHECKSUM),
        /** The ciphertext is not a whole number of AES blocks: the file was cut short. */
        CIPHERTEXT_TRUNCATED(Reported.DECRYPT),
        /** The ciphertext does not decrypt (bad padding): it was altered or made with another session key. */
        CIPHERTEXT_CORRUPT(Reported.DECRYPT),
        /** A plain zip where an encrypted bundle was expected: it does not decrypt. */
        NOT_ENCRYPTED(Reported.DECRYPT),
        /** A delta payload whose name ends in {@code .br} does not Brotli-decode (docs/protocol.md §7.4). */
        BROTLI_CORRUPT(Reported.NOTHING),
        /**
         * A delta (manifest) entry that cannot be installed at all: its path breaks the plugin's path rules
         * (docs/protocol.md §8.3), it names the same file as another entry, or it has no hash.
         */
        MANIFEST_ENTRY_INVALID(Reported.NOTHING);

        /** What the plugin reports when this check fails on a downloaded bundle (docs/protocol.md §3.3). */
        private enum Reported {
            /** Not a property of a bundle (the device's own key): nothing but {@code download_fail}. */
            NOTHING,
            /** AES or RSA decryption failed. */
            DECRYPT,
            /** The checksum is unusable or does not match. */
            CHECKSUM
        }

        private final Reported reported;

        Failure(Reported reported) {
            this.reported = reported;
        }

        /**
         * The stat the plugin sends before {@code download_fail} when a bundle fails this way on {@code platform}:
         * {@code checksum_fail} for a checksum problem, {@code decrypt_fail} for a decryption problem on the platforms
         * that send it (iOS; Android reports only {@code download_fail}), otherwise empty.
         */
        public Optional<StatsAction> pluginStat(Platform platform) {
            return switch (reported) {
                case CHECKSUM -> Optional.of(StatsAction.CHECKSUM_FAIL);
                case DECRYPT ->
                    StatsAction.DECRYPT_FAIL.sentBy().contains(platform)
                            ? Optional.of(StatsAction.DECRYPT_FAIL)
                            : Optional.empty();
                case NOTHING -> Optional.empty();
            };
        }

        /**
         * The stat the plugin sends (with {@code "<version>:<file_name>"}) when one file of a delta download fails this
         * way (docs/protocol.md §3.3, §7.4): a hash that does not match is {@code download_manifest_checksum_fail}, a
         * {@code .br} payload that does not decode {@code download_manifest_brotli_fail}, an entry refused before any
         * download (bad path, duplicate target, a hash that cannot be recovered) {@code manifest_path_fail}, and
         * everything else (a payload that does not decrypt, ...) {@code download_manifest_file_fail}.
         */
        public StatsAction manifestStat() {
            return switch (this) {
                case CHECKSUM_MISMATCH -> StatsAction.DOWNLOAD_MANIFEST_CHECKSUM_FAIL;
                case BROTLI_CORRUPT -> StatsAction.DOWNLOAD_MANIFEST_BROTLI_FAIL;
                case MANIFEST_ENTRY_INVALID, CHECKSUM_MALFORMED, CHECKSUM_LEGACY_V2, CHECKSUM_WRONG_KEY ->
                    StatsAction.MANIFEST_PATH_FAIL;
                default -> StatsAction.DOWNLOAD_MANIFEST_FILE_FAIL;
            };
        }
    }

    private final Failure failure;

    public CryptoException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public CryptoException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
