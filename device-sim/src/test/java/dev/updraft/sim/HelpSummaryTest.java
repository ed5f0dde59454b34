package dev.updraft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updraft.cli.Context;
import dev.updraft.fixtures.HelpText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code updraft-sim}'s command list, read as a newcomer reads it: each summary is a whole sentence. */
class HelpSummaryTest {
    @Test
    void everySummaryInTheCommandListEndsASentence() {
        Context ctx = new Context(
                Path.of(""), Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false);
        CommandLine root = Main.commandLine(ctx);
        List<String> cut = new ArrayList<>();
        String usage = root.getUsageMessage(CommandLine.Help.Ansi.OFF);
        cut.addAll(HelpText.cutSummaries("updraft-sim", usage));
        root.getSubcommands()
                .values()
                .forEach(sub -> cut.addAll(HelpText.cutSummaries(
                        sub.getCommandSpec().qualifiedName(), sub.getUsageMessage(CommandLine.Help.Ansi.OFF))));
        assertThat(cut).as("summaries cut mid-sentence").isEmpty();
        assertThat(HelpText.commandSummaries(usage)).containsOnlyKeys("run", "load", "store", "help");
    }
}
