package dev.updraft.server.webhook;

import dev.updraft.server.config.UpdraftConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Sends the webhook deliveries that are due (docs/operations.md, "Webhooks"). Each run claims up to
 * {@code batch-size} due rows with {@code FOR UPDATE SKIP LOCKED} and moves them out of reach for a lease (two
 * timeouts) in one short transaction, so with several instances each row is sent by one of them; a crash between the
 * claim and the result leaves the row due again when the lease ends (at least once: receivers deduplicate on the
 * event id). Any 2xx is delivered; anything else is tried again with exponential backoff until
 * {@code max-attempts}.
 */
@ApplicationScoped
public class WebhookSender {
    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    static final String USER_AGENT = "Updraft-Webhook/1";

    /** One claimed delivery, with where it goes. */
    record Claimed(
            long id,
            long appPk,
            String eventId,
            String eventType,
            String body,
            int attempts,
            String url,
            String secret) {
        @Override
        public String toString() {
            return "delivery " + id + " (" + eventType + ") to " + url; // never the secret
        }
    }

    /** How one attempt ended: an HTTP status, or an error without one. */
    record Attempt(Integer status, String error) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    /** What one run did with one delivery. */
    public record Outcome(
            long deliveryId, long appPk, String eventType, int attempts, String state, Integer status, String error) {}

    @Inject
    Session session;

    @Inject
    UpdraftConfig config;

    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "webhook-sender");
        t.setDaemon(true);
        return t;
    });
    private volatile HttpClient http;

    @Scheduled(
            every = "${updraft.webhooks.interval}",
            delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            send(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("webhooks: sending failed, will run again: %s", e.toString());
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** Claims the deliveries due at {@code now}, sends them, records each outcome; returns the outcomes. */
    public List<Outcome> send(Instant now) {
        UpdraftConfig.Webhooks settings = config.webhooks();
        List<Claimed> claimed = claim(now, settings);
        if (claimed.isEmpty()) {
            return List.of();
        }
        List<CompletableFuture<Attempt>> attempts = new ArrayList<>();
        for (Claimed c : claimed) {
            attempts.add(attempt(c, settings.timeout()));
        }
        Backoff backoff = new Backoff(settings.retryBase(), settings.retryCap());
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < claimed.size(); i++) {
            Claimed c = claimed.get(i);
            Attempt a = attempts.get(i).join();
            outcomes.add(record(c, a, now, settings.maxAttempts(), backoff));
        }
        return outcomes;
    }

    private List<Claimed> claim(Instant now, UpdraftConfig.Webhooks settings) {
        Instant leaseEnd = now.plus(settings.timeout().multipliedBy(2)).plusSeconds(5);
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = session.createNativeQuery(
                            "select d.id, d.app_pk, d.event_id, d.event_type, d.body, d.attempts,"
                                    + " w.url, w.secret from webhook_deliveries d left join webhooks w on w.app_pk = d.app_pk"
                                    + " where d.state = 'pending' and d.next_attempt_at <= :now order by d.next_attempt_at, d.id limit :n"
                                    + " for update of d skip locked",
                            Object[].class)
                    .setParameter("now", now)
                    .setParameter("n", settings.batchSize())
                    .getResultList();
            List<Claimed> out = new ArrayList<>();
            for (Object[] r : rows) {
                long id = ((Number) r[0]).longValue();
                int attempts = ((Number) r[5]).intValue() + 1;
                session.createNativeMutationQuery(
                                "update webhook_deliveries set attempts = :a, last_attempt_at = :now, next_attempt_at = :lease"
                                        + " where id = :id")
                        .setParameter("a", attempts)
                        .setParameter("now", now)
                        .setParameter("lease", leaseEnd)
                        .setParameter("id", id)
                        .executeUpdate();
                out.add(new Claimed(
                        id,
                        ((Number) r[1]).longValue(),
                        (String) r[2],
                        (String) r[3],
                        (String) r[4],
                        attempts,
                        (String) r[6],
                        (String) r[7]));
            }
            return out;
        });
    }

    private CompletableFuture<Attempt> attempt(Claimed c, Duration timeout) {
        if (c.url() == null) {
            return CompletableFuture.completedFuture(new Attempt(null, "the app has no webhook any more"));
        }
        byte[] body = c.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(c.url()))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", USER_AGENT)
                    .header("X-Updraft-Event", c.eventType())
                    .header("X-Updraft-Delivery", c.eventId())
                    .header(WebhookSignature.HEADER, WebhookSignature.header(c.secret(), Instant.now(), body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(
                    new Attempt(null, "the webhook URL cannot be used: " + e.getMessage()));
        }
        return client(timeout)
                .sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((r, e) -> e == null
                        ? new Attempt(r.statusCode(), r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode())
                        : new Attempt(null, describe(e, timeout)));
    }

    private HttpClient client(Duration timeout) {
        HttpClient c = http;
        if (c == null) {
            // Redirects are not followed: a receiver cannot send the signed body on to another host.
            c = HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(executor)
                    .build();
            http = c;
        }
        return c;
    }

    static String describe(Throwable e, Duration timeout) {
        Throwable cause =
                e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof HttpConnectTimeoutException) {
            return "could not connect within " + timeout.toSeconds() + " s";
        }
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toSeconds() + " s";
        }
        if (cause instanceof java.net.ConnectException) {
            return "connection refused";
        }
        String m = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String text = (cause instanceof IOException ? "" : cause.getClass().getSimpleName() + ": ") + m;
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    private Outcome record(Claimed c, Attempt a, Instant now, int maxAttempts, Backoff backoff) {
        String state = a.delivered()
                ? WebhookDeliveryEntity.DELIVERED
                : c.attempts() >= maxAttempts || c.url() == null
                        ? WebhookDeliveryEntity.FAILED
                        : WebhookDeliveryEntity.PENDING;
        QuarkusTransaction.requiringNew().run(() -> {
            WebhookDeliveryEntity d = session.find(WebhookDeliveryEntity.class, c.id());
            if (d == null) {
                return; // the app was deleted meanwhile
            }
            d.state = state;
            d.lastStatus = a.status();
            d.lastError = a.error();
            if (a.delivered()) {
                d.deliveredAt = now;
            } else if (state.equals(WebhookDeliveryEntity.PENDING)) {
                d.nextAttemptAt = now.plus(backoff.after(c.attempts()));
            }
        });
        if (!a.delivered()) {
            LOG.infof(
                    "webhook %s of app %d, attempt %d: %s%s",
                    c.eventType(),
                    c.appPk(),
                    c.attempts(),
                    a.error(),
                    state.equals(WebhookDeliveryEntity.FAILED) ? "; given up" : "; will try again");
        }
        return new Outcome(c.id(), c.appPk(), c.eventType(), c.attempts(), state, a.status(), a.error());
    }
}
