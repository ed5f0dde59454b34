package dev.updraft.server.release;

/**
 * When a channel's rollout is stopped by itself (docs/operations.md, "Automatic pause"): once at least
 * {@code minAttempts} devices have an outcome (failed or confirmed) and at least {@code minFailures} of them failed,
 * the rollout is acted on when the Wilson lower bound of the failure rate, at {@code confidence}, is above
 * {@code maxFailureRate}.
 *
 * @param minAttempts    devices with an outcome before anything is decided
 * @param minFailures    failed devices before anything is decided
 * @param maxFailureRate the failure rate (0 to 1) a rollout may have
 * @param confidence     how sure the bound must be, 0.5 to 0.9999 (0.95: one bad decision in twenty at the edge)
 * @param action         what happens when the bound is crossed
 */
public record AutoPausePolicy(
        int minAttempts, int minFailures, double maxFailureRate, double confidence, Action action) {

    /** What the server does to a rollout that crossed the bound. */
    public enum Action {
        /** No new devices; devices that run the bundle keep it. */
        PAUSE,
        /** Back to the stable bundle for everyone. */
        ROLLBACK,
        /** Only a warning (log and webhook). */
        NOTIFY;

        /** The name in the API, the CLI and the settings: {@code pause}, {@code rollback}, {@code notify}. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The action of a wire name, or {@code null} for anything else. */
        public static Action of(String wire) {
            for (Action a : values()) {
                if (a.wire().equals(wire)) {
                    return a;
                }
            }
            return null;
        }
    }

    /**
     * What one channel sets of the policy; a {@code null} takes the server's setting (docs/operations.md, "Automatic
     * pause per channel").
     */
    public record Overrides(
            Integer minAttempts, Integer minFailures, Double maxFailureRate, Double confidence, Action action) {
        public static final Overrides NONE = new Overrides(null, null, null, null, null);
    }

    /**
     * This policy with a channel's own values in place of its defaults (pure; {@code AutoPauseTest} checks it row by
     * row). A combination the constructor refuses is refused with its reason.
     */
    public AutoPausePolicy with(Overrides o) {
        return new AutoPausePolicy(
                o.minAttempts() != null ? o.minAttempts() : minAttempts,
                o.minFailures() != null ? o.minFailures() : minFailures,
                o.maxFailureRate() != null ? o.maxFailureRate() : maxFailureRate,
                o.confidence() != null ? o.confidence() : confidence,
                o.action() != null ? o.action() : action);
    }

    /** 20 devices, 3 failures, 10 %, 95 %, pause. */
    public static final AutoPausePolicy DEFAULT = new AutoPausePolicy(20, 3, 0.10, 0.95, Action.PAUSE);

    public AutoPausePolicy {
        if (minAttempts < 1) {
            throw new IllegalArgumentException("min attempts must be at least 1, not " + minAttempts);
        }
        if (minFailures < 1) {
            throw new IllegalArgumentException("min failures must be at least 1, not " + minFailures);
        }
        if (!(maxFailureRate >= 0 && maxFailureRate < 1)) {
            throw new IllegalArgumentException(
                    "the failure-rate threshold must be at least 0 and below 1, not " + maxFailureRate);
        }
        if (!(confidence >= 0.5 && confidence <= 0.9999)) {
            throw new IllegalArgumentException("the confidence must be between 0.5 and 0.9999, not " + confidence);
        }
        if (action == null) {
            throw new IllegalArgumentException("an auto-pause policy needs an action");
        }
    }
}
