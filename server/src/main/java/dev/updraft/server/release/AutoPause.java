package dev.updraft.server.release;

/**
 * The automatic-pause decision: a pure function from a policy and a rollout's device counts to a verdict, one
 * numbered rule per line (docs/operations.md, "Automatic pause"). {@code AutoPauseTest} checks it row by row.
 *
 * <p>The rate is failed ÷ (failed + confirmed) devices, where a device has failed when it rolled back or failed at
 * any stage, and is confirmed when it called {@code notifyAppReady()} on the release. A device that only reached
 * {@code set} has no outcome yet: a bundle that never calls {@code notifyAppReady()} sends {@code set} and then
 * {@code update_fail}, so counting {@code set} as a success would cap its failure rate at 50 %.
 */
public final class AutoPause {
    private AutoPause() {}

    /** What to do about a rollout now. */
    public enum Verdict {
        /** Not enough devices with an outcome yet. */
        TOO_EARLY,
        /** The failure rate is below the threshold. */
        HEALTHY,
        /** The observed rate is above the threshold, but not surely: say so, do nothing. */
        WARN,
        /** The lower bound is above the threshold: apply the policy's action. */
        ACT
    }

    /** A rollout's devices by outcome. */
    public record Counts(long failed, long confirmed) {
        public Counts {
            if (failed < 0 || confirmed < 0) {
                throw new IllegalArgumentException("device counts cannot be negative");
            }
        }

        public long attempts() {
            return failed + confirmed;
        }
    }

    /** What the server does about a verdict under a policy. */
    public enum Response {
        NOTHING,
        PAUSE,
        ROLL_BACK,
        /** A failure-rate warning (log and webhook), once per rollout. */
        WARN
    }

    /**
     * What to do about {@code verdict} under {@code policy}, given whether this rollout was already warned about
     * (docs/operations.md, "Automatic pause"). {@code AutoPauseTest} checks it row by row.
     */
    public static Response respond(AutoPausePolicy policy, Verdict verdict, boolean alreadyWarned) {
        // 6: surely above the threshold, and the policy acts: pause or roll back.
        if (verdict == Verdict.ACT && policy.action() == AutoPausePolicy.Action.PAUSE) {
            return Response.PAUSE;
        }
        if (verdict == Verdict.ACT && policy.action() == AutoPausePolicy.Action.ROLLBACK) {
            return Response.ROLL_BACK;
        }
        // 7: surely above under a notify-only policy, or above as seen but not surely: warn, once per rollout.
        if ((verdict == Verdict.ACT || verdict == Verdict.WARN) && !alreadyWarned) {
            return Response.WARN;
        }
        // 8: too early, healthy, or already warned.
        return Response.NOTHING;
    }

    public static Verdict decide(AutoPausePolicy policy, Counts counts) {
        long n = counts.attempts();
        // 1: too few devices have an outcome to say anything.
        if (n < policy.minAttempts()) {
            return Verdict.TOO_EARLY;
        }
        // 2: too few failures to act on, whatever the rate.
        if (counts.failed() < policy.minFailures()) {
            return Verdict.HEALTHY;
        }
        // 3: the failure rate is surely above the threshold.
        if (wilsonLowerBound(counts.failed(), n, policy.confidence()) > policy.maxFailureRate()) {
            return Verdict.ACT;
        }
        // 4: above the threshold as observed, not yet surely.
        if ((double) counts.failed() / n > policy.maxFailureRate()) {
            return Verdict.WARN;
        }
        // 5: below the threshold.
        return Verdict.HEALTHY;
    }

    /**
     * The lower bound of the Wilson score interval for {@code successes} in {@code n} trials at a two-sided
     * {@code confidence}: the smallest true rate that is still consistent with what was seen.
     */
    public static double wilsonLowerBound(long successes, long n, double confidence) {
        if (n <= 0) {
            return 0;
        }
        double z = normalQuantile(1 - (1 - confidence) / 2);
        double p = (double) successes / n;
        double z2 = z * z;
        double centre = p + z2 / (2.0 * n);
        double margin = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return Math.max(0, (centre - margin) / (1 + z2 / n));
    }

    /**
     * The standard normal quantile (inverse CDF) for 0 &lt; p &lt; 1, by Acklam's rational approximation
     * (relative error below 1.2e-9), enough for a confidence setting.
     */
    static double normalQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("a probability strictly between 0 and 1, not " + p);
        }
        final double[] a = {
            -3.969683028665376e+01,
            2.209460984245205e+02,
            -2.759285104469687e+02,
            1.383577518672690e+02,
            -3.066479806614716e+01,
            2.506628277459239e+00
        };
        final double[] b = {
            -5.447609879822406e+01,
            1.615858368580409e+02,
            -1.556989798598866e+02,
            6.680131188771972e+01,
            -1.328068155288572e+01
        };
        final double[] c = {
            -7.784894002430293e-03,
            -3.223964580411365e-01,
            -2.400758277161838e+00,
            -2.549732539343734e+00,
            4.374664141464968e+00,
            2.938163982698783e+00
        };
        final double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            return -normalQuantile(1 - p);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
                * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
