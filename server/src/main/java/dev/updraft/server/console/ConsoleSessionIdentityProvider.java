package dev.updraft.server.console;

import dev.updraft.server.security.AdminKeyIdentityProvider;
import dev.updraft.server.security.AdminRole;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Turns a live console session into the identity of the key that opened it: principal = the key's name (so the audit
 * log names it), role {@link AdminRole#ADMIN}, and the session itself as {@link #SESSION} (for its CSRF token and the
 * logout). An unknown, expired or revoked session is no identity at all: the console sends the browser to log in.
 */
@ApplicationScoped
public class ConsoleSessionIdentityProvider implements IdentityProvider<ConsoleSessionRequest> {
    /** Identity attribute: the {@link ConsoleSessions.Session} the request came with. */
    public static final String SESSION = "updraft.console-session";

    @Inject
    ConsoleSessions sessions;

    @Override
    public Class<ConsoleSessionRequest> getRequestType() {
        return ConsoleSessionRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ConsoleSessionRequest request, AuthenticationRequestContext context) {
        // A database read: off the I/O thread.
        return context.runBlocking(() -> sessions.find(request.sessionId(), Instant.now())
                .<SecurityIdentity>map(s -> QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(s.keyName()))
                        .addRole(AdminRole.ADMIN)
                        .addAttribute(AdminKeyIdentityProvider.KEY_ID, s.keyPk())
                        .addAttribute(SESSION, s)
                        .build())
                .orElse(null));
    }
}
