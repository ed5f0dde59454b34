package dev.updraft.server.ops;

import dev.updraft.server.config.UpdraftConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Keeps the data folder owner-only: at start, before the admin key is written (its observer runs at priority 5), also
 * with an external PostgreSQL where the embedded one did not secure it; then every minute, for files created later
 * (the embedded PostgreSQL's log, its new WAL segments get 0600 from PostgreSQL itself).
 */
@ApplicationScoped
public class DataFolderGuard {
    private static final Logger LOG = Logger.getLogger(DataFolderGuard.class);

    @Inject
    UpdraftConfig config;

    void onStart(@Observes @Priority(1) StartupEvent ev) {
        DataFolder.secure(config.dataDir());
    }

    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void recheck() {
        try {
            DataFolder.secure(config.dataDir());
        } catch (StartupProblem e) {
            LOG.warn(e.getMessage());
        }
    }
}
