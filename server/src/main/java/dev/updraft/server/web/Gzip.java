package dev.updraft.server.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * gzip for large device answers (a manifest of 3,000 files is megabytes of JSON), sent only to clients that say
 * they accept it: the plugin's HTTP stacks (OkHttp, URLSession) do and decompress transparently. Vert.x's own
 * compression stays off (application.properties): it would compress every small answer on the event loop.
 */
public final class Gzip {
    /** Answers smaller than this are sent as they are: gzip would save little and cost a header. */
    public static final int MIN_BYTES = 1024;

    private Gzip() {
    }

    /**
     * Whether an {@code Accept-Encoding} header accepts gzip: a {@code gzip} (or {@code *}) coding whose {@code q} is
     * not 0 (RFC 9110 §12.5.3). Malformed parts are ignored.
     */
    public static boolean accepted(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        boolean star = false;
        for (String part : acceptEncoding.split(",")) {
            String[] params = part.split(";");
            String coding = params[0].strip().toLowerCase(Locale.ROOT);
            boolean refused = false;
            for (int i = 1; i < params.length; i++) {
                String p = params[i].strip().toLowerCase(Locale.ROOT);
                if (p.startsWith("q=")) {
                    try {
                        refused = Double.parseDouble(p.substring(2)) <= 0;
                    } catch (NumberFormatException e) {
                        refused = true;
                    }
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                return !refused;
            }
            star |= coding.equals("*") && !refused;
        }
        return star;
    }

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
