package dev.updraft.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import org.eclipse.microprofile.config.spi.Converter;

import io.quarkus.runtime.configuration.DurationConverter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The operator settings of the server's operations surface, typed, with their defaults in application.properties
 * (docs/operations.md, "Configuration reference"). A value that does not convert (a port that is not a number, an
 * unknown database kind) stops the start with one line naming the setting, before anything is opened.
 *
 * <p>Other settings under {@code updraft.} are still read where they are used ({@code @ConfigProperty}); schedules
 * ({@code updraft.retention.interval}) are also read by their {@code @Scheduled} expression.
 */
@ConfigMapping(prefix = "updraft")
public interface UpdraftConfig {
    /**
     * {@code updraft.data-dir}: the embedded PostgreSQL ({@code pg/}), its password, the server lock and the generated
     * admin key; owner-only (0700, files 0600).
     */
    Path dataDir();

    /** {@code updraft.access-log}: one access log line per request on the public port. */
    boolean accessLog();

    Management management();

    Db db();

    Retention retention();

    Paging paging();

    Rollouts rollouts();

    Webhooks webhooks();

    /** Webhook deliveries (docs/operations.md, "Webhooks"). */
    interface Webhooks {
        /**
         * {@code updraft.webhooks.interval}: how often this instance sends the deliveries that are due, as a duration
         * ({@code 1s}) or {@code off} (read by the sender's {@code @Scheduled} expression).
         */
        String interval();

        /** {@code updraft.webhooks.timeout}: to connect, and then for the whole answer, per attempt. */
        Duration timeout();

        /** {@code updraft.webhooks.max-attempts}: attempts before a delivery is given up as failed (1 to 20). */
        @WithConverter(AttemptCountConverter.class)
        int maxAttempts();

        /** {@code updraft.webhooks.retry-base}: the wait after the first failed attempt, doubled after each further one. */
        Duration retryBase();

        /** {@code updraft.webhooks.retry-cap}: the longest wait between two attempts. */
        Duration retryCap();

        /** {@code updraft.webhooks.batch-size}: deliveries claimed per run (1 to 10000). */
        @WithConverter(RowCountConverter.class)
        int batchSize();
    }

    /** Rollouts (docs/operations.md, "Automatic pause"). */
    interface Rollouts {
        AutoPause autoPause();

        /**
         * The automatic pause: every {@code interval} each instance evaluates the running rollouts; one whose failure
         * rate is surely above {@code max-failure-rate} (the Wilson lower bound at {@code confidence}, once
         * {@code min-attempts} devices have an outcome and {@code min-failures} of them failed) gets {@code action}.
         */
        interface AutoPause {
            /** {@code updraft.rollouts.auto-pause.interval}: a duration ({@code 10s}) or {@code off}. */
            String interval();

            int minAttempts();

            int minFailures();

            double maxFailureRate();

            double confidence();

            /** {@code pause}, {@code rollback} or {@code notify}. */
            dev.updraft.server.release.AutoPausePolicy.Action action();

            /** The settings as a policy; a bad combination stops the start with the policy's reason. */
            default dev.updraft.server.release.AutoPausePolicy policy() {
                return new dev.updraft.server.release.AutoPausePolicy(minAttempts(), minFailures(), maxFailureRate(), confidence(), action());
            }
        }
    }

    /** The management interface: health, metrics, OpenAPI. */
    interface Management {
        /** {@code updraft.management.port} (quarkus.management.port follows it). */
        int port();

        /** {@code updraft.management.host}: 127.0.0.1 unless the operator opens it wider. */
        String host();
    }

    interface Db {
        /**
         * {@code updraft.db.kind}: only postgresql (also postgres, pg) since H2 is no longer a server database; kept
         * so that a first-wave setting {@code h2} is refused with what to do instead of being ignored.
         */
        @WithConverter(DbKindConverter.class)
        Optional<String> kind();
    }

    /**
     * How long the data that devices send without credentials is kept (docs/operations.md, "Retention"). The
     * retention job deletes what is older in small batches, each in its own short transaction.
     */
    interface Retention {
        /** {@code updraft.retention.stats-events}: stats events received longer ago are deleted; {@code 0} keeps them forever. */
        @WithConverter(RetentionPeriodConverter.class)
        Duration statsEvents();

        /** {@code updraft.retention.devices}: devices not seen for longer are deleted (not their overrides); {@code 0} keeps them. */
        @WithConverter(RetentionPeriodConverter.class)
        Duration devices();

        /**
         * {@code updraft.retention.interval}: how often this instance runs the job, as a duration ({@code 1h}), or
         * {@code off} (this instance never runs it; read by the job's {@code @Scheduled} expression).
         */
        String interval();

        /** {@code updraft.retention.batch-size}: rows deleted per transaction (1 to 10000). */
        @WithConverter(RowCountConverter.class)
        int batchSize();
    }

    /** The lists of the admin API: {@code limit} and {@code cursor} (docs/admin-api.md, "Lists and paging"). */
    interface Paging {
        /** {@code updraft.paging.default-limit}: entries per page without {@code limit} (at most {@code max-limit}). */
        @WithConverter(RowCountConverter.class)
        int defaultLimit();

        /** {@code updraft.paging.max-limit}: the largest {@code limit} accepted (1 to 10000). */
        @WithConverter(RowCountConverter.class)
        int maxLimit();
    }

    /** A period of time, or {@code 0} (keep forever); never negative. */
    final class RetentionPeriodConverter implements Converter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d;
            try {
                d = DurationConverter.parseDuration(value);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("must be a period such as 90d, 12h or P30D, or 0 to keep forever");
            }
            if (d != null && d.isNegative()) {
                throw new IllegalArgumentException("a retention period cannot be negative: use 0 to keep forever");
            }
            return d;
        }
    }

    /** A count of rows: a whole number from 1 to 10000. */
    final class RowCountConverter implements Converter<Integer> {
        static final int MAX = 10_000;

        @Override
        public Integer convert(String value) {
            try {
                int n = Integer.parseInt(value.strip());
                if (n >= 1 && n <= MAX) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new IllegalArgumentException("must be a whole number from 1 to " + MAX);
        }
    }

    /** How many times a webhook delivery is tried: 1 to 20. */
    final class AttemptCountConverter implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int n = Integer.parseInt(value.strip());
                if (n >= 1 && n <= 20) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new IllegalArgumentException("must be a whole number from 1 to 20");
        }
    }

    /** Accepts only PostgreSQL; H2 gets the way to bring its data over. */
    final class DbKindConverter implements Converter<String> {
        @Override
        public String convert(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            String kind = value.strip().toLowerCase(java.util.Locale.ROOT);
            if (kind.equals("postgresql") || kind.equals("postgres") || kind.equals("pg")) {
                return "postgresql";
            }
            if (kind.equals("h2")) {
                throw new IllegalArgumentException("H2 is no longer supported: leave updraft.db.kind unset (embedded PostgreSQL)"
                        + " and copy the old database over with --import-h2 (docs/operations.md, \"Importing an H2 database\")");
            }
            throw new IllegalArgumentException("unknown database kind \"" + value.strip() + "\": the server runs on PostgreSQL only");
        }
    }
}
