package dev.updraft.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Files on disk under {@code updraft.storage.dir} (default {@code <data-dir>/bundles}): {@code <app_id>/<sha256>.zip},
 * written to {@code .incoming/} first and then hard-linked into place, which fails rather than replaces when the name
 * exists; so a reader never sees a half-written file and a stored file is never overwritten.
 */
public class DiskBundleStorage implements BundleStorage {
    private final Path root;

    DiskBundleStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public Stored put(String appId, InputStream content, long maxBytes) throws IOException {
        Path incoming = root.resolve(".incoming");
        Files.createDirectories(incoming);
        Path part = incoming.resolve(UUID.randomUUID() + ".part");
        MessageDigest sha = sha256();
        try {
            long size = Spool.write(content, part, maxBytes, sha);
            String hex = HexFormat.of().formatHex(sha.digest());
            String name = appId + "/" + hex + ".zip";
            Path target = file(name);
            Files.createDirectories(target.getParent());
            try {
                Files.createLink(target, part);
            } catch (FileAlreadyExistsException sameBytes) {
                // Content-addressed: the file already there holds these very bytes; it stays untouched.
            }
            return new Stored(name, hex, size);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    @Override
    public InputStream open(String name, long offset, long length) throws IOException {
        SeekableByteChannel channel = Files.newByteChannel(file(name), StandardOpenOption.READ);
        channel.position(offset);
        return new BoundedInputStream(Channels.newInputStream(channel), length);
    }

    @Override
    public boolean exists(String name) {
        return BundleStorage.isName(name) && Files.isRegularFile(file(name));
    }

    @Override
    public long size(String name) throws IOException {
        return Files.size(file(name));
    }

    @Override
    public boolean delete(String name) throws IOException {
        return Files.deleteIfExists(file(name));
    }

    @Override
    public URI publicUrl(String name, URI serverBase) {
        String base = serverBase.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "files/" + name);
    }

    /** The file of a valid name; anything else is refused before it becomes a path. */
    private Path file(String name) {
        if (!BundleStorage.isName(name)) {
            throw new IllegalArgumentException("not a stored bundle name");
        }
        return root.resolve(name);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** At most {@code remaining} bytes of the stream. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
