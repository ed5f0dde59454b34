package dev.updraft.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated key file: owner-only, replaced whole, no temporary file left behind. */
class ApiKeysFileTest {
    @TempDir
    Path dir;

    @Test
    void writesOwnerOnly_replacesAWorldReadableFile_andLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("data").resolve(ApiKeys.KEY_FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "old-key-that-others-could-read\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        String key = ApiKeys.newSecret();
        assertThat(ApiKeys.writeKeyFile(file.getParent(), key)).isEqualTo(file);

        assertThat(Files.readString(file)).isEqualTo(key + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(ApiKeys.KEY_FILE);
        }
    }

    @Test
    void theNewKeyIsWholeAndOwnerOnlyBeforeItReplacesTheOldFile_whichStaysWholeUntilThen() throws Exception {
        Path file = dir.resolve(ApiKeys.KEY_FILE);
        Files.writeString(file, "old-key\n");
        String key = ApiKeys.newSecret();
        List<String> seen = new ArrayList<>();

        ApiKeys.writeKeyFile(dir, key, temp -> {
            assertThat(temp.getParent()).isEqualTo(dir); // same folder: the rename is atomic
            assertThat(Files.readString(temp)).isEqualTo(key + "\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp)))
                    .isEqualTo("rw-------");
            seen.add(Files.readString(file));
        });

        assertThat(seen).containsExactly("old-key\n");
        assertThat(Files.readString(file)).isEqualTo(key + "\n");
    }

    @Test
    void aFailureBeforeTheRenameLeavesTheOldFileAsItWas_andNoTemporaryFile() throws Exception {
        Path file = dir.resolve(ApiKeys.KEY_FILE);
        Files.writeString(file, "old-key\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> ApiKeys.writeKeyFile(dir, ApiKeys.newSecret(), temp -> {
                    throw new IOException("disk full");
                }))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot write the admin API key file")
                .hasRootCauseMessage("disk full");

        assertThat(Files.readString(file)).isEqualTo("old-key\n");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(ApiKeys.KEY_FILE);
        }
    }

    @Test
    void secretsAre256RandomBits_andHashedAsSha256Hex() {
        String a = ApiKeys.newSecret();
        assertThat(a).startsWith("updraft_").hasSize("updraft_".length() + 43);
        assertThat(ApiKeys.newSecret()).isNotEqualTo(a);
        // SHA-256("abc"), FIPS 180-2 test vector
        assertThat(ApiKeys.hashHex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
