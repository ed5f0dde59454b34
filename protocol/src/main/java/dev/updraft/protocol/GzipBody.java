package dev.updraft.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * The gzip form of a large device answer ({@code Content-Encoding: gzip}, docs/protocol.md §7): a manifest of
 * 3,000 files is most of a megabyte of JSON. Made once per answer where the answer is built; whether a client gets
 * it is the server's web layer's choice (its {@code Accept-Encoding}).
 */
public final class GzipBody {
    /** Answers smaller than this are sent as they are: gzip would save little and cost a header. */
    public static final int MIN_BYTES = 1024;

    private GzipBody() {}

    public static byte[] compress(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen in memory", e);
        }
        return out.toByteArray();
    }
}
