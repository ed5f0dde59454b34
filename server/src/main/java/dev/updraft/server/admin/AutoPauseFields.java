package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.server.config.UpdraftConfig;
import dev.updraft.server.persistence.ChannelEntity;
import dev.updraft.server.release.AutoPausePolicy;
import io.quarkus.arc.Arc;

/**
 * A channel's automatic-pause fields (docs/admin-api.md, "Automatic pause per channel"): each one is the channel's own
 * value, or JSON {@code null} to take the server's setting again.
 */
final class AutoPauseFields {
    static final String MIN_ATTEMPTS = "auto_pause_min_attempts";
    static final String MIN_FAILURES = "auto_pause_min_failures";
    static final String MAX_FAILURE_RATE = "auto_pause_max_failure_rate";
    static final String CONFIDENCE = "auto_pause_confidence";
    static final String ACTION = "auto_pause_action";

    private AutoPauseFields() {}

    /** The server's settings (updraft.rollouts.auto-pause.*), the defaults of every channel. */
    static AutoPausePolicy defaults() {
        return Arc.container()
                .select(UpdraftConfig.class)
                .get()
                .rollouts()
                .autoPause()
                .policy();
    }

    /** The policy in force on the channel. */
    static AutoPausePolicy effective(ChannelEntity c) {
        return defaults().with(c.autoPauseOverrides());
    }

    /** Applies the body's present fields to {@code c}; a value the policy refuses is a problem of its field. */
    static void apply(Body b, ChannelEntity c) {
        c.autoPauseMinAttempts = nullableInt(b, MIN_ATTEMPTS, c.autoPauseMinAttempts);
        c.autoPauseMinFailures = nullableInt(b, MIN_FAILURES, c.autoPauseMinFailures);
        c.autoPauseMaxFailureRate =
                nullableRate(b, MAX_FAILURE_RATE, c.autoPauseMaxFailureRate, 0, 1, "a number from 0 to below 1");
        c.autoPauseConfidence =
                nullableRate(b, CONFIDENCE, c.autoPauseConfidence, 0.5, 0.9999, "a number from 0.5 to 0.9999");
        if (b.has(ACTION)) {
            JsonNode v = b.raw(ACTION);
            if (v.isNull()) {
                c.autoPauseAction = null;
            } else if (!v.isTextual() || AutoPausePolicy.Action.of(v.textValue()) == null) {
                b.problem(ACTION, "must be pause, rollback, notify or null (the server's setting)");
            } else {
                c.autoPauseAction = v.textValue();
            }
        }
    }

    private static Integer nullableInt(Body b, String field, Integer current) {
        if (!b.has(field)) {
            return current;
        }
        if (b.raw(field).isNull()) {
            return null;
        }
        int v = b.integer(field, 1, 1_000_000, -1);
        return v < 0 ? current : Integer.valueOf(v); // boxed: current may be null
    }

    /** A number in [min, max] ({@code max} itself excluded when it is 1: a threshold of 100 % could never be crossed). */
    private static Double nullableRate(Body b, String field, Double current, double min, double max, String rule) {
        if (!b.has(field)) {
            return current;
        }
        JsonNode v = b.raw(field);
        if (v.isNull()) {
            return null;
        }
        double d = v.isNumber() ? v.doubleValue() : Double.NaN;
        if (!(d >= min && (max == 1 ? d < max : d <= max))) {
            b.problem(field, "must be " + rule + ", or null (the server's setting)");
            return current;
        }
        return d;
    }
}
