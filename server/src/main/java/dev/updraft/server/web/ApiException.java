package dev.updraft.server.web;

import java.util.List;

/**
 * An error answer: {@code {"error", "message"}} plus {@code details} for validation errors. Thrown by resources and
 * services, turned into the response by {@link ErrorMappers}; never a stack trace on the wire.
 */
public class ApiException extends RuntimeException {
    /** One field-level validation problem. */
    public record Detail(String field, String message) {}

    private final int status;
    private final String code;
    private final List<Detail> details;
    private final long retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null, 0);
    }

    public ApiException(int status, String code, String message, List<Detail> details, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    public static ApiException validation(List<Detail> details) {
        String msg = details.size() == 1
                ? details.get(0).field() + ": " + details.get(0).message()
                : details.size() + " fields are invalid: "
                        + details.stream()
                                .map(Detail::field)
                                .distinct()
                                .reduce((a, b) -> a + ", " + b)
                                .orElse("");
        return new ApiException(400, "validation_failed", msg, List.copyOf(details), 0);
    }

    public static ApiException tooManyRequests(String message, long retryAfterSeconds) {
        return new ApiException(429, "too_many_requests", message, null, Math.max(1, retryAfterSeconds));
    }

    public static ApiException payloadTooLarge(long limit) {
        return new ApiException(413, "payload_too_large", "The request body is larger than " + limit + " bytes");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<Detail> details() {
        return details;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
