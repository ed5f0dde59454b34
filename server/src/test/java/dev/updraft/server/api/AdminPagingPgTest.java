package dev.updraft.server.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Paging of the admin API's lists against a real PostgreSQL 15. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class AdminPagingPgTest extends AdminPagingTest {
}
