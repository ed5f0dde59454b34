package dev.updraft.sim;

import dev.updraft.protocol.Platform;
import dev.updraft.protocol.UpdateAnswer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

/**
 * One answer to a JSON call ({@code /updates}, {@code /stats}, {@code /channel_self}): the HTTP status, headers and
 * body, or the transport failure that prevented one.
 */
public final class ApiResponse {
    private final int status;
    private final MultiMap headers;
    private final Buffer body;
    private final Throwable failure;
    private final long latencyMs;

    private ApiResponse(int status, MultiMap headers, Buffer body, Throwable failure, long latencyMs) {
        this.status = status;
        this.headers = headers == null ? MultiMap.caseInsensitiveMultiMap() : headers;
        this.body = body == null ? Buffer.buffer() : body;
        this.failure = failure;
        this.latencyMs = latencyMs;
    }

    public static ApiResponse of(int status, MultiMap headers, Buffer body, long latencyMs) {
        return new ApiResponse(status, headers, body, null, latencyMs);
    }

    public static ApiResponse failed(Throwable failure, long latencyMs) {
        return new ApiResponse(0, null, null, failure, latencyMs);
    }

    /** The HTTP status, or 0 when there was no answer ({@link #failure()} says why). */
    public int status() {
        return status;
    }

    public boolean isTransportError() {
        return failure != null;
    }

    public boolean is2xx() {
        return status >= 200 && status < 300;
    }

    /** Whether the transport failure was a timeout (connect or read). */
    public boolean timedOut() {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException
                    || t instanceof java.net.SocketTimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    public Throwable failure() {
        return failure;
    }

    public String header(String name) {
        return headers.get(name);
    }

    public MultiMap headers() {
        return headers;
    }

    public Buffer body() {
        return body;
    }

    public String bodyText() {
        return body.toString(StandardCharsets.UTF_8);
    }

    public long latencyMs() {
        return latencyMs;
    }

    /** This answer of {@code POST <updateUrl>}, read as the plugin of {@code platform} reads it (the protocol's rules). */
    public UpdateAnswer asUpdateAnswer(Platform platform) {
        return isTransportError()
                ? UpdateAnswer.transportFailure(platform, timedOut(), String.valueOf(failure))
                : UpdateAnswer.classify(status, body.getBytes(), platform);
    }

    /** The body parsed as JSON: a {@link JsonObject}, a {@link JsonArray}, another JSON value, or null if it is not JSON. */
    public Object json() {
        if (body.length() == 0) {
            return null;
        }
        try {
            Object v = Json.decodeValue(body);
            return v == null ? JSON_NULL : v;
        } catch (DecodeException e) {
            return null;
        }
    }

    /** The body as a JSON object, or null if it is not one. */
    public JsonObject jsonObject() {
        Object v = json();
        return v instanceof JsonObject o ? o : null;
    }

    /** Stands for a body that is the JSON literal {@code null}: valid JSON, but not an object. */
    static final Object JSON_NULL = new Object();

    @Override
    public String toString() {
        return failure != null ? "transport error: " + failure : "HTTP " + status;
    }
}
