package dev.updraft.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * Where bundle files that arrive through the server are kept (docs/operations.md, "Bundle storage"). Names are
 * content-addressed ({@code <app_id>/<sha256 hex>.zip}, chosen by the storage from the bytes), so a stored file is
 * never overwritten: publishing a new bundle never changes what devices may be downloading. Implementations: files on
 * disk ({@link DiskBundleStorage}) and objects of the S3 bucket ({@code s3.S3BundleStorage}), chosen by
 * {@code updraft.storage.kind} ({@link BundleStorages}).
 */
public interface BundleStorage {
    /** What {@link #put} stored: its name, the SHA-256 (lowercase hex) and the size of its bytes. */
    record Stored(String name, String sha256, long size) {}

    /**
     * Stores the stream's bytes for the app under their content address; a file with the same bytes already stored is
     * kept as it is. More than {@code maxBytes} bytes: nothing is stored and {@link TooLargeException} is thrown.
     */
    Stored put(String appId, InputStream content, long maxBytes) throws IOException;

    /** {@code length} bytes from {@code offset} of the named file (the caller checked both against {@link #size}). */
    InputStream open(String name, long offset, long length) throws IOException;

    boolean exists(String name);

    long size(String name) throws IOException;

    /** Deletes the named file, and only it; false when there was none. */
    boolean delete(String name) throws IOException;

    /** The URL devices download the named file from; {@code serverBase} is the server's public base URL. */
    URI publicUrl(String name, URI serverBase);

    /**
     * Whether devices download the stored files from the server's own {@code GET /files/...} route ({@link
     * #publicUrl} points there); false for a store devices download from directly, whose names that route then
     * never looks up.
     */
    default boolean servedByServer() {
        return true;
    }

    /** Whether {@code name} has the shape of a stored file's name (so a path or a guess never reaches the storage). */
    static boolean isName(String name) {
        int slash = name.indexOf('/');
        return slash > 0
                && dev.updraft.protocol.Identifier.APP_ID
                        .problem(name.substring(0, slash))
                        .isEmpty()
                && dev.updraft.protocol.Identifier.STORED_FILE.matches(name.substring(slash + 1));
    }

    /** The stream had more bytes than allowed. */
    final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        public TooLargeException(long maxBytes) {
            super("more than " + maxBytes + " bytes");
        }
    }
}
