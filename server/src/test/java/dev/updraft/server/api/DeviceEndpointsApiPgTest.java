package dev.updraft.server.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same /stats and /channel_self suite against a real PostgreSQL 15. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class DeviceEndpointsApiPgTest extends DeviceEndpointsApiTest {
}
