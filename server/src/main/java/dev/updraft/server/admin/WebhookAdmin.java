package dev.updraft.server.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.updraft.server.persistence.AppEntity;
import dev.updraft.server.persistence.Transactions;
import dev.updraft.server.web.ApiException;
import dev.updraft.server.webhook.WebhookDeliveryEntity;
import dev.updraft.server.webhook.WebhookEntity;
import dev.updraft.server.webhook.WebhookUrl;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.hibernate.Session;

/**
 * An app's webhook and its delivery log (docs/admin-api.md, "Webhooks"). The secret is in the answer of the call that
 * sets it and nowhere else: not in later answers, the audit log (which never holds bodies) or the server's log.
 */
@ApplicationScoped
public class WebhookAdmin {
    static final Set<String> FIELDS = Set.of("url", "secret");
    /** 16 to 128 printable ASCII characters without spaces. */
    static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]{16,128}");

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The webhook as shown; {@code secret} only in the answer that set it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Webhook(String url, String secret, String createdAt, String updatedAt) {}

    /** A delivery log entry. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Delivery(
            long id,
            String eventId,
            String eventType,
            String state,
            int attempts,
            Integer lastStatus,
            String lastError,
            String createdAt,
            String lastAttemptAt,
            String nextAttemptAt,
            String deliveredAt) {}

    @Inject
    Session session;

    @Inject
    Transactions tx;

    /** Sets (or replaces) the app's webhook; the secret is the body's or a new random one, and is returned this once. */
    public Webhook set(String appId, Body body) {
        String url = body.string("url", true);
        if (url != null) {
            WebhookUrl.problem(url).ifPresent(p -> body.problem("url", p));
        }
        String given = body.string("secret", false);
        if (given != null && !SECRET.matcher(given).matches()) {
            body.problem(
                    "secret",
                    "must be 16 to 128 printable characters without spaces; leave it out to have one generated");
        }
        body.throwIfProblems();
        String secret = given != null ? given : generated();
        return tx.write(() -> {
            AppEntity app = Lookups.appLocked(appId);
            WebhookEntity w = session.find(WebhookEntity.class, app.id);
            boolean created = w == null;
            if (created) {
                w = new WebhookEntity();
                w.appPk = app.id;
                w.createdAt = Times.now();
            }
            w.url = url;
            w.secret = secret;
            w.updatedAt = Times.now();
            if (created) {
                session.persist(w);
            }
            return new Webhook(w.url, secret, Times.iso(w.createdAt), Times.iso(w.updatedAt));
        });
    }

    @Transactional
    public Webhook get(String appId) {
        WebhookEntity w = webhook(Lookups.app(appId));
        return new Webhook(w.url, null, Times.iso(w.createdAt), Times.iso(w.updatedAt));
    }

    /** Removes the webhook; its delivery log stays, and pending deliveries fail ("the app has no webhook any more"). */
    public void remove(String appId) {
        tx.write(() -> {
            AppEntity app = Lookups.appLocked(appId);
            session.remove(webhook(app));
        });
    }

    /** The delivery log, newest first. */
    @Transactional
    public Page<Delivery> deliveries(String appId, Paging.Request page) {
        AppEntity app = Lookups.app(appId);
        List<WebhookDeliveryEntity> rows = page.query(
                        session, WebhookDeliveryEntity.class, "appPk = :pk", "id < :after", "id desc")
                .setParameter("pk", app.id)
                .getResultList();
        return page.page(
                rows,
                Paging.each(d -> new Delivery(
                        d.id,
                        d.eventId,
                        d.eventType,
                        d.state,
                        d.attempts,
                        d.lastStatus,
                        d.lastError,
                        Times.iso(d.createdAt),
                        Times.iso(d.lastAttemptAt),
                        d.state.equals(WebhookDeliveryEntity.PENDING) ? Times.iso(d.nextAttemptAt) : null,
                        Times.iso(d.deliveredAt))),
                d -> List.of(d.id.toString()));
    }

    private WebhookEntity webhook(AppEntity app) {
        WebhookEntity w = session.find(WebhookEntity.class, app.id);
        if (w == null) {
            throw ApiException.notFound("webhook_not_found", "The app '" + app.appId + "' has no webhook");
        }
        return w;
    }

    private static String generated() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "whsec_" + HexFormat.of().formatHex(b);
    }
}
