package dev.updraft.server.security;

import dev.updraft.server.admin.ApiKeys;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a presented admin key into an identity: principal = the key's name, role {@link AdminRole#ADMIN}. All in
 * memory (the key cache of {@link ApiKeys}), so it runs on the I/O thread. While the client's address is throttled
 * the key is not even checked; a wrong key counts against the address.
 */
@ApplicationScoped
public class AdminKeyIdentityProvider implements IdentityProvider<AdminKeyRequest> {
    /** {@link AuthenticationFailedException#getAttributes()} key: {@link #INVALID} or {@link #THROTTLED}. */
    public static final String REASON = "updraft.reason";
    /** Attribute with the seconds until a throttled address may try again. */
    public static final String RETRY_AFTER = "updraft.retry-after";

    public static final String INVALID = "invalid_api_key";
    public static final String THROTTLED = "too_many_failed_keys";
    /** Identity attribute: the database id of the key used. */
    public static final String KEY_ID = "updraft.admin-key-id";

    @Inject
    ApiKeys keys;

    @Inject
    WrongKeyThrottle throttle;

    @Override
    public Class<AdminKeyRequest> getRequestType() {
        return AdminKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(AdminKeyRequest request, AuthenticationRequestContext context) {
        long retryAfter = throttle.retryAfterSeconds(request.clientAddress());
        if (retryAfter > 0) {
            return Uni.createFrom()
                    .failure(new AuthenticationFailedException(
                            "too many wrong admin keys from this address",
                            Map.of(REASON, THROTTLED, RETRY_AFTER, retryAfter)));
        }
        Optional<ApiKeys.ActiveKey> key = keys.find(request.key());
        if (key.isEmpty()) {
            throttle.failed(request.clientAddress());
            return Uni.createFrom()
                    .failure(new AuthenticationFailedException(
                            "the admin API key is not valid", Map.of(REASON, INVALID)));
        }
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(key.get().name()))
                        .addRole(AdminRole.ADMIN)
                        .addAttribute(KEY_ID, key.get().id())
                        .build());
    }
}
