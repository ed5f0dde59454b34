package dev.updraft.server.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Identical concurrent admin writes against a real PostgreSQL 15. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class AdminConcurrencyPgTest extends AdminConcurrencyTest {
}
