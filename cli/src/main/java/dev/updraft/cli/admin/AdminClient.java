package dev.updraft.cli.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.ExitCode;
import dev.updraft.cli.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The server's admin API ({@code /api/v1}, see docs/admin-api.md): JSON in and out, {@code Authorization: Bearer}.
 * Every failure becomes one {@link CliException}: an unreachable server, a rejected key, a 4xx with the server's
 * own {@code message}.
 */
public final class AdminClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI server;
    private final String apiKey;
    private final HttpClient http;

    public AdminClient(ServerSettings settings) {
        this.server = settings.server();
        this.apiKey = settings.requireKey();
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The server's base URL. */
    public URI server() {
        return server;
    }

    /** A status and its JSON body ({@code null} for an empty body). */
    public record Response(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * A path segment, percent-encoded ({@code 1.0.0+build} keeps its {@code +}, as {@code %2B}). The commands check
     * identifiers before they get here; an empty, {@code .} or {@code ..} segment is refused here too, since it
     * would name another resource than the one the user meant.
     */
    public static String segment(String value) {
        if (value == null || value.isEmpty() || value.equals(".") || value.equals("..")) {
            throw CliException.usage(
                    "invalid_path_segment",
                    "'" + (value == null ? "" : value) + "' cannot be part of an admin API path");
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public JsonNode get(String path) {
        return require(exchange("GET", path, null));
    }

    public JsonNode post(String path, JsonNode body) {
        return require(exchange("POST", path, body));
    }

    public JsonNode patch(String path, JsonNode body) {
        return require(exchange("PATCH", path, body));
    }

    public JsonNode put(String path, JsonNode body) {
        return require(exchange("PUT", path, body));
    }

    public void delete(String path) {
        require(exchange("DELETE", path, null));
    }

    /** The body of a 2xx answer; any other status becomes the matching {@link CliException}. */
    public JsonNode require(Response response) {
        if (!response.ok()) {
            throw failure(response);
        }
        return response.body();
    }

    /**
     * One request to {@code /api/v1/<path>}. Transport failures, 401/403 and 5xx throw; other statuses are returned
     * for the caller to branch on (404, 409, ...).
     */
    public Response exchange(String method, String path, JsonNode body) {
        return send(
                method,
                path,
                body == null ? null : "application/json",
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Json.compact(body), StandardCharsets.UTF_8));
    }

    /** {@code POST /api/v1/<path>} with the file's bytes as the body (a bundle for the server's storage). */
    public Response upload(String path, java.nio.file.Path file) throws IOException {
        return send("POST", path, "application/zip", HttpRequest.BodyPublishers.ofFile(file));
    }

    private Response send(String method, String path, String contentType, HttpRequest.BodyPublisher body) {
        URI uri = URI.create(server + "/api/v1/" + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body);
        HttpResponse<String> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("the connection timed out");
        } catch (HttpTimeoutException e) {
            throw new CliException(
                    ExitCode.UNREACHABLE,
                    "server_timeout",
                    "the Updraft server at " + server + " did not answer " + method + " /api/v1/" + path + " within "
                            + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw unreachable("connection refused");
        } catch (IOException e) {
            throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (IllegalArgumentException e) {
            throw unreachable("unknown host");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable("interrupted");
        }
        Response response = new Response(answer.statusCode(), parse(answer.body()));
        if (response.body() == null && answer.body() != null && !answer.body().isBlank()) {
            throw new CliException(
                    ExitCode.UNREACHABLE,
                    "not_updraft",
                    "HTTP " + answer.statusCode() + " for " + method + " " + uri + " is not JSON: is " + server
                            + " an Updraft server?");
        }
        int status = response.status();
        if (status == 401 || status == 403) {
            throw new CliException(
                    ExitCode.AUTH,
                    errorCode(response, status == 401 ? "invalid_api_key" : "forbidden"),
                    "the server at " + server + " rejected the API key: " + message(response));
        }
        if (status >= 500) {
            throw new CliException(
                    ExitCode.UNREACHABLE,
                    errorCode(response, "server_error"),
                    "the server at " + server + " failed (HTTP " + status + "): " + message(response));
        }
        if (status >= 300 && status < 400) {
            throw new CliException(
                    ExitCode.UNREACHABLE,
                    "unexpected_redirect",
                    "the server at " + server + " answered HTTP " + status + " (redirect to "
                            + answer.headers().firstValue("Location").orElse("?") + "); use that URL with --server");
        }
        if (status == 404 && "not_found".equals(errorCode(response, ""))) {
            // the server's own 404s name what is missing (app_not_found, ...); a bare not_found is a path it does not
            // serve, e.g. --server pointed at the bundle store
            throw new CliException(
                    ExitCode.UNREACHABLE,
                    "not_updraft",
                    "HTTP 404 for " + method + " " + uri + " (" + message(response) + "): " + server
                            + " has no Updraft admin API; is --server the Updraft server, not the bundle storage?");
        }
        if (!response.ok() && (response.body() == null || !response.body().has("error"))) {
            throw new CliException(
                    ExitCode.UNREACHABLE,
                    "not_updraft",
                    "HTTP " + status + " for " + method + " " + uri + " without an error body: is " + server
                            + " an Updraft server?");
        }
        return response;
    }

    /** A refused request (4xx): the server's code and message, and the fields a validation error names. */
    public CliException failure(Response response) {
        StringBuilder text = new StringBuilder(message(response));
        JsonNode details = response.body() == null ? null : response.body().get("details");
        if (details != null && details.isArray()) {
            for (JsonNode d : details) {
                text.append("; ")
                        .append(d.path("field").asText("?"))
                        .append(": ")
                        .append(d.path("message").asText(""));
            }
        }
        return new CliException(ExitCode.REFUSED, errorCode(response, "http_" + response.status()), text.toString());
    }

    private CliException unreachable(String why) {
        return new CliException(
                ExitCode.UNREACHABLE,
                "server_unreachable",
                "cannot reach the Updraft server at " + server + " (" + why
                        + "): is it running (./updraft server)? Set the URL with --server or "
                        + ServerSettings.ENV_SERVER);
    }

    private static String errorCode(Response response, String fallback) {
        JsonNode error = response.body() == null ? null : response.body().get("error");
        return error != null && error.isTextual() ? error.asText() : fallback;
    }

    private static String message(Response response) {
        JsonNode message = response.body() == null ? null : response.body().get("message");
        if (message != null && message.isTextual() && !message.asText().isBlank()) {
            return message.asText();
        }
        return "HTTP " + response.status()
                + (response.body() != null && response.body().has("error")
                        ? " " + response.body().get("error").asText()
                        : "");
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
