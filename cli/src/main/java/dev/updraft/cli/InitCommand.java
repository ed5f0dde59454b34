package dev.updraft.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.admin.AdminCommand;
import dev.updraft.crypto.BundlePublicKey;
import dev.updraft.crypto.CryptoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code updraft init}: points the app's updater plugin at the Updraft server, in capacitor.config.json (docs/cli.md,
 * "init"); with {@code --capgo-cli} also the keys that make the Capgo CLI talk to this server instead of Capgo's cloud
 * (docs/protocol.md, "The Capgo CLI").
 */
@Command(
        name = "init",
        description = {
            "Write the updater plugin's settings into capacitor.config.json (plugins.CapacitorUpdater).",
            "They are updateUrl, statsUrl and channelUrl on the server (--server), and publicKey from .capgo_key_v2.pub",
            "when the project has one.",
            "With --capgo-cli also localApi and localApiFiles (<server>/functions/v1), localSupa, localHost and",
            "localWebHost (<server>) and a localSupaAnon placeholder, so that 'npx @capgo/cli bundle upload', 'channel set',",
            "... work against this server with an Updraft admin key (--apikey). Other settings are kept as they are."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  updraft init --server https://updates.example.com",
            "  updraft init --server https://updates.example.com --capgo-cli"
        })
public final class InitCommand extends AdminCommand {
    /** The Capgo CLI sends it as its Supabase anon key; Updraft never reads it (the key travels in capgkey). */
    static final String ANON_PLACEHOLDER = "updraft-does-not-use-this";

    @Option(
            names = "--capgo-cli",
            description = "Also write the local* keys that point the Capgo CLI (@capgo/cli) at this server.")
    boolean capgoCli;

    @Override
    protected void run() throws IOException, CryptoException {
        Project project = project();
        Project.Config config = project.config();
        if (config == null) {
            throw CliException.failed("missing_config", project.missingConfigHint());
        }
        String server = settings().server().toString().replaceAll("/+$", "");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("updateUrl", server + "/updates");
        settings.put("statsUrl", server + "/stats");
        settings.put("channelUrl", server + "/channel_self");
        Path publicKeyFile = project.file(Project.PUBLIC_KEY_FILE);
        if (Files.isRegularFile(publicKeyFile)) {
            settings.put(
                    "publicKey",
                    BundlePublicKey.fromPem(Files.readString(publicKeyFile)).toPem());
        }
        if (capgoCli) {
            settings.put("localApi", server + "/functions/v1");
            settings.put("localApiFiles", server + "/functions/v1");
            settings.put("localSupa", server);
            settings.put("localSupaAnon", ANON_PLACEHOLDER);
            settings.put("localHost", server);
            settings.put("localWebHost", server);
        }
        settings.forEach(config::setUpdaterSetting);
        config.save();
        ObjectNode written = Json.object();
        settings.forEach((k, v) -> {
            written.put(k, v);
            say(k + ": " + (k.equals("publicKey") ? "(from " + Project.PUBLIC_KEY_FILE + ")" : v));
        });
        note("Wrote plugins.CapacitorUpdater in " + Project.CONFIG_FILE);
        printJson(Json.object().put("config", Project.CONFIG_FILE).set("written", written));
    }
}
