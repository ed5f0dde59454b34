package dev.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * docs/cli-reference.md is the commands' own {@code --help}, rendered here. The test fails when a command's help
 * changes and the page does not; regenerate the page with
 * {@code ./mvnw -B -pl cli test -Dtest=CliReferenceTest -Dupdraft.write-docs=true}.
 */
class CliReferenceTest {
    private static final Path PAGE = Path.of("..", "docs", "cli-reference.md");

    @TempDir
    Path dir;

    @Test
    void theCliReferencePageIsTheCommandsOwnHelp() throws Exception {
        Context ctx = new Context(
                dir, new HashMap<>(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false);
        CommandLine root = Updraft.commandLine(ctx);
        StringBuilder page = new StringBuilder();
        page.append("# CLI reference\n\n")
                .append(
                        "Generated from the commands' own `--help` by `cli/src/test/java/dev/updraft/cli/CliReferenceTest.java`;\n")
                .append("the build fails when this page and the commands disagree. Regenerate it with\n")
                .append("`./mvnw -B -pl cli test -Dtest=CliReferenceTest -Dupdraft.write-docs=true`.\n\n")
                .append("Run the CLI through the launcher at the repository root, `./updraft <command>`, or as\n")
                .append("`java -jar cli/target/updraft-cli.jar <command>`.\n");
        render(root, "updraft", page);
        String expected = page.toString();

        if (Boolean.getBoolean("updraft.write-docs")) {
            Files.writeString(PAGE, expected);
        }
        assertThat(Files.exists(PAGE))
                .as(PAGE + " exists (regenerate it: see this test's javadoc)")
                .isTrue();
        assertThat(Files.readString(PAGE))
                .as("docs/cli-reference.md is out of date: regenerate it (see CliReferenceTest)")
                .isEqualTo(expected);
        assertThat(expected).contains("## updraft bundle upload", "## updraft key create", "--iv-session-key");
    }

    private static void render(CommandLine cmd, String path, StringBuilder page) {
        if (cmd.getCommandSpec().usageMessage().hidden()) {
            return;
        }
        page.append("\n## ")
                .append(path)
                .append("\n\n```text\n")
                .append(cmd.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing())
                .append("\n```\n");
        cmd.getSubcommands().forEach((name, sub) -> {
            // aliases map to the same command: render it once, under its own name
            if (name.equals(sub.getCommandName())) {
                render(sub, path + " " + name, page);
            }
        });
    }
}
