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
}
