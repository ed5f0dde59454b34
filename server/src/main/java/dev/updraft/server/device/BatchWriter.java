package dev.updraft.server.device;

import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

/**
 * How the off-request-thread recorders write a coalesced batch: in its own transaction; after a failure the batch goes
 * back once for the next flush, and after a second failure in a row it is dropped rather than blocking every later
 * batch behind it. Not thread-safe: each recorder calls it from its synchronized flush.
 */
final class BatchWriter {
    private final Logger log;
    private final String what;
    private boolean lastFailed;

    /** @param what the rows, for the log: "device sighting(s)" */
    BatchWriter(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /** Writes {@code size} rows with {@code write}; on a first failure calls {@code requeue}. True when written. */
    boolean write(int size, Runnable write, Runnable requeue) {
        try {
            QuarkusTransaction.requiringNew().run(write);
            lastFailed = false;
            return true;
        } catch (RuntimeException e) {
            if (lastFailed) {
                log.warnf("dropped %d %s after a second failed write: %s", size, what, e.toString());
                lastFailed = false;
                return false;
            }
            log.warnf("could not record %d %s, will retry once: %s", size, what, e.toString());
            lastFailed = true;
            requeue.run();
            return false;
        }
    }
}
