package dev.updraft.server.persistence;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Supplier;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Writes that are safe under identical concurrent requests (docs/admin-api.md, "Concurrent requests"): the work runs
 * in a transaction of its own and is flushed inside it, so every database failure surfaces here rather than at
 * commit. A lost race ({@link ConcurrencyFailure}: a unique key inserted meanwhile, a row deleted meanwhile, a
 * deadlock, a lock timeout) is run once more in a fresh transaction, which sees what the winner committed and answers
 * accordingly (the row exists: 409 or an idempotent 200; it is gone: 404). Lost twice, it is a
 * {@link ConcurrentChangeException} (409). Any other failure passes through unchanged.
 */
@ApplicationScoped
public class Transactions {
    private static final Logger LOG = Logger.getLogger(Transactions.class);

    @Inject
    Session session;

    public <T> T write(Supplier<T> work) {
        try {
            return attempt(work);
        } catch (RuntimeException first) {
            ConcurrencyFailure lost = ConcurrencyFailure.of(first).orElseThrow(() -> first);
            LOG.debugf("a concurrent transaction won (%s); running once more", lost);
            try {
                return attempt(work);
            } catch (RuntimeException second) {
                Optional<ConcurrencyFailure> again = ConcurrencyFailure.of(second);
                if (again.isEmpty()) {
                    throw second;
                }
                LOG.debugf("a concurrent transaction won again (%s); answering 409", again.get());
                throw new ConcurrentChangeException(again.get());
            }
        }
    }

    public void write(Runnable work) {
        write(() -> {
            work.run();
            return null;
        });
    }

    private <T> T attempt(Supplier<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            T result = work.get();
            session.flush(); // failures here, not in the commit (where the transaction manager would log them)
            return result;
        });
    }
}
