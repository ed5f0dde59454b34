package dev.updraft.server.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Every operator setting of the server ({@code updraft.*}), typed, each with its default in one place:
 * application.properties (docs/operations.md, "Configuration reference", lists them). A value that does not convert (a
 * port that is not a number, an unknown database kind) stops the start with one line naming the setting, before
 * anything is opened; so does an {@code updraft.*} property this mapping does not know (a typo is not ignored).
 *
 * <p>Schedules ({@code updraft.retention.interval}, ...) are also read by their job's {@code @Scheduled} expression;
 * the database settings also by {@code ops.DatabaseSettings}, which turns them into the datasource's before this
 * mapping exists.
 */
@ConfigMapping(prefix = "updraft")
public interface UpdraftConfig {
    /**
     * {@code updraft.data-dir}: the embedded PostgreSQL ({@code pg/}), its password, the server lock and the generated
     * admin key; owner-only (0700, files 0600).
     */
    Path dataDir();

    /** {@code updraft.admin-api-key}: the admin key named {@code configured}; without it one is generated on first start. */
    Optional<String> adminApiKey();

    /** {@code updraft.access-log}: one access log line per request on the public port. */
    boolean accessLog();

    Management management();

    Db db();

    Retention retention();

    Paging paging();

    Rollouts rollouts();

    AdminKeys adminKeys();

    Snapshot snapshot();

    Devices devices();

    Stats stats();

    RateLimit rateLimit();

    Storage storage();

    /**
     * Where bundles live: those uploaded through the server (docs/operations.md, "Bundle storage") and the S3 bucket
     * the server may presign for (docs/operations.md, "S3 storage").
     */
    interface Storage {
        /** Where bundles uploaded through the server are kept. */
        enum Kind {
            /** Files under {@code updraft.storage.dir}, served by the server itself ({@code GET /files/...}). */
            DISK,
            /** Objects of the {@code updraft.storage.s3.*} bucket, which devices download from directly. */
            S3
        }

        /** {@code updraft.storage.kind}: {@code disk} (the default) or {@code s3} (needs the bucket below). */
        Kind kind();

        /**
         * {@code updraft.storage.dir}: where the files-on-disk storage keeps them, and where an upload to the bucket
         * is spooled until its SHA-256 (its name) is known; default {@code <data-dir>/bundles}.
         */
        Optional<Path> dir();

        /**
         * {@code updraft.storage.public-url}: the base URL devices download stored bundles from (the server's public
         * address); default: the base URL the upload request came in on.
         */
        Optional<String> publicUrl();

        S3 s3();

        /**
         * The S3-compatible bucket whose objects the server may hand devices as presigned GET URLs (apps with
         * {@code download_url_mode} {@code presigned}), and where uploads through the server go with
         * {@code updraft.storage.kind=s3}. Signing happens on the server, with no request to the store.
         */
        interface S3 {
            /** {@code updraft.storage.s3.bucket}: without it, no app can use presigned URLs. */
            Optional<String> bucket();

            /** {@code updraft.storage.s3.endpoint}: an S3-compatible endpoint URL (MinIO, Ceph, R2); default AWS S3. */
            Optional<java.net.URI> endpoint();

            /** {@code updraft.storage.s3.region}: default the AWS region chain, or us-east-1 with an endpoint. */
            Optional<String> region();

            /** {@code updraft.storage.s3.path-style}: default path-style with an endpoint, virtual-host-style on AWS. */
            Optional<Boolean> pathStyle();

            /** {@code updraft.storage.s3.access-key-id}: with the secret; without both, the AWS credentials chain. */
            Optional<String> accessKeyId();

            /** {@code updraft.storage.s3.secret-access-key}: never logged. */
            Optional<String> secretAccessKey();
        }
    }

    /** Admin API keys (docs/security-model.md, "Admin credentials"). */
    interface AdminKeys {
        /** {@code updraft.admin-keys.refresh-interval}: how often each instance reloads the keys (read by its schedule). */
        Duration refreshInterval();

        Throttle throttle();

        /** Wrong keys allowed per client address within the window; past that, 429 with Retry-After. */
        interface Throttle {
            /** {@code updraft.admin-keys.throttle.max-failures} */
            int maxFailures();

            /** {@code updraft.admin-keys.throttle.window} */
            Duration window();
        }
    }

    /** The in-memory app snapshots the update check reads. */
    interface Snapshot {
        /** {@code updraft.snapshot.poll-interval}: how often each instance looks for apps changed elsewhere (read by its schedule). */
        Duration pollInterval();

        /**
         * {@code updraft.snapshot.listen}: whether this instance listens for the others' changes (PostgreSQL
         * {@code LISTEN/NOTIFY}), so that they arrive at once instead of at the next poll; off where the database's
         * connections do not keep a session (a pooler in transaction mode).
         */
        boolean listen();
    }

    /** What the device API records off the request thread. */
    interface Devices {
        /** {@code updraft.devices.flush-interval}: how often sightings and offers are written (read by the schedules). */
        Duration flushInterval();
    }

    interface Stats {
        Budget budget();

        /**
         * The budgets of {@code POST /stats} (docs/security-model.md, "Device API budgets"); each is a token bucket
         * that holds one minute's worth.
         */
        interface Budget {
            /**
             * {@code updraft.stats.budget.device-events-per-minute}: events one device may send per minute. The plugin
             * flushes at most once a second with at most 200 events, so no honest device sends more than 12,000.
             */
            long deviceEventsPerMinute();

            /** {@code updraft.stats.budget.app-events-per-minute}: events one app may receive per minute; size it to what the database absorbs. */
            long appEventsPerMinute();

            /** {@code updraft.stats.budget.address-bytes-per-minute}: body bytes per client address (a NAT hides many devices). */
            long addressBytesPerMinute();
        }
    }

    interface RateLimit {
        ChannelSelf channelSelf();

        /** The limits of {@code /channel_self} (docs/protocol.md §4.3). */
        interface ChannelSelf {
            /** {@code updraft.rate-limit.channel-self.max-ops}: operations of one kind per (app, device) within the window. */
            int maxOps();

            /** {@code updraft.rate-limit.channel-self.window} */
            Duration window();

            /** {@code updraft.rate-limit.channel-self.identical-set-window}: the same setChannel again within it is refused. */
            Duration identicalSetWindow();
        }
    }

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
                return new dev.updraft.server.release.AutoPausePolicy(
                        minAttempts(), minFailures(), maxFailureRate(), confidence(), action());
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

    /** The database (docs/operations.md, "Database"); read by ops.DatabaseSettings before the datasource starts. */
    interface Db {
        /**
         * {@code updraft.db.kind}: only postgresql (also postgres, pg) since H2 is no longer a server database; kept
         * so that a first-wave setting {@code h2} is refused with what to do instead of being ignored.
         */
        @WithConverter(DbKindConverter.class)
        Optional<String> kind();

        /** {@code updraft.db.url}: an external PostgreSQL; without it the server runs an embedded one on {@code <data-dir>/pg}. */
        Optional<String> url();

        /** {@code updraft.db.user}, for {@code url} */
        Optional<String> user();

        /** {@code updraft.db.password}, for {@code url}; never logged. */
        Optional<String> password();

        Embedded embedded();

        interface Embedded {
            /** {@code updraft.db.embedded.binaries-dir}: where the embedded PostgreSQL's binaries are unpacked once. */
            Optional<Path> binariesDir();
        }
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
                throw new IllegalArgumentException(
                        "H2 is no longer supported: leave updraft.db.kind unset (embedded PostgreSQL)"
                                + " and copy the old database over with --import-h2 (docs/operations.md, \"Importing an H2 database\")");
            }
            throw new IllegalArgumentException(
                    "unknown database kind \"" + value.strip() + "\": the server runs on PostgreSQL only");
        }
    }
}
