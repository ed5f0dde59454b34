package dev.updraft.server.ops;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Stops the embedded PostgreSQL (if this server started one) at shutdown, after every other shutdown observer (the
 * last flush of device sightings among them) has written what it had: observers run in ascending priority. The
 * scheduled jobs (snapshot polls, key refreshes) are paused first, so none of them meets a stopped database and logs
 * a warning on every clean stop.
 */
@ApplicationScoped
public class DatabaseLifecycle {
    static final int LAST = Integer.MAX_VALUE - 1000;

    @Inject
    Scheduler scheduler;

    void onStop(@Observes @Priority(LAST) ShutdownEvent ev) {
        if (scheduler.isRunning()) {
            scheduler.pause();
        }
        EmbeddedDatabase.stopRunning();
    }
}
