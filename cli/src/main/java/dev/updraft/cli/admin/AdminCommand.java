package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.cli.BaseCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;

/** A command that talks to the server's admin API: {@code --server}, {@code --apikey}, {@code --apikey-file}. */
public abstract class AdminCommand extends BaseCommand {
    @Mixin
    ServerSettings.Options serverOptions;

    private AdminClient client;

    protected ServerSettings settings() {
        return ServerSettings.resolve(ctx, serverOptions);
    }

    protected AdminClient client() {
        if (client == null) {
            client = new AdminClient(settings());
        }
        return client;
    }

    /** {@code apps/<app>/<rest...>}, each part percent-encoded. */
    protected static String appPath(String appId, String... rest) {
        StringBuilder path = new StringBuilder("apps/").append(AdminClient.segment(appId));
        for (String part : rest) {
            path.append('/').append(AdminClient.segment(part));
        }
        return path.toString();
    }

    /** Prints rows as aligned columns under a header; the first row is the header. */
    protected void table(List<String[]> rows) {
        if (rows.size() <= 1) {
            return;
        }
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
            }
            say(line.toString().stripTrailing());
        }
    }

    /** A header row followed by one row per element of {@code array}. */
    protected static List<String[]> rows(String[] header, JsonNode array, java.util.function.Function<JsonNode, String[]> row) {
        List<String[]> rows = new ArrayList<>();
        rows.add(header);
        if (array != null) {
            array.forEach(node -> rows.add(row.apply(node)));
        }
        return rows;
    }

    /** A JSON value as a table cell: text as is, null as "-". */
    protected static String cell(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? "-" : node.asText();
    }
}
