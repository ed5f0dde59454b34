package dev.updraft.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks the embedded PostgreSQL's start makes on an existing {@code pg/} folder before it runs anything; the
 * start itself, a stale postmaster after {@code kill -9} and a second server are run for real by integration-tests'
 * EmbeddedKillRestartIT and ServerStartupIT on the packaged jar.
 */
class EmbeddedDatabaseTest {
    @TempDir
    Path pg;

    @Test
    void dataOfTheBundledMajorVersion_isUsedAsItIs() throws Exception {
        Files.writeString(pg.resolve("PG_VERSION"), EmbeddedDatabase.MAJOR_VERSION + "\n");
        assertThatNoException().isThrownBy(() -> EmbeddedDatabase.checkMajorVersion(pg));
        assertThatNoException().isThrownBy(() -> EmbeddedDatabase.checkMajorVersion(pg.resolve("not-yet-created")));
    }

    @Test
    void dataOfAnotherMajorVersion_isRefused_withWhatToDo() throws Exception {
        Files.writeString(pg.resolve("PG_VERSION"), "14\n");
        assertThatThrownBy(() -> EmbeddedDatabase.checkMajorVersion(pg))
                .isInstanceOf(StartupProblem.class)
                .hasMessage("the embedded database in " + pg
                        + " was written by PostgreSQL 14 and this server bundles PostgreSQL "
                        + EmbeddedDatabase.MAJOR_VERSION
                        + ": dump it with that version's pg_dump and restore it into a fresh data"
                        + " folder (docs/operations.md, \"Upgrading the embedded PostgreSQL\")");
    }

    @Test
    void aPidFileOfAProcessThatIsGone_isRemoved() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path pidFile = Files.writeString(pg.resolve("postmaster.pid"), gone.pid() + "\n" + pg + "\n1700000000\n5432\n");
        EmbeddedDatabase.stopStalePostmaster(pg);
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void aPidFileOfAProcessThatIsNotPostgres_isRemoved_andTheProcessKeepsRunning() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            Path pidFile = Files.writeString(pg.resolve("postmaster.pid"), sleeper.pid() + "\n" + pg + "\n");
            EmbeddedDatabase.stopStalePostmaster(pg);
            assertThat(pidFile).doesNotExist();
            assertThat(sleeper.isAlive()).as("a reused pid is not ours to stop").isTrue();
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }

    @Test
    void aGarbledPidFile_isRemoved() throws Exception {
        Path pidFile = Files.writeString(pg.resolve("postmaster.pid"), "not a pid\n");
        EmbeddedDatabase.stopStalePostmaster(pg);
        assertThat(pidFile).doesNotExist();
    }
}
