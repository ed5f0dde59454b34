package dev.updraft.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;

/** An upload written to a new owner-only file before it has a name: every storage's first step. */
public final class Spool {
    private Spool() {}

    /**
     * Copies the stream into {@code file} (which must not exist), updating each digest with the bytes; more than
     * {@code maxBytes}: {@link BundleStorage.TooLargeException} (the caller removes the file). Returns the size.
     */
    public static long write(InputStream content, Path file, long maxBytes, MessageDigest... digests)
            throws IOException {
        long size = 0;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = content.read(buf)) > 0; ) {
                size += n;
                if (size > maxBytes) {
                    throw new BundleStorage.TooLargeException(maxBytes);
                }
                for (MessageDigest d : digests) {
                    d.update(buf, 0, n);
                }
                out.write(buf, 0, n);
            }
        }
        return size;
    }
}
