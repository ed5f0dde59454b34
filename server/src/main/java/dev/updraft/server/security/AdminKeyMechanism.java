package dev.updraft.server.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads an admin key from the request ({@link PresentedKey}) and hands it to {@link AdminKeyIdentityProvider}. A
 * request without one stays anonymous. Authentication is lazy ({@code quarkus.http.auth.proactive=false}): it runs
 * only when the matched resource method needs an identity ({@code @RolesAllowed}), so access is decided on what the
 * router matched, never on the spelling of the path, and a device call with a stray header is not refused.
 * Other credentials (the web console's session cookie) are further mechanisms that produce the same role.
 */
@ApplicationScoped
public class AdminKeyMechanism implements HttpAuthenticationMechanism {
    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (PresentedKey.from(context.request()) instanceof PresentedKey.Key key) {
            AdminKeyRequest request = new AdminKeyRequest(key.value(), ClientAddress.of(context.request()));
            HttpSecurityUtils.setRoutingContextAttribute(request, context);
            return identityProviderManager.authenticate(request);
        }
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(AdminKeyRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }
}
