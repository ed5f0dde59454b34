package dev.updraft.server.console;

import dev.updraft.server.security.AdminKeyIdentityProvider;
import dev.updraft.server.security.AdminKeyRequest;
import dev.updraft.server.security.ClientAddress;
import dev.updraft.server.web.ApiException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.time.Instant;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * {@code /console/login}, the console's one public page: a form that exchanges an admin key for a session. The key
 * is checked by the admin key's own identity provider (AdminKeyIdentityProvider: the same keys, the same throttle of
 * wrong keys per address) and never stored or echoed; the session id goes to the browser in an HttpOnly cookie only.
 * The form carries a token that must match its cookie, so another site cannot log a browser in (docs/console.md).
 */
@Path("/console/login")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class ConsoleLoginResource {
    @Inject
    IdentityProviderManager identities;

    @Inject
    ConsoleSessions sessions;

    @GET
    public Response form(@Context HttpServerRequest http) {
        return page(http, 200, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(
            @FormParam("key") String key, @FormParam("csrf") String csrf, @Context HttpServerRequest http) {
        Cookie expected = http.getCookie(ConsoleCookies.LOGIN);
        if (expected == null
                || csrf == null
                || !java.security.MessageDigest.isEqual(
                        expected.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        csrf.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            throw new ApiException(
                    403,
                    "csrf_refused",
                    "This login form was not sent from this server's login page (or it is over ten minutes old);"
                            + " nothing was done. Open the login page again.");
        }
        if (key == null || key.isBlank()) {
            return page(http, 400, "Enter an admin API key.");
        }
        SecurityIdentity identity;
        try {
            identity = identities.authenticateBlocking(new AdminKeyRequest(key.strip(), ClientAddress.of(http)));
        } catch (AuthenticationFailedException e) {
            if (AdminKeyIdentityProvider.THROTTLED.equals(e.getAttribute(AdminKeyIdentityProvider.REASON))) {
                Object retry = e.getAttribute(AdminKeyIdentityProvider.RETRY_AFTER);
                throw ApiException.tooManyRequests(
                        "Too many wrong admin keys from this address; try again later.",
                        retry instanceof Number n ? n.longValue() : 60);
            }
            return page(http, 401, "That admin API key is not valid.");
        }
        long keyPk = identity.<Long>getAttribute(AdminKeyIdentityProvider.KEY_ID);
        ConsoleSessions.Opened opened =
                sessions.open(keyPk, identity.getPrincipal().getName(), Instant.now());
        return Response.seeOther(UriBuilder.fromPath(ConsolePaths.ROOT).build())
                .cookie(ConsoleCookies.session(http, opened.id()), ConsoleCookies.clearLogin(http))
                .build();
    }

    /** The login form with a fresh form token (and its cookie), and an error to show, if any. */
    private static Response page(HttpServerRequest http, int status, String error) {
        String token = ConsoleSessions.random();
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .cookie(ConsoleCookies.login(http, token))
                .header("Cache-Control", "no-store")
                .entity(Templates.login(Templates.Frame.anonymous("Log in"), error, token)
                        .render())
                .build();
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return ConsolePages.error(e);
    }
}
