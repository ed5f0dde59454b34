package dev.updraft.server.ops;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Stops the embedded PostgreSQL (if this server started one) at shutdown, after every other shutdown observer (the
 * last flush of device sightings among them) has written what it had: observers run in ascending priority.
 */
@ApplicationScoped
public class DatabaseLifecycle {
    static final int LAST = Integer.MAX_VALUE - 1000;

    void onStop(@Observes @Priority(LAST) ShutdownEvent ev) {
        EmbeddedDatabase.stopRunning();
    }
}
