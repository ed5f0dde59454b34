package dev.updraft.crypto;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes PEM armour exactly as Node's key export does: 64-character lines, {@code \n}, trailing newline. */
final class Pem {
    static final String RSA_PUBLIC = "RSA PUBLIC KEY";
    static final String RSA_PRIVATE = "RSA PRIVATE KEY";
    static final String SPKI_PUBLIC = "PUBLIC KEY";
    static final String PKCS8_PRIVATE = "PRIVATE KEY";
    static final String PKCS8_ENCRYPTED = "ENCRYPTED PRIVATE KEY";

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END ([A-Z0-9 ]+)-----");

    /** A decoded PEM block: its label (the text after BEGIN) and its DER body. */
    record Block(String label, byte[] der) {}

    private Pem() {}

    static Block decode(String text) throws CryptoException {
        if (text == null || text.isBlank()) {
            throw new CryptoException(
                    CryptoException.Failure.BAD_PEM, "the key is empty: expected a PEM block (-----BEGIN ...-----)");
        }
        Matcher m = BLOCK.matcher(text);
        if (!m.find()) {
            throw new CryptoException(
                    CryptoException.Failure.BAD_PEM,
                    "not a PEM key: expected a block between -----BEGIN RSA PUBLIC KEY----- (or PRIVATE KEY) and its END line");
        }
        if (!m.group(1).equals(m.group(3))) {
            throw new CryptoException(
                    CryptoException.Failure.BAD_PEM,
                    "not a PEM key: BEGIN " + m.group(1) + " is closed by END " + m.group(3));
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            if (der.length == 0) {
                throw new CryptoException(
                        CryptoException.Failure.BAD_PEM, "the PEM block " + m.group(1) + " has no content");
            }
            return new Block(m.group(1), der);
        } catch (IllegalArgumentException e) {
            throw new CryptoException(
                    CryptoException.Failure.BAD_PEM, "the PEM block " + m.group(1) + " is not valid base64", e);
        }
    }

    static String encode(String label, byte[] der) {
        String body = Base64.getEncoder().encodeToString(der);
        StringBuilder sb = new StringBuilder(body.length() + body.length() / 64 + 80);
        sb.append("-----BEGIN ").append(label).append("-----\n");
        for (int i = 0; i < body.length(); i += 64) {
            sb.append(body, i, Math.min(body.length(), i + 64)).append('\n');
        }
        sb.append("-----END ").append(label).append("-----\n");
        return sb.toString();
    }
}
