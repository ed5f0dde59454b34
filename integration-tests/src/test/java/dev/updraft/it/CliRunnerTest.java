package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI processes of the integration tests start as the launcher starts them (./updraft, cli_jvm_options). */
class CliRunnerTest {
    @TempDir
    Path dir;

    @Test
    void theArchiveBesideTheJarIsMappedOnlyWhenItIsNotOlderThanTheJar() throws Exception {
        Path jar = Files.writeString(dir.resolve("updraft-cli.jar"), "jar");
        assertThat(CliRunner.jvmOptions(jar, List.of("--help")))
                .as("no archive")
                .noneMatch(o -> o.startsWith("-XX:SharedArchiveFile"));

        Path archive = Files.writeString(dir.resolve("updraft-cli.jsa"), "archive");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000_000_000L));
        Files.setLastModifiedTime(archive, FileTime.fromMillis(1_000_000_001_000L));
        assertThat(CliRunner.jvmOptions(jar, List.of("--help")))
                .contains("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-XX:+UseSerialGC");

        // a jar rebuilt after its archive (a package without the training run): the stale archive is not used
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000_002_000L));
        assertThat(CliRunner.jvmOptions(jar, List.of("--help"))).noneMatch(o -> o.startsWith("-XX:SharedArchiveFile"));
    }

    @Test
    void onlyTheCommandsThatStreamABundleGetTheC2Compiler() {
        Path jar = dir.resolve("updraft-cli.jar");
        for (List<String> streaming : List.of(
                List.of("bundle", "encrypt", "a.zip", "sum"),
                List.of("bundle", "decrypt", "a.zip_encrypted.zip", "key"),
                List.of("bundle", "zip", "--path", "www"),
                List.of("bundle", "upload", "--bundle", "1.0.0"),
                List.of("encrypt", "a.zip", "sum"))) {
            assertThat(CliRunner.jvmOptions(jar, streaming))
                    .as(streaming.toString())
                    .doesNotContain("-XX:TieredStopAtLevel=1");
        }
        for (List<String> quick : List.of(List.of("--help"), List.of("app", "list"), List.of("key", "create"))) {
            assertThat(CliRunner.jvmOptions(jar, quick)).as(quick.toString()).contains("-XX:TieredStopAtLevel=1");
        }
    }

    /**
     * The in-JVM mode the scenarios use gives what the process gives: the same exit codes, output and error lines,
     * for a success, a usage error, a failed command and a command that needs the (absent) server.
     */
    @Test
    void inProcessRunsAnswerExactlyAsTheProcessDoes() throws Exception {
        Files.writeString(dir.resolve("not-a-zip.zip"), "plain text");
        String sum = "0".repeat(64);
        // each with its exit code from the CLI's table (updraft --help): 0 success, 2 usage, 1 failed, 5 unreachable
        for (String[] args : List.of(
                new String[] {"0", "--version"},
                new String[] {"2", "bundle", "encrypt", "--no-such-option"},
                new String[] {"1", "bundle", "encrypt", "missing.zip", sum},
                new String[] {"1", "bundle", "encrypt", "not-a-zip.zip", sum, "--json"},
                new String[] {"5", "app", "list"})) {
            int expected = Integer.parseInt(args[0]);
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
            CliRunner.Result process = new CliRunner(dir, CliRunner.Mode.PROCESS)
                    .env("UPDRAFT_SERVER", "http://127.0.0.1:9")
                    .env("UPDRAFT_API_KEY", "k")
                    .run(args);
            CliRunner.Result inProcess = new CliRunner(dir, CliRunner.Mode.IN_PROCESS)
                    .env("UPDRAFT_SERVER", "http://127.0.0.1:9")
                    .env("UPDRAFT_API_KEY", "k")
                    .run(args);
            assertThat(process.exitCode()).as(String.join(" ", args)).isEqualTo(expected);
            assertThat(inProcess).as(String.join(" ", args)).isEqualTo(process);
        }
    }
}
