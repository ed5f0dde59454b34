package dev.updraft.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenario selection and the installed-tree hash, without a server. */
class CatalogueTest {
    @TempDir
    Path tmp;

    @Test
    void globsSelectWithinAndAcrossSegments() {
        List<Scenario> all = Scenarios.all();
        assertThat(Runner.select(all, List.of("store/*")))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.name()).startsWith("store/"));
        assertThat(Runner.select(all, List.of("zip/symlink", "kind/blocked")))
                .extracting(Scenario::name)
                .containsExactly("zip/symlink", "kind/blocked");
        assertThat(Runner.select(all, List.of("**"))).hasSameSizeAs(all);
        assertThat(Runner.select(all, List.of("*"))).as("* does not cross a /").isEmpty();
        assertThat(Runner.select(all, List.of())).hasSameSizeAs(all);
    }

    @Test
    void theTreeHashIsTheSortedPathAndContentLinesAndChangesWithEitherOne() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a/js"));
        Files.writeString(a.resolve("app.js"), "x");
        Files.writeString(tmp.resolve("a/index.html"), "i");
        // computed apart (Python hashlib) from the lines "index.html\0<sha256 of i>\n" "js/app.js\0<sha256 of x>\n"
        String expected = "a6bf533bdf7c41c6f3cd984ae38e9913412ceb3b6a4b73e1b2414d67f498b049";
        assertThat(TreeHash.of(tmp.resolve("a"))).isEqualTo(expected);

        Files.writeString(a.resolve("app.js"), "y");
        assertThat(TreeHash.of(tmp.resolve("a"))).isNotEqualTo(expected);
        Files.writeString(a.resolve("app.js"), "x");
        Files.move(a.resolve("app.js"), a.resolve("main.js"));
        assertThat(TreeHash.of(tmp.resolve("a"))).isNotEqualTo(expected);
    }
}
