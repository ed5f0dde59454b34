package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.updraft.server.persistence.ApiKeyEntity;
import dev.updraft.server.persistence.Transactions;
import dev.updraft.server.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import org.hibernate.LockMode;
import org.hibernate.Session;

/** Named admin keys: create (the secret is returned once), list, revoke; the last active key cannot be revoked. */
@ApplicationScoped
public class AdminKeyAdmin {
    @Inject
    Session session;

    @Inject
    ApiKeys keys;

    @Inject
    Transactions tx;

    /** A key as listed: never its secret, not even its hash. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AdminKey(
            String name, String origin, String createdAt, String lastUsedAt, String revokedAt, boolean active) {}

    /** A new key with its secret: the only answer that ever holds it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CreatedKey(String name, String key, String createdAt) {}

    static AdminKey dto(ApiKeyEntity k) {
        return new AdminKey(
                k.name,
                k.label,
                Times.iso(k.createdAt),
                Times.iso(k.lastUsedAt),
                Times.iso(k.revokedAt),
                k.revokedAt == null);
    }

    /** Keys oldest first (in the order they were stored). */
    @Transactional
    public Page<AdminKey> list(Paging.Request page) {
        List<ApiKeyEntity> rows = page.query(session, ApiKeyEntity.class, null, "id > :after", "id")
                .getResultList();
        return page.page(rows, Paging.each(AdminKeyAdmin::dto), k -> List.of(k.id.toString()));
    }

    /**
     * Creates the key (the caller refreshes the key cache after the commit, so it works at once). Of identical
     * concurrent creates one wins; the others get 409 key_exists.
     */
    public CreatedKey create(String name) {
        return tx.write(() -> {
            if (keys.byName(name) != null) {
                throw ApiException.conflict(
                        "key_exists",
                        "An admin key named '" + name + "' exists (or existed: names of revoked keys are not reused)");
            }
            String secret = ApiKeys.newSecret();
            ApiKeyEntity k = keys.insert(name, ApiKeys.hashHex(secret), ApiKeyEntity.CREATED);
            return new CreatedKey(k.name, secret, Times.iso(k.createdAt));
        });
    }

    /**
     * Revokes the key; revoking a revoked key changes nothing. The active keys are locked first, so two instances
     * revoking the last two keys at once cannot both succeed.
     */
    public AdminKey revoke(String name) {
        return tx.write(() -> {
            List<ApiKeyEntity> active = session.createSelectionQuery(
                            "from ApiKeyEntity where revokedAt is null", ApiKeyEntity.class)
                    .setHibernateLockMode(LockMode.PESSIMISTIC_WRITE)
                    .getResultList();
            ApiKeyEntity k = keys.byName(name);
            if (k == null) {
                throw ApiException.notFound("key_not_found", "No admin key named '" + name + "'");
            }
            if (k.revokedAt != null) {
                return dto(k);
            }
            if (active.size() <= 1) {
                throw ApiException.conflict(
                        "last_active_key",
                        "'" + name + "' is the last active admin key; create another one before revoking it");
            }
            k.revokedAt = Times.now();
            return dto(k);
        });
    }
}
