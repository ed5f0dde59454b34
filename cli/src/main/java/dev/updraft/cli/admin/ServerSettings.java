package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.Context;
import dev.updraft.cli.ExitCode;
import dev.updraft.cli.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which server to talk to and with which API key: flags, then environment, then the user config file, then the
 * default {@code http://localhost:8080}. The key itself is never printed; only where it came from.
 */
public final class ServerSettings {
    public static final String DEFAULT_SERVER = "http://localhost:8080";
    public static final String ENV_SERVER = "UPDRAFT_SERVER";
    public static final String ENV_API_KEY = "UPDRAFT_API_KEY";
    public static final String ENV_API_KEY_FILE = "UPDRAFT_API_KEY_FILE";
    public static final String ENV_CONFIG = "UPDRAFT_CONFIG";

    private final URI server;
    private final String apiKey;
    private final String apiKeySource;

    ServerSettings(URI server, String apiKey, String apiKeySource) {
        this.server = server;
        this.apiKey = apiKey;
        this.apiKeySource = apiKeySource;
    }

    public URI server() {
        return server;
    }

    String apiKey() {
        return apiKey;
    }

    /** Where the key came from ("--apikey", "$UPDRAFT_API_KEY", a file name, ...), for messages. */
    public String apiKeySource() {
        return apiKeySource;
    }

    /** The {@code --server}, {@code --apikey} and {@code --apikey-file} options of every command that talks to the server. */
    public static final class Options {
        @Option(
                names = "--server",
                paramLabel = "URL",
                order = 100,
                description = "The Updraft server URL (default: $UPDRAFT_SERVER, the config file, or " + DEFAULT_SERVER
                        + ").")
        String server;

        @Option(
                names = {"-a", "--apikey"},
                paramLabel = "KEY",
                order = 101,
                description =
                        "The admin API key (default: $UPDRAFT_API_KEY, $UPDRAFT_API_KEY_FILE, or the config file).")
        String apiKey;

        @Option(
                names = "--apikey-file",
                paramLabel = "FILE",
                order = 102,
                description = "Read the admin API key from this file, e.g. the server's <data folder>/admin-api-key.")
        Path apiKeyFile;
    }

    /** The user config file: {@code $UPDRAFT_CONFIG}, else {@code $XDG_CONFIG_HOME/updraft/config.json}, else {@code ~/.config/updraft/config.json}. */
    public static Path configFile(Context ctx) {
        String explicit = ctx.env(ENV_CONFIG);
        if (explicit != null) {
            return ctx.resolve(explicit);
        }
        String xdg = ctx.env("XDG_CONFIG_HOME");
        Path base = xdg != null ? Path.of(xdg) : home(ctx).resolve(".config");
        return base.resolve("updraft").resolve("config.json");
    }

    private static Path home(Context ctx) {
        String home = ctx.env("HOME");
        return Path.of(home != null ? home : System.getProperty("user.home"));
    }

    /** Resolves the server URL only (the key may be missing: {@link #requireKey()} says so when it is needed). */
    public static ServerSettings resolve(Context ctx, Options options) {
        Path configFile = configFile(ctx);
        JsonNode config = readConfig(ctx, configFile);

        String server;
        String serverSource;
        if (options.server != null) {
            server = options.server;
            serverSource = "--server";
        } else if (ctx.env(ENV_SERVER) != null) {
            server = ctx.env(ENV_SERVER);
            serverSource = "$" + ENV_SERVER;
        } else if (config.path("server").isTextual()) {
            server = config.path("server").asText();
            serverSource = configFile.toString();
        } else {
            server = DEFAULT_SERVER;
            serverSource = "the default";
        }

        String apiKey = null;
        String source = null;
        if (options.apiKey != null) {
            apiKey = options.apiKey;
            source = "--apikey";
        } else if (options.apiKeyFile != null) {
            source = options.apiKeyFile.toString();
            apiKey = readKeyFile(ctx.resolve(options.apiKeyFile), "--apikey-file");
        } else if (ctx.env(ENV_API_KEY) != null) {
            apiKey = ctx.env(ENV_API_KEY);
            source = "$" + ENV_API_KEY;
        } else if (ctx.env(ENV_API_KEY_FILE) != null) {
            source = ctx.env(ENV_API_KEY_FILE);
            apiKey = readKeyFile(ctx.resolve(source), "$" + ENV_API_KEY_FILE);
        } else if (config.path("api_key").isTextual()) {
            apiKey = config.path("api_key").asText();
            source = configFile.toString();
        } else if (config.path("api_key_file").isTextual()) {
            source = config.path("api_key_file").asText();
            apiKey = readKeyFile(configFile.getParent().resolve(source).normalize(), "api_key_file of " + configFile);
        }
        return new ServerSettings(parseServer(server, serverSource), apiKey == null ? null : apiKey.strip(), source);
    }

    /** The API key, or the one-line explanation of where it could have come from. */
    String requireKey() {
        if (apiKey == null || apiKey.isEmpty()) {
            throw new CliException(
                    ExitCode.AUTH,
                    "missing_api_key",
                    "no API key for " + server + ": pass --apikey KEY or --apikey-file FILE, set " + ENV_API_KEY
                            + " or " + ENV_API_KEY_FILE
                            + ", or run 'updraft login' (a fresh server writes its key to <data folder>/admin-api-key)");
        }
        return apiKey;
    }

    static URI parseServer(String text, String source) {
        String trimmed = text.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.endsWith("/api/v1")) {
            trimmed = trimmed.substring(0, trimmed.length() - "/api/v1".length());
        }
        try {
            URI uri = new URI(trimmed);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new URISyntaxException(text, "not an absolute http:// or https:// URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw CliException.usage(
                    "invalid_server_url",
                    "the server URL from " + source + " ('" + text + "') is not an absolute http:// or https:// URL");
        }
    }

    private static JsonNode readConfig(Context ctx, Path file) {
        if (!Files.isRegularFile(file)) {
            if (ctx.env(ENV_CONFIG) != null) {
                throw CliException.usage(
                        "config_not_found", "$" + ENV_CONFIG + " points at " + file + ", which does not exist");
            }
            return Json.object();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw CliException.usage(
                        "invalid_user_config",
                        file + " must hold a JSON object like {\"server\": \"...\", \"api_key_file\": \"...\"}");
            }
            return node;
        } catch (IOException e) {
            throw CliException.usage(
                    "invalid_user_config",
                    "cannot read " + file + ": it must be JSON like {\"server\": \"...\", \"api_key_file\": \"...\"}");
        }
    }

    private static String readKeyFile(Path file, String from) {
        try {
            String key = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (key.isEmpty()) {
                throw new CliException(
                        ExitCode.AUTH, "missing_api_key", "the API key file " + file + " (from " + from + ") is empty");
            }
            return key;
        } catch (IOException e) {
            throw new CliException(
                    ExitCode.AUTH,
                    "missing_api_key",
                    "cannot read the API key file " + file + " (from " + from + "): "
                            + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        }
    }
}
