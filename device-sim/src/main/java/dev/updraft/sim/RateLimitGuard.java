package dev.updraft.sim;

import io.vertx.core.json.JsonObject;

/**
 * The plugin's client-side block after an HTTP 429 (spec §1.5), shared by all endpoints of one device process.
 * <ul>
 *   <li>Block end, first found: {@code Retry-After} as numeric seconds (an HTTP-date is not parsed), body
 *       {@code moreInfo.retryAfterSeconds}, {@code retryAfterSeconds}, {@code moreInfo.rateLimitResetAt},
 *       {@code rateLimitResetAt} (epoch ms). No hint: no block.</li>
 *   <li>Capped at 24 h.</li>
 *   <li>While blocked, update checks and channel calls fail locally with the stored error and message; stats stay queued.</li>
 *   <li>The first 429 whose {@code error} is {@code too_many_requests} or absent asks for one {@code rate_limit_reached}
 *       stat per process.</li>
 * </ul>
 * The block lives in memory: a new process (a new {@link SimulatedDevice}, or {@code kill()} then {@code launch()})
 * starts unblocked. The spec does not say whether the plugin persists it.
 */
final class RateLimitGuard {
    static final long MAX_WINDOW_MS = 24L * 60 * 60 * 1000;

    private long blockedUntil;
    private String error = "too_many_requests";
    private String message = "Too many requests";
    private boolean statSent;

    /** Forgets everything: a new process. */
    void newProcess() {
        blockedUntil = 0;
        statSent = false;
    }

    boolean isBlocked(long now) {
        return now < blockedUntil;
    }

    long blockedUntil() {
        return blockedUntil;
    }

    String error() {
        return error;
    }

    String message() {
        return message;
    }

    /**
     * Handles an answer; does nothing unless it is a 429.
     *
     * @return true when the caller must send the one {@code rate_limit_reached} stat now
     */
    boolean onResponse(ApiResponse r, long now) {
        if (r.status() != 429) {
            return false;
        }
        JsonObject body = r.jsonObject();
        Long until = deadline(r.header("Retry-After"), body, now);
        if (until != null) {
            blockedUntil = Math.min(until, now + MAX_WINDOW_MS);
            if (body != null && body.getValue("error") instanceof String e && !e.isEmpty()) {
                error = e;
            }
            if (body != null && body.getValue("message") instanceof String m && !m.isEmpty()) {
                message = m;
            }
        }
        Object err = body == null ? null : body.getValue("error");
        boolean tooMany = err == null || "too_many_requests".equals(err);
        if (tooMany && !statSent) {
            statSent = true;
            return true;
        }
        return false;
    }

    private static Long deadline(String retryAfter, JsonObject body, long now) {
        if (retryAfter != null) {
            try {
                return now + Math.max(0, (long) (Double.parseDouble(retryAfter.strip()) * 1000));
            } catch (NumberFormatException e) {
                // an HTTP-date: the plugin does not parse it; fall through to the body hints
            }
        }
        if (body == null) {
            return null;
        }
        JsonObject more = body.getValue("moreInfo") instanceof JsonObject m ? m : new JsonObject();
        Number seconds = number(more.getValue("retryAfterSeconds"));
        if (seconds == null) {
            seconds = number(body.getValue("retryAfterSeconds"));
        }
        if (seconds != null) {
            return now + Math.max(0, (long) (seconds.doubleValue() * 1000));
        }
        Number resetAt = number(more.getValue("rateLimitResetAt"));
        if (resetAt == null) {
            resetAt = number(body.getValue("rateLimitResetAt"));
        }
        return resetAt == null ? null : Math.max(now, resetAt.longValue());
    }

    private static Number number(Object v) {
        if (v instanceof Number n) {
            return n;
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
