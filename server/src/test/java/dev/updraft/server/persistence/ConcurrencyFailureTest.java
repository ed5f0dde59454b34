package dev.updraft.server.persistence;

import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import org.hibernate.StaleObjectStateException;
import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which database failures are lost races (retried, then 409) and which are not (a 500), row by row. */
class ConcurrencyFailureTest {
    static Optional<ConcurrencyFailure> of(String sqlState) {
        // As Hibernate and the transaction manager hand it over: the driver's exception a few causes down.
        return ConcurrencyFailure.of(new RuntimeException("commit failed", new PersistenceException("could not execute statement",
                new SQLException("driver message", sqlState))));
    }

    @Test
    void lostRaces_onPostgresqlAndH2() {
        assertThat(of("23505")).contains(ConcurrencyFailure.UNIQUE_KEY);        // 1. unique key (both)
        assertThat(of("23503")).contains(ConcurrencyFailure.FOREIGN_KEY);       // 2. referenced row deleted meanwhile (PostgreSQL, H2)
        assertThat(of("23506")).contains(ConcurrencyFailure.FOREIGN_KEY);       // 3. H2: parent missing
        assertThat(of("40001")).contains(ConcurrencyFailure.SERIALIZATION);     // 4. serialization failure; H2 deadlock
        assertThat(of("40P01")).contains(ConcurrencyFailure.SERIALIZATION);     // 5. PostgreSQL deadlock
        assertThat(of("55P03")).contains(ConcurrencyFailure.LOCK_TIMEOUT);      // 6. PostgreSQL lock_not_available
        assertThat(of("HYT00")).contains(ConcurrencyFailure.LOCK_TIMEOUT);      // 7. H2 lock timeout
        assertThat(of("90131")).contains(ConcurrencyFailure.CONCURRENT_UPDATE); // 8. H2 concurrent update
    }

    @Test
    void staleRows_fromHibernate() {
        assertThat(ConcurrencyFailure.of(new OptimisticLockException("row was deleted"))).contains(ConcurrencyFailure.STALE_ROW);
        assertThat(ConcurrencyFailure.of(new RuntimeException(new StaleObjectStateException("DeviceOverrideEntity", 1L))))
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
        assertThat(of("23502")).isEmpty();  // a NOT NULL violation is a bug, not a race
        assertThat(of("22001")).isEmpty();  // value too long
        assertThat(of("08006")).isEmpty();  // connection failure
        assertThat(of("42P01")).isEmpty();  // no such table
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
