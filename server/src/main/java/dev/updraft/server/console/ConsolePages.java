package dev.updraft.server.console;

import dev.updraft.server.web.ApiException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

/** The console's answers that are not a page of its own: to the login page, and the error page. */
final class ConsolePages {
    private ConsolePages() {}

    /** A browser without a live session goes to the login page (the admin API answers JSON 401 instead). */
    static Response toLogin() {
        return Response.seeOther(UriBuilder.fromPath(ConsolePaths.LOGIN).build())
                .build();
    }

    /** An error as a page with the error's status; its message is the admin API's, written for people. */
    static Response error(ApiException e) {
        String title = switch (e.status()) {
            case 400 -> "Not accepted";
            case 403 -> "Refused";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            case 429 -> "Too many attempts";
            default -> "Error";
        };
        Response.ResponseBuilder r = Response.status(e.status())
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.error(Templates.Frame.anonymous(title), e.status(), e.getMessage())
                        .render());
        if (e.retryAfterSeconds() > 0) {
            r.header("Retry-After", e.retryAfterSeconds());
        }
        return r.build();
    }
}
