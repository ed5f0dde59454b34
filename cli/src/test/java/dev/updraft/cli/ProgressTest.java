package dev.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void drawsInPlaceOnATerminalThrottledAndClearsItself() {
        StringWriter err = new StringWriter();
        AtomicLong clock = new AtomicLong();
        Progress progress = new Progress(new PrintWriter(err), "Encrypting", 4096, clock::get);

        progress.advanced(1024);
        progress.advanced(2048); // within 100 ms of the last redraw: skipped
        clock.addAndGet(200_000_000L);
        progress.advanced(3072);
        progress.advanced(4096); // the end is always drawn
        progress.close();

        assertThat(err.toString())
                .isEqualTo("\rEncrypting  25% 1.0 KiB / 4.0 KiB"
                        + "\rEncrypting  75% 3.0 KiB / 4.0 KiB"
                        + "\rEncrypting 100% 4.0 KiB / 4.0 KiB"
                        + "\r" + " ".repeat("Encrypting 100% 4.0 KiB / 4.0 KiB".length()) + "\r");
    }

    @Test
    void staysQuietWithoutATerminalOrWithJson() {
        StringWriter err = new StringWriter();
        Context terminal =
                new Context(Path.of("."), Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err), true);
        Context pipe =
                new Context(Path.of("."), Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err), false);
        for (Progress p : new Progress[] {Progress.of(pipe, false, "x", 10), Progress.of(terminal, true, "x", 10)}) {
            p.advanced(10);
            p.close();
        }
        assertThat(err.toString()).isEmpty();

        Progress shown = Progress.of(terminal, false, "Zipping", 10);
        shown.advanced(10);
        assertThat(err.toString()).contains("Zipping 100% 10 B / 10 B");
    }

    @Test
    void sizesForPeople() {
        assertThat(Progress.size(512)).isEqualTo("512 B");
        assertThat(Progress.size(2048)).isEqualTo("2.0 KiB");
        assertThat(Progress.size(13_400_000)).isEqualTo("12.8 MiB");
    }
}
