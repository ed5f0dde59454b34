package dev.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which command lines start the AES warm-up ({@link Updraft#encryptsABundle}), row by row. */
class EncryptWarmUpHintTest {
    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "bundle encrypt b.zip abc --key k | true",
                "bundle upload --channel production | true",
                "--quiet bundle encrypt | true",
                "bundle decrypt b.zip iv:key | false",
                "bundle zip com.example.app | false",
                "--help | false",
                "key create | false",
                "bundle zip app -- encrypt | false",
                "'' | false",
            })
    void row(String commandLine, boolean warmsUp) {
        String[] args = commandLine.isEmpty() ? new String[0] : commandLine.split(" ");
        assertThat(Updraft.encryptsABundle(args)).isEqualTo(warmsUp);
    }
}
