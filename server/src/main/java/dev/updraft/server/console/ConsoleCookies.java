package dev.updraft.server.console;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.NewCookie;

/**
 * The console's two cookies, both HttpOnly, SameSite=Strict and Secure when the request came over https (as the
 * server or its proxy says: {@code quarkus.http.proxy.*}): the session ({@value ConsoleSessionMechanism#COOKIE},
 * path {@code /console}, lasting as long as the session) and the login form's token ({@value #LOGIN}, path
 * {@code /console/login}, ten minutes), which makes a login from another site's form fail (docs/console.md, "CSRF").
 */
final class ConsoleCookies {
    static final String LOGIN = "updraft_console_login";
    static final int LOGIN_SECONDS = 600;

    private ConsoleCookies() {}

    static NewCookie session(HttpServerRequest http, String id) {
        return cookie(http, ConsoleSessionMechanism.COOKIE, id, ConsolePaths.ROOT, (int)
                ConsoleSessions.LIFETIME.toSeconds());
    }

    static NewCookie clearSession(HttpServerRequest http) {
        return cookie(http, ConsoleSessionMechanism.COOKIE, "", ConsolePaths.ROOT, 0);
    }

    static NewCookie login(HttpServerRequest http, String token) {
        return cookie(http, LOGIN, token, ConsolePaths.LOGIN, LOGIN_SECONDS);
    }

    static NewCookie clearLogin(HttpServerRequest http) {
        return cookie(http, LOGIN, "", ConsolePaths.LOGIN, 0);
    }

    private static NewCookie cookie(HttpServerRequest http, String name, String value, String path, int maxAge) {
        return new NewCookie.Builder(name)
                .value(value)
                .path(path)
                .maxAge(maxAge)
                .httpOnly(true)
                .secure("https".equalsIgnoreCase(http.scheme()))
                .sameSite(NewCookie.SameSite.STRICT)
                .build();
    }
}
