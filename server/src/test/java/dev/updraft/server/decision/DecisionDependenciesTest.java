package dev.updraft.server.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The update decision is a pure function over the snapshot (docs/architecture.md): its package may use the JDK, the
 * protocol module and crypto-core, and nothing else of the server (no web, persistence, snapshot, ...). Checked on the
 * source files, imports and fully qualified names alike.
 */
class DecisionDependenciesTest {
    static final Path SOURCES = Path.of("src/main/java/dev/updraft/server/decision");

    /** An import, static or not, and the name it imports. */
    static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    /** A fully qualified name of this project used in code. */
    static final Pattern QUALIFIED = Pattern.compile("\\bdev\\.updraft\\.[\\w.]+");

    static final Pattern IMPORT_STATEMENT = Pattern.compile("^\\s*import\\s[^;]*;", Pattern.MULTILINE);
    static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+[\\w.]+\\s*;", Pattern.MULTILINE);

    static boolean allowed(String name) {
        return name.startsWith("java.")
                || within(name, "dev.updraft.protocol")
                || within(name, "dev.updraft.crypto")
                || within(name, "dev.updraft.server.decision");
    }

    private static boolean within(String name, String pkg) {
        return name.equals(pkg) || name.startsWith(pkg + ".");
    }

    /** The names the source uses that the decision package may not depend on. */
    static List<String> forbidden(String source) {
        String code = PACKAGE.matcher(COMMENT.matcher(source).replaceAll(" ")).replaceAll(" ");
        List<String> out = new ArrayList<>();
        Matcher imports = IMPORT.matcher(code);
        while (imports.find()) {
            if (!allowed(imports.group(1))) {
                out.add(imports.group(1));
            }
        }
        Matcher qualified = QUALIFIED.matcher(IMPORT_STATEMENT.matcher(code).replaceAll(" "));
        while (qualified.find()) {
            if (!allowed(qualified.group())) {
                out.add(qualified.group());
            }
        }
        return out;
    }

    @Test
    void theDecisionPackageUsesOnlyTheJdkTheProtocolAndCrypto() throws IOException {
        List<String> found = new ArrayList<>();
        int files;
        try (Stream<Path> all = Files.list(SOURCES)) {
            List<Path> sources = all.filter(p -> p.toString().endsWith(".java")).toList();
            files = sources.size();
            for (Path p : sources) {
                forbidden(Files.readString(p)).forEach(name -> found.add(p.getFileName() + ": " + name));
            }
        }
        assertThat(files)
                .as("source files found under %s", SOURCES.toAbsolutePath())
                .isGreaterThan(5);
        assertThat(found)
                .as("dependencies of dev.updraft.server.decision outside java.*, protocol and crypto")
                .isEmpty();
    }

    @Test
    void theCheckSeesImportsAndQualifiedNamesOfOtherPackages() {
        String source = """
                package dev.updraft.server.decision;

                import dev.updraft.protocol.Semver;
                import dev.updraft.server.web.JsonText;
                import static dev.updraft.server.persistence.Revisions.bump;
                import jakarta.inject.Inject;
                import java.util.List;

                /** Mentions dev.updraft.server.admin.Lookups in a comment only. */
                final class Sample {
                    // dev.updraft.server.snapshot.SnapshotStore is fine in a comment
                    Object x = new dev.updraft.server.ops.DataFolder();
                    dev.updraft.server.decision.Outcome ok;
                }
                """;
        assertThat(forbidden(source))
                .containsExactly(
                        "dev.updraft.server.web.JsonText",
                        "dev.updraft.server.persistence.Revisions.bump",
                        "jakarta.inject.Inject",
                        "dev.updraft.server.ops.DataFolder");
    }
}
