package dev.updraft.server.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same floods and races against a real PostgreSQL 15. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class DeviceAbusePgTest extends DeviceAbuseTest {
}
