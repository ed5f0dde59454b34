package dev.updraft.server.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same admin API suite against a real PostgreSQL 15. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class AdminApiPgTest extends AdminApiTest {
}
