package dev.updraft.server.snapshot;

import dev.updraft.server.config.UpdraftConfig;
import dev.updraft.server.ops.EmbeddedDriver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Push-based snapshot invalidation between instances on one PostgreSQL (docs/operations.md, "Several instances behind
 * a load balancer"): one connection of its own per instance, outside the pool, {@code LISTEN}s on
 * {@link SnapshotNotice#CHANNEL}; a notice from another instance reloads that app's snapshot (or only its device
 * choices) at once. The revision poll ({@link SnapshotStore}) stays as the fallback for whatever a notice cannot
 * carry: a lost connection is opened again with a growing delay, and every (re)connection is followed by one poll, so
 * the changes committed while nobody listened are caught up without waiting for the poll's interval.
 */
@ApplicationScoped
public class SnapshotListener {
    private static final Logger LOG = Logger.getLogger(SnapshotListener.class);

    /** This JVM's name in its own notices, which it then skips (it refreshed already, after its commit). */
    static final String INSTANCE = UUID.randomUUID().toString();

    /** How long one wait for notifications lasts; also how soon a stop is noticed. */
    private static final int WAIT_MS = 500;
    /** A connection without notifications for this long is checked, so that a silently dropped one is noticed. */
    private static final Duration IDLE_CHECK = Duration.ofSeconds(10);

    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    @Inject
    SnapshotStore store;

    @Inject
    UpdraftConfig config;

    @Inject
    Config settings;

    @Inject
    MeterRegistry registry;

    private volatile boolean running;
    private volatile boolean listening;
    private volatile Connection connection;
    private Thread thread;
    private Counter received;

    void onStart(@Observes @Priority(20) StartupEvent ev) {
        if (!config.snapshot().listen()) {
            LOG.info("snapshot notifications are off (updraft.snapshot.listen=false): other instances' changes arrive"
                    + " with the revision poll");
            return;
        }
        received = Counter.builder("updraft.snapshot.notifications")
                .description("Snapshot notices received from other instances")
                .register(registry);
        Gauge.builder("updraft.snapshot.listening", this, l -> l.listening ? 1 : 0)
                .description("1 while this instance listens for other instances' changes, 0 while it reconnects")
                .register(registry);
        running = true;
        thread = new Thread(this::run, "snapshot-listener");
        thread.setDaemon(true);
        thread.start();
    }

    /** Before the embedded database stops (ops.DatabaseLifecycle runs last), so that no reconnection is tried. */
    void onStop(@Observes ShutdownEvent ev) throws InterruptedException {
        running = false;
        Thread t = thread;
        if (t != null) {
            closeQuietly(connection);
            t.join(WAIT_MS * 4L);
        }
    }

    /** Whether the listening connection is open now (tests and the gauge). */
    public boolean listening() {
        return listening;
    }

    private void run() {
        Duration retry = FIRST_RETRY;
        boolean lost = false;
        while (running) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + SnapshotNotice.CHANNEL);
                }
                listening = true;
                retry = FIRST_RETRY;
                if (lost) {
                    LOG.info("snapshot notifications: listening again");
                    lost = false;
                }
                store.poll(); // what was committed while nobody listened here
                receive(c);
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (!running) {
                    break;
                }
                if (!lost) {
                    LOG.warnf(
                            "snapshot notifications: the listening connection failed (%s); reconnecting, the revision"
                                    + " poll covers meanwhile",
                            String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                    lost = true;
                }
                if (!sleep(retry)) {
                    break;
                }
                retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
            } finally {
                listening = false;
                connection = null;
            }
        }
    }

    private void receive(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (running) {
            PGNotification[] batch = pg.getNotifications(WAIT_MS);
            if (batch != null && batch.length > 0) {
                apply(batch);
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > IDLE_CHECK.toNanos()) {
                if (!c.isValid(5)) {
                    throw new SQLException("the connection no longer answers");
                }
                quietSince = System.nanoTime();
            }
        }
    }

    /** Each app once per batch, whatever number of notices name it. */
    private void apply(PGNotification[] batch) {
        Set<SnapshotNotice> todo = new LinkedHashSet<>();
        for (PGNotification n : batch) {
            if (!SnapshotNotice.CHANNEL.equals(n.getName())) {
                continue;
            }
            Optional<SnapshotNotice> notice = SnapshotNotice.parse(n.getParameter());
            if (notice.isEmpty()) {
                LOG.debug("snapshot notifications: ignored a notice this server did not write");
            } else if (!notice.get().sender().equals(INSTANCE)) {
                todo.add(
                        new SnapshotNotice("", notice.get().kind(), notice.get().appId()));
            }
        }
        for (SnapshotNotice notice : todo) {
            received.increment();
            try {
                switch (notice.kind()) {
                    case APP -> store.reload(notice.appId());
                    case DEVICE_CHOICE -> store.reloadDeviceChoices(notice.appId());
                }
            } catch (RuntimeException e) {
                // the revision poll reloads it on its next run
                LOG.warnf(
                        "snapshot notifications: could not reload %s (%s); the revision poll will",
                        notice.appId(), e.getMessage());
            }
        }
    }

    private Connection connect() throws SQLException {
        String url = settings.getValue("quarkus.datasource.jdbc.url", String.class);
        Properties props = new Properties();
        settings.getOptionalValue("quarkus.datasource.username", String.class)
                .ifPresent(u -> props.setProperty("user", u));
        settings.getOptionalValue("quarkus.datasource.password", String.class)
                .ifPresent(p -> props.setProperty("password", p));
        props.setProperty("ApplicationName", "updraft-snapshot-listener");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("connectTimeout", "10");
        // the datasource's driver: the embedded database's URL gets its password there
        Connection c = new EmbeddedDriver().connect(url, props);
        if (c == null) {
            throw new SQLException("not a PostgreSQL URL: the datasource's");
        }
        c.setAutoCommit(true);
        return c;
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException ignored) {
                // the thread's loop ends with it
            }
        }
    }
}
