package dev.updraft.protocol;

/**
 * A request body the device API cannot accept, with the wire error code the server answers (HTTP 400
 * {@code {"error": code, "message": message}}, docs/protocol.md §1.6). Retrying such a body never helps, so
 * the plugin is right to drop it.
 */
public final class ProtocolException extends RuntimeException {
    /** The body is empty, not JSON, or has content after the JSON value. */
    public static final String INVALID_JSON_PARSE_BODY = "invalid_json_parse_body";
    /** The body is JSON, but not the expected shape (not an object, a field of the wrong type, too long, NUL). */
    public static final String INVALID_JSON_BODY = "invalid_json_body";
    /** A {@code version_build} or {@code plugin_version} that is not a semantic version. */
    public static final String SEMVER_ERROR = "semver_error";
    /** A {@code /stats} batch with more events than the plugin's queue holds. */
    public static final String TOO_MANY_EVENTS = "too_many_events";
    /** An event of a {@code /stats} batch names another app than the batch's first event. */
    public static final String MIXED_APP_IDS = "mixed_app_ids";

    private final String code;

    public ProtocolException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** The wire {@code error} code. */
    public String code() {
        return code;
    }
}
