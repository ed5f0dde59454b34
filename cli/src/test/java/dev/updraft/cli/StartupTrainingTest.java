package dev.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class-data archive's training run must reach its last command, or the archive misses what those load. */
class StartupTrainingTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandOfTheTrainingSucceedsUpToDecrypt() throws Exception {
        StartupTraining.train(dir);

        assertThat(dir.resolve("com.example.app_1.0.0.zip_encrypted.zip_decrypted.zip"))
                .isRegularFile();
        assertThat(Files.readString(dir.resolve(Project.CONFIG_FILE))).contains("publicKey");
    }

    @Test
    void aStepThatEndsOtherwiseThanExpectedStopsTheTraining() {
        Context ctx = new Context(
                dir,
                Map.of("HOME", dir.toString()),
                new PrintWriter(Writer.nullWriter()),
                new PrintWriter(Writer.nullWriter()),
                false);

        assertThatThrownBy(() ->
                        StartupTraining.step(ctx, ExitCode.OK, "bundle", "encrypt", "missing.zip", "0".repeat(64)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited 1")
                .hasMessageContaining("missing.zip does not exist");
    }
}
