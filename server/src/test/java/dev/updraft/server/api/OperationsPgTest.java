package dev.updraft.server.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;

/** Operations on PostgreSQL, and proof that this profile really runs on the "pg" datasource. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class OperationsPgTest extends OperationsTest {
    @Test
    void runsOnThePostgresDatasource() {
        managementPort().get("/q/health/ready").then().statusCode(200).body("checks[0].data.pg", equalTo("UP"));
    }
}
