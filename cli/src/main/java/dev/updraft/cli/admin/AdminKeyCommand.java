package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.Json;
import dev.updraft.protocol.Identifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code updraft admin-key create|list|revoke}: the server's named admin API keys (docs/admin-api.md, "Admin keys"). */
@Command(
        name = "admin-key",
        description = {
            "Manage the server's admin API keys: one per person or CI job, each revocable on its own.",
            "The server stores only a hash; a key's secret is shown once, when it is created."
        },
        subcommands = {AdminKeyCommand.Create.class, AdminKeyCommand.ListKeys.class, AdminKeyCommand.Revoke.class})
public final class AdminKeyCommand {

    static String requireName(String name) {
        Identifier.ADMIN_KEY_NAME.problem(name).ifPresent(problem -> {
            throw CliException.usage("invalid_key_name", problem);
        });
        return name;
    }

    @Command(
            name = "create",
            description = "Create a key and print its secret (once: the server cannot show it again).",
            footerHeading = "%nExamples:%n",
            footer = {
                "  updraft admin-key create ci-release",
                "  updraft admin-key create alice --save ~/.config/updraft/alice.key   # secret into an owner-only file, not the terminal"
            })
    public static final class Create extends AdminCommand {
        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description =
                        "The key's name: 1 to 64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.")
        String name;

        @Option(
                names = "--save",
                paramLabel = "FILE",
                description =
                        "Write the secret to FILE (created owner-only, 0600; it must not exist) instead of printing it.")
        String saveTo;

        @Override
        protected void run() throws IOException {
            requireName(name);
            Path file = saveTo == null ? null : ctx.resolve(saveTo);
            if (file != null && Files.exists(file)) {
                throw CliException.failed(
                        "file_exists", "already exists: " + saveTo + " (choose another file; nothing was created)");
            }
            JsonNode created = client().post("admin-keys", Json.object().put("name", name));
            String secret = created.path("key").asText();
            if (file != null) {
                writeOwnerOnly(file, secret + "\n");
                say("Admin key " + name + " created; its secret is in " + saveTo + " (readable by you only)");
                ObjectNode result = created.deepCopy();
                result.remove("key");
                printJson(result.put("saved_to", file.toString()));
            } else {
                note("Admin key " + name + " created. Its secret, shown this once:");
                say(secret);
                printJson(created);
            }
        }

        static void writeOwnerOnly(Path file, String text) throws IOException {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
    }

    @Command(
            name = "list",
            aliases = "l",
            description = "List the keys: name, origin, created, last used, revoked.",
            footerHeading = "%nExamples:%n",
            footer = {"  updraft admin-key list", "  updraft admin-key list --json"})
    public static final class ListKeys extends AdminCommand {
        @Mixin
        ListOptions listing;

        @Override
        protected void run() {
            JsonNode keys = list("admin-keys", listing, "keys");
            printJson(keys);
            table(rows(new String[] {"NAME", "ORIGIN", "CREATED", "LAST_USED", "STATUS"}, keys, k -> new String[] {
                cell(k.get("name")),
                cell(k.get("origin")),
                cell(k.get("created_at")),
                cell(k.get("last_used_at")),
                k.path("active").asBoolean() ? "active" : "revoked " + cell(k.get("revoked_at"))
            }));
        }
    }

    @Command(
            name = "revoke",
            description = {
                "Revoke a key: it stops working at once on the server that answers, within seconds on the others.",
                "The last active key cannot be revoked (create another first)."
            },
            footerHeading = "%nExamples:%n",
            footer = {"  updraft admin-key revoke ci-release"})
    public static final class Revoke extends AdminCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The key's name.")
        String name;

        @Override
        protected void run() {
            requireName(name);
            JsonNode revoked =
                    client().require(client().exchange("DELETE", "admin-keys/" + AdminClient.segment(name), null));
            say("Admin key " + name + " revoked");
            printJson(revoked);
        }
    }
}
