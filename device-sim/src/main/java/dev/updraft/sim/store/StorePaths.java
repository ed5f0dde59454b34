package dev.updraft.sim.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/** The store's reading of request paths: which ones may name a file, and a file's content type. Pure. */
final class StorePaths {
    private StorePaths() {}

    /**
     * The request path as a path relative to the folder, or null if it is not allowed: it must start with '/',
     * decode cleanly, and have no backslash, NUL, '..' or '.' segment, no empty segment inside, no absolute or
     * drive-letter form. {@code ""} is the root (never listed).
     */
    static String safeRelative(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return null;
        }
        String decoded = percentDecode(rawPath);
        if (decoded == null || decoded.indexOf('\\') >= 0 || decoded.indexOf('\0') >= 0) {
            return null;
        }
        String rel = decoded.substring(1);
        if (rel.isEmpty()) {
            return "";
        }
        if (rel.startsWith("/") || (rel.length() >= 2 && rel.charAt(1) == ':')) {
            return null;
        }
        String[] segments = rel.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.equals("..") || s.equals(".") || (s.isEmpty() && i < segments.length - 1)) {
                return null;
            }
        }
        return rel;
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%') {
                if (i + 2 >= in.length) {
                    return null;
                }
                int hi = Character.digit(in[i + 1], 16);
                int lo = Character.digit(in[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write((hi << 4) | lo);
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static String contentType(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".zip")) {
            return "application/zip";
        }
        if (n.endsWith(".json")) {
            return "application/json";
        }
        if (n.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        return "application/octet-stream";
    }
}
