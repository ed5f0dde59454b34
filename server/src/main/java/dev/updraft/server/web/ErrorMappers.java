package dev.updraft.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.updraft.server.persistence.ConcurrentChangeException;
import dev.updraft.server.security.AdminKeyIdentityProvider;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error of JAX-RS and of Quarkus Security leaves as {@code {"error", "message"[, "details"]}}; bad input never
 * becomes a 500. What the HTTP layer answers before JAX-RS is made JSON by {@link HttpLayer}.
 */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response.ResponseBuilder r =
                Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(body(e));
        if (e.retryAfterSeconds() > 0) {
            r.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        return r.build();
    }

    /** The body of {@code e}'s answer (also written by routes outside JAX-RS, device.UpdatesRoute). */
    public static Map<String, Object> body(ApiException e) {
        Map<String, Object> body = body(e.code(), e.getMessage());
        if (e.details() != null) {
            body.put(
                    "details",
                    e.details().stream()
                            .map(d -> Map.of("field", d.field(), "message", d.message()))
                            .toList());
        }
        if (e.status() == 429 && e.retryAfterSeconds() > 0) {
            body.put("retryAfterSeconds", e.retryAfterSeconds());
        }
        return body;
    }

    /** A write that lost its race with a concurrent one twice (persistence.Transactions): the client may retry. */
    @ServerExceptionMapper
    public Response concurrentChange(ConcurrentChangeException e) {
        return error(
                409,
                "concurrent_change",
                "Another request changed the same data at the same time; nothing was changed by this one, try again");
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return error(400, "invalid_json", "The body is not valid JSON");
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "request failed with HTTP %d", status);
            return error(500, "internal_error", "Internal server error");
        }
        return error(status, codeFor(status), messageFor(status));
    }

    /** No credential (or only the Capgo CLI's placeholder) for a resource that needs one. */
    @ServerExceptionMapper(priority = Priorities.AUTHENTICATION)
    public Response unauthenticated(UnauthorizedException e) {
        return challenge(error(401, "missing_api_key", "Send the admin API key as 'Authorization: Bearer <key>'"));
    }

    /** A wrong admin key, or one from an address that sent too many wrong keys (429, not checked). */
    @ServerExceptionMapper(priority = Priorities.AUTHENTICATION)
    public Response authenticationFailed(AuthenticationFailedException e) {
        if (AdminKeyIdentityProvider.THROTTLED.equals(e.getAttribute(AdminKeyIdentityProvider.REASON))) {
            Long retryAfter = e.getAttribute(AdminKeyIdentityProvider.RETRY_AFTER);
            return api(ApiException.tooManyRequests(
                    "Too many wrong admin API keys from this address; try again later",
                    retryAfter == null ? 60 : retryAfter));
        }
        return challenge(error(401, "invalid_api_key", "The admin API key is not valid"));
    }

    /** Authenticated, but not allowed here (an endpoint no role may call, such as an unannotated one). */
    @ServerExceptionMapper(priority = Priorities.AUTHENTICATION)
    public Response forbidden(ForbiddenException e) {
        return error(403, "forbidden", "This credential may not do this");
    }

    /** The code of an HTTP-layer error by status: {@code not_found}, {@code method_not_allowed}, ... */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            default -> "http_" + status;
        };
    }

    public static String messageFor(int status) {
        return switch (status) {
            case 401 -> "This needs the admin API key";
            case 403 -> "This is not allowed";
            case 404 -> "No such resource";
            case 405 -> "This method is not allowed here";
            case 406 -> "This server answers application/json";
            case 413 -> "The request body is too large";
            case 414 -> "The request target is too long";
            case 415 -> "Send the body as application/json";
            case 431 -> "The request headers are too large";
            default -> "The request was refused";
        };
    }

    private static Response challenge(Response r) {
        return Response.fromResponse(r)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected error while handling a request", e);
        return error(500, "internal_error", "Internal server error");
    }

    public static Response error(int status, String code, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(body(code, message))
                .build();
    }

    public static Map<String, Object> body(String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return body;
    }
}
