package dev.updraft.sim.store;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Byte-exact HTTP/1.1 over a socket, to see what a store really sends (short bodies, lying lengths, hangs). */
final class RawHttp {
    /** What came back: status, headers, the body bytes after the head, whether the server closed, whether we timed out. */
    record Response(int status, Map<String, String> headers, byte[] body, boolean closedByServer, boolean timedOut) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {}

    static Response exchange(
            int port, String method, String rawPath, Map<String, String> headers, byte[] body, int readTimeoutMs)
            throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(readTimeoutMs);
            StringBuilder req =
                    new StringBuilder(method + " " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                req.append("Content-Length: ").append(body.length).append("\r\n");
            }
            req.append("\r\n");
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                s.getOutputStream().write(body);
            }
            s.getOutputStream().flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            boolean closed = false;
            boolean timedOut = false;
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    all.write(buf, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                timedOut = true;
            } catch (java.net.SocketException e) {
                closed = true; // reset
            }
            return parse(all.toByteArray(), closed, timedOut);
        }
    }

    private static Response parse(byte[] raw, boolean closed, boolean timedOut) {
        int headEnd = -1;
        for (int i = 0; i + 3 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n' && raw[i + 2] == '\r' && raw[i + 3] == '\n') {
                headEnd = i;
                break;
            }
        }
        if (headEnd < 0) {
            return new Response(0, Map.of(), raw, closed, timedOut);
        }
        String[] lines = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> h = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            h.put(
                    lines[i].substring(0, c).strip().toLowerCase(Locale.ROOT),
                    lines[i].substring(c + 1).strip());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length);
        return new Response(status, h, body, closed, timedOut);
    }
}
