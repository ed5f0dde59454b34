package dev.updraft.server.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same publishing suite against a real PostgreSQL 15, where concurrent inserts really race on the unique keys. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PublishApiPgTest extends PublishApiTest {
}
