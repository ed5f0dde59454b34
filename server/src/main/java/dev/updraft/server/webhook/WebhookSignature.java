package dev.updraft.server.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook delivery (docs/admin-api.md, "Verifying a delivery"): header
 * {@code X-Updraft-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}. The time is signed
 * with the body, so a receiver that refuses times outside its replay window cannot be fed an old delivery again.
 */
public final class WebhookSignature {
    public static final String HEADER = "X-Updraft-Signature";

    private WebhookSignature() {}

    /** The header value for {@code body} sent at {@code at}. */
    public static String header(String secret, Instant at, byte[] body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac(secret, t, body));
    }

    /**
     * Whether {@code header} signs {@code body} with {@code secret} at a time within {@code window} of {@code now}:
     * what a receiver does (constant-time comparison).
     */
    public static boolean verify(String header, String secret, byte[] body, Instant now, Duration window) {
        if (header == null) {
            return false;
        }
        Long t = null;
        byte[] given = null;
        for (String part : header.split(",")) {
            String p = part.strip();
            try {
                if (p.startsWith("t=")) {
                    t = Long.parseLong(p.substring(2));
                } else if (p.startsWith("v1=")) {
                    given = HexFormat.of().parseHex(p.substring(3));
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        if (t == null || given == null) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - t) > window.toSeconds()) {
            return false;
        }
        return MessageDigest.isEqual(given, mac(secret, t, body));
    }

    private static byte[] mac(String secret, long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
