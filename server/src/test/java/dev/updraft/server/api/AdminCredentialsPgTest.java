package dev.updraft.server.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Named keys and throttling against a real PostgreSQL 15. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class AdminCredentialsPgTest extends AdminCredentialsTest {
}
