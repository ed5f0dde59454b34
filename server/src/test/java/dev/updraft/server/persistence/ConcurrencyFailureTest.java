package dev.updraft.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.Optional;
import org.hibernate.StaleObjectStateException;
import org.junit.jupiter.api.Test;

/** Which database failures are lost races (retried, then 409) and which are not (a 500), row by row. */
class ConcurrencyFailureTest {
    static Optional<ConcurrencyFailure> of(String sqlState) {
        // As Hibernate and the transaction manager hand it over: the driver's exception a few causes down.
        return ConcurrencyFailure.of(new RuntimeException(
                "commit failed",
                new PersistenceException("could not execute statement", new SQLException("driver message", sqlState))));
    }

    @Test
    void lostRaces_onPostgresql() {
        assertThat(of("23505")).contains(ConcurrencyFailure.UNIQUE_KEY); // 1. unique key
        assertThat(of("23503")).contains(ConcurrencyFailure.FOREIGN_KEY); // 2. referenced row deleted meanwhile
        assertThat(of("40001")).contains(ConcurrencyFailure.SERIALIZATION); // 3. serialization failure
        assertThat(of("40P01")).contains(ConcurrencyFailure.SERIALIZATION); // 4. deadlock
        assertThat(of("55P03")).contains(ConcurrencyFailure.LOCK_TIMEOUT); // 5. lock_not_available
    }

    @Test
    void staleRows_fromHibernate() {
        assertThat(ConcurrencyFailure.of(new OptimisticLockException("row was deleted")))
                .contains(ConcurrencyFailure.STALE_ROW);
        assertThat(ConcurrencyFailure.of(
                        new RuntimeException(new StaleObjectStateException("DeviceOverrideEntity", 1L))))
                .contains(ConcurrencyFailure.STALE_ROW);
    }

    @Test
    void aBatchReportsItsFailureAsTheNextException() {
        BatchUpdateException batch = new BatchUpdateException("batch failed", null, 0, new int[0], null);
        batch.setNextException(new SQLException("duplicate key", "23505"));
        assertThat(ConcurrencyFailure.of(new PersistenceException(batch))).contains(ConcurrencyFailure.UNIQUE_KEY);
    }

    @Test
    void faults_areNotRaces() {
        assertThat(of("23502")).isEmpty(); // a NOT NULL violation is a bug, not a race
        assertThat(of("22001")).isEmpty(); // value too long
        assertThat(of("08006")).isEmpty(); // connection failure
        assertThat(of("42P01")).isEmpty(); // no such table
        assertThat(of(null)).isEmpty();
        assertThat(ConcurrencyFailure.of(new IllegalStateException("a bug"))).isEmpty();
        assertThat(ConcurrencyFailure.of(null)).isEmpty();
        // A cause chain that loops ends.
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(ConcurrencyFailure.of(a)).isEmpty();
    }
}
