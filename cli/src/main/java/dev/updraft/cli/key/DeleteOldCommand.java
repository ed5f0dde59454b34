package dev.updraft.cli.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.ExitCode;
import dev.updraft.cli.Json;
import dev.updraft.cli.Keys;
import dev.updraft.cli.Project;
import dev.updraft.cli.admin.AdminCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code updraft key delete_old}: the last step of a key rotation (docs/operations.md, "Key rotation"). Deletes the old
 * pair and makes the next one current; refused while a channel still serves a release for the old key, unless forced.
 */
@Command(
        name = "delete_old",
        description = {
            "Retire the old key of a key rotation, after a confirmation (--yes).",
            "Deletes .capgo_key_v2 and .capgo_key_v2.pub, then renames .capgo_key_v2.next and .capgo_key_v2.next.pub to those",
            "names, so the next key is the current one.",
            "First asks the server which channels still serve a release encrypted for the old key (its bundle or its rollout):",
            "while one does, devices with the old key still install it, and without the old private key no later release can",
            "reach them; the command then refuses (--force deletes anyway, without asking the server)."
        },
        footerHeading = "%nExamples:%n",
        footer = {"  updraft key delete_old            # says what it would delete", "  updraft key delete_old --yes"})
public final class DeleteOldCommand extends AdminCommand {
    @Option(
            names = "--app",
            paramLabel = "APP_ID",
            description = "The app whose channels to check (default: appId of capacitor.config.json).")
    String appIdArg;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "The project folder that holds the keys (default: the current folder).")
    Path dir;

    @Option(names = "--yes", description = "Really delete the old key files.")
    boolean yes;

    @Option(
            names = {"-f", "--force"},
            description = "Delete even if the server is unreachable or a channel still serves the old key.")
    boolean force;

    @Override
    protected void run() throws IOException {
        Project project = new Project(dir == null ? ctx.cwd() : ctx.resolve(dir));
        Path oldKey = project.file(Project.PRIVATE_KEY_FILE);
        Path oldPublic = project.file(Project.PUBLIC_KEY_FILE);
        Path next = project.file(Project.NEXT_PRIVATE_KEY_FILE);
        Path nextPublic = project.file(Project.NEXT_PUBLIC_KEY_FILE);
        if (!Files.isRegularFile(next) || !Files.isRegularFile(nextPublic)) {
            throw CliException.failed(
                    "no_rotation",
                    "no next key (" + ctx.display(next) + " and " + ctx.display(nextPublic)
                            + "): there is no old key to retire; 'updraft key create --rotate' starts a rotation");
        }
        if (!Files.isRegularFile(oldKey)) {
            throw CliException.failed("missing_key", "no old key at " + ctx.display(oldKey));
        }
        String oldKeyId =
                Keys.privateKey(ctx, oldKey.toString(), null).publicKey().keyId();
        String nextKeyId =
                Keys.privateKey(ctx, next.toString(), null).publicKey().keyId();
        List<Path> deleted = new ArrayList<>(List.of(oldKey));
        if (Files.exists(oldPublic)) {
            deleted.add(oldPublic);
        }
        String plan = "delete "
                + String.join(" and ", deleted.stream().map(ctx::display).toList()) + " (key_id "
                + oldKeyId + "), then rename " + ctx.display(next) + " to " + Project.PRIVATE_KEY_FILE + " and "
                + ctx.display(nextPublic) + " to " + Project.PUBLIC_KEY_FILE + " (key_id " + nextKeyId + ")";
        if (!yes) {
            throw CliException.usage("confirmation_required", "this would " + plan + "; pass --yes to do it");
        }
        List<String> users = List.of();
        if (force) {
            warn("not_checked", "--force: not asking the server which channels still serve key " + oldKeyId);
        } else {
            String appId = appId(appIdArg);
            users = channelsServing(appId, oldKeyId);
            if (!users.isEmpty()) {
                throw new CliException(
                        ExitCode.FAILED,
                        "key_in_use",
                        appId + ": " + String.join(", ", users) + " still serve(s) a release for key " + oldKeyId
                                + "; devices with the old key still install it, and without this private key no later "
                                + "release can reach them. Publish a release without it first, or pass --force");
            }
        }
        Project.Config config = project.config();
        if (config != null && config.publicKey() != null && oldKeyId.equals(keyIdOf(config.publicKey()))) {
            warn(
                    "config_has_old_key",
                    Project.CONFIG_FILE + " still holds the old publicKey: 'updraft key save --force' puts the new one "
                            + "there for the next native build");
        }
        for (Path p : deleted) {
            Files.delete(p);
        }
        Files.move(next, oldKey, StandardCopyOption.ATOMIC_MOVE);
        Files.move(nextPublic, oldPublic, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        for (Path p : deleted) {
            say("Deleted " + ctx.display(p));
        }
        say("Renamed " + ctx.display(next) + " to " + ctx.display(oldKey) + " and " + ctx.display(nextPublic) + " to "
                + ctx.display(oldPublic) + ": key_id " + nextKeyId + " is the current key");
        ObjectNode result = Json.object().put("deletedKeyId", oldKeyId).put("currentKeyId", nextKeyId);
        ArrayNode files = result.putArray("deleted");
        deleted.forEach(p -> files.add(ctx.display(p)));
        printJson(result);
    }

    private static String keyIdOf(String pem) {
        try {
            return dev.updraft.crypto.BundlePublicKey.fromPem(pem).keyId();
        } catch (dev.updraft.crypto.CryptoException e) {
            return null;
        }
    }

    /** The channels whose bundle or rollout has a variant for {@code keyId}, as "channel (version)". */
    private List<String> channelsServing(String appId, String keyId) {
        JsonNode channels = list(appPath(appId, "channels"), new ListOptions(), "channels");
        Set<String> users = new LinkedHashSet<>();
        for (JsonNode c : channels) {
            for (String field : List.of("bundle", "rollout_version")) {
                String version = c.path(field).isTextual() ? c.get(field).asText() : null;
                if (version == null || version.equals("builtin")) {
                    continue;
                }
                JsonNode b = client().get(appPath(appId, "bundles", version));
                if (dev.updraft.cli.admin.BundleAdmin.keyIds(b).contains(keyId)) {
                    users.add("channel " + c.path("name").asText() + " (" + version + ")");
                }
            }
        }
        return new ArrayList<>(users);
    }
}
