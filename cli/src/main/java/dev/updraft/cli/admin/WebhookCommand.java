package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code updraft webhook set|show|remove|deliveries}: an app's webhook (docs/admin-api.md, "Webhooks"). */
@Command(
        name = "webhook",
        description = {
            "Manage an app's webhook: where the server posts its rollout events.",
            "Events: rollout paused, rolled back, promoted, and failure-rate warnings, each signed with HMAC-SHA256",
            "(X-Updraft-Signature; docs/admin-api.md, \"Verifying a delivery\")."
        },
        subcommands = {
            WebhookCommand.Set.class,
            WebhookCommand.Show.class,
            WebhookCommand.Remove.class,
            WebhookCommand.Deliveries.class
        })
public final class WebhookCommand {

    /** {@code --app}: the app id, or appId of capacitor.config.json. */
    static final class AppOption {
        @Option(
                names = "--app",
                paramLabel = "APP_ID",
                description = "The app id (default: appId of capacitor.config.json).")
        String appId;
    }

    @Command(
            name = "set",
            description = {
                "Set (or replace) the app's webhook and its signing secret.",
                "Without --secret-file the server makes a secret, shown once: keep it where the receiver can read it",
                "(--save writes it to an owner-only file instead of the terminal)."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  updraft webhook set --url https://hooks.example.com/updraft --save ~/.config/updraft/webhook.secret",
                "  updraft webhook set --app com.example.app --url https://hooks.example.com/updraft --secret-file webhook.secret"
            })
    public static final class Set extends AdminCommand {
        @Mixin
        AppOption app;

        @Option(
                names = "--url",
                required = true,
                paramLabel = "URL",
                description = "Where events are posted: an http or https URL (no user name or password in it).")
        String url;

        @Option(
                names = "--secret-file",
                paramLabel = "FILE",
                description =
                        "Sign with the secret in FILE (16 to 128 printable characters, no spaces) instead of a new one from the server.")
        String secretFile;

        @Option(
                names = "--save",
                paramLabel = "FILE",
                description =
                        "Write the server's new secret to FILE (created owner-only, 0600; it must not exist) instead of printing it.")
        String saveTo;

        @Override
        protected void run() throws IOException {
            if (secretFile != null && saveTo != null) {
                throw CliException.usage(
                        "conflicting_options",
                        "--secret-file brings your own secret; --save keeps a new one from the server: pass one");
            }
            String appId = appId(app.appId);
            Path save = saveTo == null ? null : ctx.resolve(saveTo);
            if (save != null && Files.exists(save)) {
                throw CliException.failed(
                        "file_exists", "already exists: " + saveTo + " (choose another file; nothing was changed)");
            }
            ObjectNode body = Json.object().put("url", url);
            if (secretFile != null) {
                body.put("secret", readSecret(ctx.resolve(secretFile)));
            }
            JsonNode set = client().put(appPath(appId, "webhook"), body);
            ObjectNode shown = set.deepCopy();
            if (secretFile != null) {
                shown.remove("secret");
                say("Webhook of " + appId + " set to " + set.path("url").asText() + ", signed with the secret in "
                        + secretFile);
            } else if (save != null) {
                AdminKeyCommand.Create.writeOwnerOnly(save, set.path("secret").asText() + "\n");
                shown.remove("secret");
                shown.put("secret_saved_to", save.toString());
                say("Webhook of " + appId + " set to " + set.path("url").asText() + "; its secret is in " + saveTo
                        + " (readable by you only)");
            } else {
                note("Webhook of " + appId + " set to " + set.path("url").asText()
                        + ". Its signing secret, shown this once:");
                say(set.path("secret").asText());
            }
            printJson(shown);
        }

        private String readSecret(Path file) throws IOException {
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (NoSuchFileException e) {
                throw CliException.usage("secret_file_not_found", "no such file: " + secretFile);
            }
        }
    }

    @Command(
            name = "show",
            description = "Show the app's webhook (never its secret).",
            footerHeading = "%nExamples:%n",
            footer = {"  updraft webhook show", "  updraft webhook show --app com.example.app --json"})
    public static final class Show extends AdminCommand {
        @Mixin
        AppOption app;

        @Override
        protected void run() {
            String appId = appId(app.appId);
            JsonNode w = client().get(appPath(appId, "webhook"));
            say("Webhook of " + appId + ": " + w.path("url").asText() + " (set "
                    + w.path("updated_at").asText() + ")");
            printJson(w);
        }
    }

    @Command(
            name = "remove",
            description = "Remove the app's webhook; its delivery log stays, and deliveries still pending fail.",
            footerHeading = "%nExamples:%n",
            footer = {"  updraft webhook remove --app com.example.app"})
    public static final class Remove extends AdminCommand {
        @Mixin
        AppOption app;

        @Override
        protected void run() {
            String appId = appId(app.appId);
            client().delete(appPath(appId, "webhook"));
            say("Webhook of " + appId + " removed");
            printJson(Json.object().put("app_id", appId).put("removed", true));
        }
    }

    @Command(
            name = "deliveries",
            description = {
                "Show the delivery log, newest first.",
                "Each event with its state (pending, delivered, failed), attempts, the last answer or error, and when it is tried next."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  updraft webhook deliveries",
                "  updraft webhook deliveries --app com.example.app --limit 20 --json"
            })
    public static final class Deliveries extends AdminCommand {
        @Mixin
        AppOption app;

        @Mixin
        ListOptions listing;

        @Override
        protected void run() {
            String appId = appId(app.appId);
            JsonNode deliveries = list(appPath(appId, "webhook", "deliveries"), listing, "deliveries");
            printJson(deliveries);
            if (deliveries.isEmpty()) {
                say("No webhook deliveries for " + appId + " yet");
                return;
            }
            table(rows(
                    new String[] {"CREATED", "EVENT", "STATE", "ATTEMPTS", "LAST ANSWER", "NEXT ATTEMPT"},
                    deliveries,
                    d -> new String[] {
                        cell(d.get("created_at")),
                        cell(d.get("event_type")),
                        cell(d.get("state")),
                        cell(d.get("attempts")),
                        d.path("last_error").isTextual() ? d.path("last_error").asText() : cell(d.get("last_status")),
                        cell(d.get("next_attempt_at"))
                    }));
        }
    }
}
