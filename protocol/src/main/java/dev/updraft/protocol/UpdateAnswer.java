package dev.updraft.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An answer of {@code POST /updates} as the plugin reads it (docs/protocol.md §2.2): classified by which
 * keys are present, not by the HTTP status alone. The simulator and the load generator read answers with it; servers
 * write them with {@link UpdateOffer}, {@link #revertToBuiltinJson()} and {@link UpdateError}.
 *
 * <p>Android ({@code makeJsonRequest}): a JSON object with the key {@code error} or {@code kind} (even with a
 * {@code null} value) is the "no update" class whatever the status, its {@code kind} normalised
 * ({@link NoUpdateKind#normalise}); otherwise a non-2xx status is {@code response_error}; otherwise a body that is not
 * a JSON object is {@code parse_error}; otherwise {@code version:"builtin"} is the revert, anything else an update.
 * iOS decodes into typed fields: a non-empty string {@code error} or {@code kind} is the "no update" class, and a body
 * that does not decode (not JSON, wrong types) is {@code decode_error}.
 */
public final class UpdateAnswer {
    /** The {@code version} that sends a device back to its built-in bundle. */
    public static final String BUILTIN = "builtin";

    private static final byte[] BUILTIN_JSON = ("{\"version\":\"" + BUILTIN + "\"}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] STATUS_OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    /** The answer classes. */
    public enum Kind {
        /** A bundle to download. */
        UPDATE,
        /** Go back to the built-in bundle. */
        BUILTIN,
        /** No update, {@code kind:"up_to_date"}. */
        UP_TO_DATE,
        /** No update, {@code kind:"blocked"}. */
        BLOCKED,
        /**
         * No update with {@code kind:"failed"} or a missing or unknown kind, or a transport error, a non-2xx status, a
         * body that is not JSON, a local rate-limit block: the plugin sends {@code download_fail}.
         */
        FAILED
    }

    private final Kind kind;
    private final String error;
    private final String message;
    private final int httpStatus;
    private final Map<String, Object> body;

    private UpdateAnswer(Kind kind, String error, String message, int httpStatus, Map<String, Object> body) {
        this.kind = kind;
        this.error = error;
        this.message = message;
        this.httpStatus = httpStatus;
        this.body = body == null ? Map.of() : Collections.unmodifiableMap(body);
    }

    /** {@code {"version":"builtin"}}. Do not modify the array. */
    public static byte[] revertToBuiltinJson() {
        return BUILTIN_JSON;
    }

    /**
     * The answer to {@code GET /updates}, which the plugin never sends: {@code {"status":"ok"}}, as the Capgo cloud
     * answers it (docs/protocol.md §2.1). Do not modify the array.
     */
    public static byte[] getAnswerJson() {
        return STATUS_OK;
    }

    /** A check that never left the device (a rate-limit block): failed with the stored error. */
    public static UpdateAnswer localFailure(String error, String message) {
        return new UpdateAnswer(Kind.FAILED, error, message, 0, null);
    }

    /** No answer came: {@code network_error} (Android), {@code timeout_error} or {@code response_error} (iOS). */
    public static UpdateAnswer transportFailure(Platform platform, boolean timedOut, String detail) {
        String code = platform == Platform.IOS ? (timedOut ? "timeout_error" : "response_error") : "network_error";
        return new UpdateAnswer(Kind.FAILED, code, detail, 0, null);
    }

    /** Classifies an answer (status and body) as the plugin of this platform does (Electron: as Android). */
    @SuppressWarnings("unchecked")
    public static UpdateAnswer classify(int status, byte[] body, Platform platform) {
        boolean ios = platform == Platform.IOS;
        Map<String, Object> o = null;
        if (body != null && body.length > 0) {
            try {
                Object json = JsonIn.readTree(body);
                o = json instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
            } catch (IOException e) {
                o = null;
            }
        }
        boolean is2xx = status >= 200 && status < 300;
        if (o != null
                && (ios
                        ? nonEmptyString(o.get("error")) || nonEmptyString(o.get("kind"))
                        : o.containsKey("error") || o.containsKey("kind"))) {
            Kind k = switch (NoUpdateKind.normalise(o.get("kind"))) {
                case UP_TO_DATE -> Kind.UP_TO_DATE;
                case BLOCKED -> Kind.BLOCKED;
                case FAILED -> Kind.FAILED;
            };
            return new UpdateAnswer(k, text(o.get("error")), text(o.get("message")), status, o);
        }
        if (!is2xx) {
            return new UpdateAnswer(Kind.FAILED, "response_error", "Server error: " + status, status, o);
        }
        if (o == null || (ios && !decodes(o))) {
            return new UpdateAnswer(
                    Kind.FAILED,
                    ios ? "decode_error" : "parse_error",
                    "the update answer is not a valid JSON object",
                    status,
                    null);
        }
        if (BUILTIN.equals(o.get("version"))) {
            return new UpdateAnswer(Kind.BUILTIN, null, null, status, o);
        }
        return new UpdateAnswer(Kind.UPDATE, null, null, status, o);
    }

    private static boolean nonEmptyString(Object v) {
        return v instanceof String s && !s.isEmpty();
    }

    /** iOS's typed decoding: the text fields must be strings, the flags booleans, {@code data} string to string. */
    private static boolean decodes(Map<String, Object> o) {
        for (String k :
                new String[] {"version", "url", "checksum", "session_key", "link", "comment", "message", "error", "kind"
                }) {
            Object v = o.get(k);
            if (v != null && !(v instanceof String)) {
                return false;
            }
        }
        for (String k : new String[] {"breaking", "major"}) {
            Object v = o.get(k);
            if (v != null && !(v instanceof Boolean)) {
                return false;
            }
        }
        Object data = o.get("data");
        if (data instanceof Map<?, ?> d) {
            for (Object v : d.values()) {
                if (v != null && !(v instanceof String)) {
                    return false;
                }
            }
        } else if (data != null) {
            return false;
        }
        Object manifest = o.get("manifest");
        return manifest == null || manifest instanceof List<?>;
    }

    private static String text(Object v) {
        return v instanceof String s ? s : v == null ? "" : v.toString();
    }

    public Kind kind() {
        return kind;
    }

    /** The error code of a "no update" or failed answer, or {@code null} for an update or a revert. */
    public String error() {
        return error;
    }

    public String message() {
        return message;
    }

    /** 0 when nothing was received. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The answer's JSON object, read-only (empty if there was none). */
    public Map<String, Object> body() {
        return body;
    }

    /** {@code version} as text ({@code ""} when absent). */
    public String version() {
        return text(body.get("version"));
    }

    /** {@code url}, or {@code null} when absent or not a string. */
    public String url() {
        return body.get("url") instanceof String s ? s : null;
    }

    public String checksum() {
        return text(body.get("checksum"));
    }

    /** {@code session_key} (Android renames it {@code sessionKey} internally; the same value). */
    public String sessionKey() {
        return text(body.get("session_key"));
    }

    public boolean hasManifest() {
        return body.get("manifest") instanceof List<?> l && !l.isEmpty();
    }

    /** The {@code manifest} entries that are objects, their fields as text ({@code ""} when absent). */
    public List<ManifestEntry> manifest() {
        List<ManifestEntry> out = new ArrayList<>();
        if (body.get("manifest") instanceof List<?> l) {
            for (Object item : l) {
                if (item instanceof Map<?, ?> m) {
                    out.add(new ManifestEntry(
                            text(m.get("file_name")), text(m.get("file_hash")), text(m.get("download_url"))));
                }
            }
        }
        return out;
    }

    /** Whether the plugin emits its breaking-update events: {@code breaking:true}, the major gate, a store update. */
    public boolean breaking() {
        return Boolean.TRUE.equals(body.get("breaking"))
                || UpdateError.DISABLE_AUTO_UPDATE_TO_MAJOR.code().equals(error)
                || "store_update_required".equals(message);
    }

    @Override
    public String toString() {
        String k = kind.name().toLowerCase(Locale.ROOT);
        return kind == Kind.UPDATE ? "update " + version() : error == null ? k : k + " (" + error + ")";
    }
}
