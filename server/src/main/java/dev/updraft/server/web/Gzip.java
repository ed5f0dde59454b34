package dev.updraft.server.web;

import java.util.Locale;

/**
 * gzip for large device answers (a manifest of 3,000 files is megabytes of JSON), sent only to clients that say
 * they accept it: the plugin's HTTP stacks (OkHttp, URLSession) do and decompress transparently. Vert.x's own
 * compression stays off (application.properties): it would compress every small answer on the event loop. The
 * compressed bodies themselves are made where the answers are built ({@link dev.updraft.protocol.GzipBody}).
 */
public final class Gzip {
    private Gzip() {}

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
}
