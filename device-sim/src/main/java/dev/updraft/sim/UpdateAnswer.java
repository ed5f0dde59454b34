package dev.updraft.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * An answer to the update check, classified the way the plugin classifies it (spec §2.2): by which keys are
 * present, not by the HTTP status alone.
 *
 * <p>Android ({@code makeJsonRequest}): a JSON object with the key {@code error} or {@code kind} (even with a
 * {@code null} value) is the "no bundle / error" class whatever the status; otherwise a non-2xx status is
 * {@code response_error}; otherwise a body that is not a JSON object is {@code parse_error}; otherwise it is an
 * update (or {@code version:"builtin"}). iOS decodes into typed fields: a non-empty {@code error} or {@code kind}
 * is the error class, and a body that does not decode (not JSON, wrong types) is {@code decode_error}.
 */
public final class UpdateAnswer {
    /** The answer classes of §2.2. */
    public enum Kind {
        /** A: a bundle to download. */
        UPDATE,
        /** B: go back to the built-in bundle. */
        BUILTIN,
        /** C, {@code kind:"up_to_date"}. */
        UP_TO_DATE,
        /** C, {@code kind:"blocked"}. */
        BLOCKED,
        /** C with {@code kind:"failed"}, a missing or unknown kind, or D (transport errors, non-2xx, not JSON, local rate-limit block). */
        FAILED
    }

    private final Kind kind;
    private final String error;
    private final String message;
    private final int httpStatus;
    private final JsonObject body;

    private UpdateAnswer(Kind kind, String error, String message, int httpStatus, JsonObject body) {
        this.kind = kind;
        this.error = error;
        this.message = message;
        this.httpStatus = httpStatus;
        this.body = body == null ? new JsonObject() : body;
    }

    /** A check that never left the device (rate-limit block): failed with the stored error (§1.5). */
    static UpdateAnswer localFailure(String error, String message) {
        return new UpdateAnswer(Kind.FAILED, error, message, 0, null);
    }

    /** Classifies an answer of {@code POST <updateUrl>} as the given platform does. */
    public static UpdateAnswer classify(ApiResponse r, Platform platform) {
        if (r.isTransportError()) {
            String code = platform == Platform.IOS ? (r.timedOut() ? "timeout_error" : "response_error") : "network_error";
            return new UpdateAnswer(Kind.FAILED, code, String.valueOf(r.failure()), 0, null);
        }
        Object json = r.json();
        JsonObject o = json instanceof JsonObject jo ? jo : null;
        if (o != null && isErrorClass(o, platform)) {
            return new UpdateAnswer(kindOf(o.getValue("kind")), str(o.getValue("error")), str(o.getValue("message")), r.status(), o);
        }
        if (!r.is2xx()) {
            return new UpdateAnswer(Kind.FAILED, "response_error", "Server error: " + r.status(), r.status(), o);
        }
        if (o == null || (platform == Platform.IOS && !decodes(o))) {
            return new UpdateAnswer(Kind.FAILED, platform == Platform.IOS ? "decode_error" : "parse_error",
                    "the update answer is not a valid JSON object", r.status(), null);
        }
        if ("builtin".equals(o.getValue("version"))) {
            return new UpdateAnswer(Kind.BUILTIN, null, null, r.status(), o);
        }
        return new UpdateAnswer(Kind.UPDATE, null, null, r.status(), o);
    }

    private static boolean isErrorClass(JsonObject o, Platform platform) {
        if (platform == Platform.ANDROID) {
            return o.containsKey("error") || o.containsKey("kind"); // has(key): a null value counts
        }
        return !str(o.getValue("error")).isEmpty() || !str(o.getValue("kind")).isEmpty();
    }

    /** §2.2.C: only up_to_date, blocked and failed are recognised; anything else is failed. */
    private static Kind kindOf(Object kind) {
        if (kind instanceof String k) {
            switch (k) {
                case "up_to_date":
                    return Kind.UP_TO_DATE;
                case "blocked":
                    return Kind.BLOCKED;
                default:
                    return Kind.FAILED;
            }
        }
        return Kind.FAILED;
    }

    /** iOS's typed decoding: the string fields must be strings, the flags booleans, {@code data} string → string. */
    private static boolean decodes(JsonObject o) {
        for (String k : new String[] {"version", "url", "checksum", "session_key", "link", "comment", "message", "error", "kind"}) {
            Object v = o.getValue(k);
            if (v != null && !(v instanceof String)) {
                return false;
            }
        }
        for (String k : new String[] {"breaking", "major"}) {
            Object v = o.getValue(k);
            if (v != null && !(v instanceof Boolean)) {
                return false;
            }
        }
        Object data = o.getValue("data");
        if (data instanceof JsonObject d) {
            for (var e : d) {
                if (e.getValue() != null && !(e.getValue() instanceof String)) {
                    return false;
                }
            }
        } else if (data != null) {
            return false;
        }
        Object manifest = o.getValue("manifest");
        return manifest == null || manifest instanceof JsonArray;
    }

    private static String str(Object v) {
        return v instanceof String s ? s : v == null ? "" : v.toString();
    }

    public Kind kind() {
        return kind;
    }

    /** The error code (class C/D), or null for an update. */
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

    /** The answer's JSON object (empty if there was none). */
    public JsonObject body() {
        return body;
    }

    public String version() {
        return str(body.getValue("version"));
    }

    public String url() {
        return body.getValue("url") instanceof String s ? s : null;
    }

    public String checksum() {
        return str(body.getValue("checksum"));
    }

    /** {@code session_key} (Android renames it {@code sessionKey} internally; same thing). */
    public String sessionKey() {
        return str(body.getValue("session_key"));
    }

    public boolean hasManifest() {
        return body.getValue("manifest") instanceof JsonArray a && !a.isEmpty();
    }

    /** Whether the plugin would emit its breaking-update events (§2.2.C last row). */
    public boolean breaking() {
        return Boolean.TRUE.equals(body.getValue("breaking")) || "disable_auto_update_to_major".equals(error)
                || "store_update_required".equals(message);
    }

    @Override
    public String toString() {
        String k = kind.name().toLowerCase(Locale.ROOT);
        return kind == Kind.UPDATE ? "update " + version() : error == null ? k : k + " (" + error + ")";
    }
}
