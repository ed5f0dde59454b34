package dev.updraft.crypto;

import java.io.IOException;

/**
 * Carries a {@link CryptoException} out of {@link java.io.OutputStream#close()}, which may only throw I/O errors.
 * Never leaves crypto-core: {@link BundleSink} unwraps it.
 */
final class CryptoIOException extends IOException {
    CryptoIOException(CryptoException cause) {
        super(cause.getMessage(), cause);
    }

    CryptoException crypto() {
        return (CryptoException) getCause();
    }
}
