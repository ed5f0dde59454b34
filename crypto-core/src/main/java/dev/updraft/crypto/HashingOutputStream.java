package dev.updraft.crypto;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Passes every byte on unchanged and hashes it: {@link #checksum()} is the SHA-256 of all that was written. */
final class HashingOutputStream extends FilterOutputStream {
    private final MessageDigest md = BundleChecksum.newDigest();
    private BundleChecksum checksum;

    HashingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (checksum != null) {
            throw new IllegalStateException("the checksum was already taken");
        }
        Slices.digest(md, b, off, len);
        out.write(b, off, len);
    }

    /** The SHA-256 of everything written; once taken, nothing more can be written. */
    BundleChecksum checksum() {
        if (checksum == null) {
            checksum = BundleChecksum.ofDigest(md.digest());
        }
        return checksum;
    }
}
