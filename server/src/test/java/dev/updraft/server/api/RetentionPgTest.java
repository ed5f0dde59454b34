package dev.updraft.server.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The retention job against a real PostgreSQL 15. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class RetentionPgTest extends RetentionTest {
}
