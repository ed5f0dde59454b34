package dev.updraft.server.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The audit log against a real PostgreSQL 15. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class AuditLogPgTest extends AuditLogTest {
}
