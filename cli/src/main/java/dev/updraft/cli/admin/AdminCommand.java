package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.updraft.cli.BaseCommand;
import dev.updraft.cli.CliException;
import dev.updraft.cli.ExitCode;
import dev.updraft.cli.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    /** {@code --limit} of the list commands. */
    public static final class ListOptions {
        static final int DEFAULT = 1000;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "" + DEFAULT,
                description =
                        "Show at most N entries (default: ${DEFAULT-VALUE}; 0 shows all). The server sends lists page by page; this reads as many pages as needed.")
        int limit;
    }

    /**
     * The entries of an admin API list (docs/admin-api.md, "Lists and paging"), read page by page by following
     * {@code next_cursor}, at most {@code options.limit} of them (0: all); a warning says when more were left out.
     */
    protected ArrayNode list(String path, ListOptions options, String what) {
        if (options.limit < 0) {
            throw CliException.usage("invalid_limit", "--limit must be 0 (all) or more");
        }
        ArrayNode entries = Json.MAPPER.createArrayNode();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        while (true) {
            JsonNode page = client().get(
                            cursor == null
                                    ? path
                                    : path + "?cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode items = page == null ? null : page.get("entries");
            if (items == null || !items.isArray()) {
                throw new CliException(
                        ExitCode.UNREACHABLE,
                        "not_updraft",
                        "GET /api/v1/" + path
                                + " did not answer a page of a list ({\"entries\": [...], \"next_cursor\": ...}): is the server an Updraft server of this version?");
            }
            for (JsonNode item : items) {
                if (options.limit > 0 && entries.size() == options.limit) {
                    return more(entries, what);
                }
                entries.add(item);
            }
            JsonNode next = page.get("next_cursor");
            if (next == null || !next.isTextual()) {
                return entries;
            }
            if (options.limit > 0 && entries.size() == options.limit) {
                return more(entries, what);
            }
            cursor = next.asText();
            if (!cursors.add(cursor)) {
                throw new CliException(
                        ExitCode.UNREACHABLE,
                        "bad_cursor",
                        "GET /api/v1/" + path + " sent the same next_cursor twice; stopped after " + entries.size()
                                + " " + what);
            }
        }
    }

    private ArrayNode more(ArrayNode entries, String what) {
        warn(
                "more_entries",
                "showing the first " + entries.size() + " " + what
                        + "; there are more (--limit N shows more, --limit 0 all)");
        return entries;
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
    protected static List<String[]> rows(
            String[] header, JsonNode array, java.util.function.Function<JsonNode, String[]> row) {
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
