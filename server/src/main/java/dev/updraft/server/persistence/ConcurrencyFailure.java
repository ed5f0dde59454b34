package dev.updraft.server.persistence;

import jakarta.persistence.OptimisticLockException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import org.hibernate.StaleStateException;

/**
 * The PostgreSQL failures that mean "another transaction got there first":
 * a lost race, not a fault. The one place that knows their SQLSTATEs (docs/admin-api.md, "Concurrent requests").
 * A transaction that failed this way may succeed when run again, and then sees what the winner committed.
 */
public enum ConcurrencyFailure {
    /** Another transaction inserted the same unique key (23505 unique_violation). */
    UNIQUE_KEY(Set.of("23505")),
    /** The row referred to was deleted meanwhile, or a row now refers to the one being deleted (23503 foreign_key_violation). */
    FOREIGN_KEY(Set.of("23503")),
    /** A serialization failure (40001) or a deadlock (40P01). */
    SERIALIZATION(Set.of("40001", "40P01")),
    /** A row lock was not granted in time (55P03 lock_not_available). */
    LOCK_TIMEOUT(Set.of("55P03")),
    /** A row Hibernate read was updated or deleted by another transaction before this one wrote it. */
    STALE_ROW(Set.of());

    private final Set<String> sqlStates;

    ConcurrencyFailure(Set<String> sqlStates) {
        this.sqlStates = sqlStates;
    }

    /** What {@code failure} (anywhere in its chain of causes) says about a lost race, or empty for any other failure. */
    public static Optional<ConcurrencyFailure> of(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof StaleStateException || t instanceof OptimisticLockException) {
                return Optional.of(STALE_ROW);
            }
            if (t instanceof SQLException sql) {
                // A batch reports its first failure as the next exception.
                for (SQLException s = sql; s != null; s = s.getNextException() == s ? null : s.getNextException()) {
                    Optional<ConcurrencyFailure> kind = bySqlState(s.getSQLState());
                    if (kind.isPresent()) {
                        return kind;
                    }
                }
            }
        }
        return Optional.empty();
    }

    static Optional<ConcurrencyFailure> bySqlState(String state) {
        if (state == null) {
            return Optional.empty();
        }
        for (ConcurrencyFailure f : values()) {
            if (f.sqlStates.contains(state)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
