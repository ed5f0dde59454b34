package dev.updraft.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The wording rules; every start-up failure itself is run for real by integration-tests' ServerStartupIT on the packaged jar. */
class StartupFailureTest {
    @Test
    void databaseUrlsLoseTheirOptionsAndCredentials() {
        assertThat(StartupFailure.withoutCredentials("jdbc:postgresql://db:5432/updraft?user=u&password=hunter2"))
                .isEqualTo("jdbc:postgresql://db:5432/updraft");
        assertThat(StartupFailure.withoutCredentials("jdbc:postgresql://u:hunter2@db/updraft"))
                .isEqualTo("jdbc:postgresql://db/updraft");
    }

    @Test
    void anOperatorProblemIsPrintedAsItIs_whereverItIsInTheChain() {
        RuntimeException wrapped = new RuntimeException(
                "Failed to start quarkus",
                new IllegalStateException("x", new StartupProblem("cannot make the data folder /d owner-only", null)));
        assertThat(StartupFailure.describe(wrapped)).isEqualTo("cannot make the data folder /d owner-only");
    }

    @Test
    void anUnreachableDatabase_namesNoExceptionClass() {
        RuntimeException failure = new RuntimeException(
                "Failed to start quarkus",
                new SQLException(
                        "Connection to 127.0.0.1:1 refused.", "08001", new ConnectException("Connection refused")));
        assertThat(StartupFailure.describe(failure))
                .startsWith("cannot reach the database at ")
                .contains("(Connection refused)")
                .contains("updraft.db.url")
                .doesNotContain("Exception")
                .doesNotContain("\n");
    }

    @Test
    void aRefusedLogin_pointsAtTheCredentials() {
        RuntimeException failure = new RuntimeException(
                "Failed to start quarkus",
                new SQLException("FATAL: password authentication failed for user \"updraft\"", "28P01"));
        assertThat(StartupFailure.describe(failure))
                .startsWith("the database at ")
                .endsWith(" refused the login: check updraft.db.user and updraft.db.password");
    }

    @Test
    void somethingUnforeseen_isStillOneLine_withTheWayToTheDetails() {
        RuntimeException failure =
                new RuntimeException("Failed to start quarkus", new IllegalStateException("first line\nsecond line"));
        assertThat(StartupFailure.describe(failure))
                .isEqualTo("failed to start: first line (UPDRAFT_STARTUP_TRACE=true shows the details)");
    }
}
