package dev.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.fixtures.HelpText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command list in {@code updraft}'s help, read as a newcomer reads it: each summary is a whole sentence. */
class HelpSummaryTest {
    @TempDir
    Path dir;

    @Test
    void everySummaryInEveryCommandListEndsASentence() {
        Context ctx = new Context(
                dir, new HashMap<>(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false);
        List<String> cut = new ArrayList<>();
        int[] summaries = {0};
        walk(Updraft.commandLine(ctx), cut, summaries);
        assertThat(cut).as("summaries cut mid-sentence").isEmpty();
        assertThat(summaries[0])
                .as("summaries read (updraft, bundle, key, app, channel, device, admin-key lists)")
                .isGreaterThan(25);
    }

    private static void walk(CommandLine cmd, List<String> cut, int[] summaries) {
        String usage = cmd.getUsageMessage(CommandLine.Help.Ansi.OFF);
        String name = cmd.getCommandSpec().qualifiedName();
        summaries[0] += HelpText.commandSummaries(usage).size();
        cut.addAll(HelpText.cutSummaries(name, usage));
        cmd.getSubcommands().forEach((alias, sub) -> {
            if (alias.equals(sub.getCommandName())) {
                walk(sub, cut, summaries);
            }
        });
    }
}
