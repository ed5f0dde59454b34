package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code updraft login}: remember the server and its API key in the user config file. */
@Command(
        name = "login",
        description = {
            "Remember the server and its API key in the user config file, after checking them.",
            "Later commands then need neither --server nor --apikey. The file is owner-only; with --apikey-file only the",
            "file's path is stored, not the key."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  updraft login \"$(cat data/admin-api-key)\" --server http://localhost:8080",
            "  updraft login --apikey-file /srv/updraft/admin-api-key --server https://updates.example.com"
        })
public final class LoginCommand extends AdminCommand {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "APIKEY",
            description = "The admin API key (or use --apikey / --apikey-file).")
    String positionalKey;

    @Option(names = "--no-verify", description = "Store the settings without asking the server first.")
    boolean noVerify;

    @Override
    protected void run() throws IOException {
        if (positionalKey != null) {
            serverOptions.apiKey = positionalKey;
        }
        ServerSettings settings = settings();
        settings.requireKey();
        if (!noVerify) {
            new AdminClient(settings).get("apps?limit=1");
            note("The server at " + settings.server() + " accepted the key");
        }
        Path file = ServerSettings.configFile(ctx);
        ObjectNode config = Files.isRegularFile(file) ? readObject(file) : Json.object();
        config.put("server", settings.server().toString());
        if (serverOptions.apiKeyFile != null && serverOptions.apiKey == null) {
            config.remove("api_key");
            config.put("api_key_file", ctx.resolve(serverOptions.apiKeyFile).toString());
        } else {
            config.remove("api_key_file");
            config.put("api_key", settings.requireKey());
        }
        write(file, Json.pretty(config) + "\n");
        say("Saved the server and API key settings in " + file);
        printJson(Json.object()
                .put("config", file.toString())
                .put("server", settings.server().toString()));
    }

    private static ObjectNode readObject(Path file) {
        try {
            JsonNode node = Json.MAPPER.readTree(file.toFile());
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // reported below
        }
        throw CliException.failed("invalid_user_config", file + " is not a JSON object; fix or remove it first");
    }

    /** Owner-only from the first byte: the file may hold the API key. */
    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp;
        try {
            tmp = Files.createTempFile(
                    file.getParent(),
                    ".config-",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(file.getParent(), ".config-", ".tmp");
        }
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
