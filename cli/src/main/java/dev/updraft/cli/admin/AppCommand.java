package dev.updraft.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updraft.cli.CliException;
import dev.updraft.cli.Json;
import dev.updraft.cli.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code updraft app add|set|list|delete}. */
@Command(
        name = "app",
        description = "Manage the apps the server knows.",
        subcommands = {AppCommand.Add.class, AppCommand.Set.class, AppCommand.ListApps.class, AppCommand.Delete.class})
public final class AppCommand {
    /** How devices get the app's bundle URLs (docs/admin-api.md, "Apps"; docs/operations.md, "S3 storage"). */
    static final class DownloadUrlOptions {
        private static final java.util.regex.Pattern DURATION =
                java.util.regex.Pattern.compile("([0-9]{1,7})([smhd]?)");

        @Option(
                names = "--download-url-mode",
                paramLabel = "MODE",
                description =
                        "public: devices get the bundle URL as registered (a public bucket, a CDN); presigned: a GET URL of the server's S3 bucket that expires after --presigned-url-ttl.")
        String mode;

        @Option(
                names = "--presigned-url-ttl",
                paramLabel = "DURATION",
                description = "How long a presigned URL works: seconds, or 90s, 15m, 2h, 7d at most (default 1h).")
        String ttl;

        /** Adds {@code download_url_mode} and {@code presigned_url_ttl_seconds} to the body when given. */
        void addTo(ObjectNode body) {
            if (mode != null) {
                if (!mode.equals("public") && !mode.equals("presigned")) {
                    throw CliException.usage(
                            "invalid_download_url_mode", "--download-url-mode must be public or presigned");
                }
                body.put("download_url_mode", mode);
            }
            if (ttl != null) {
                body.put("presigned_url_ttl_seconds", seconds(ttl));
            }
        }

        static long seconds(String text) {
            java.util.regex.Matcher m = DURATION.matcher(text.strip());
            long unit = 0;
            long n = 0;
            if (m.matches()) {
                n = Long.parseLong(m.group(1));
                unit = switch (m.group(2)) {
                    case "m" -> 60;
                    case "h" -> 3600;
                    case "d" -> 86400;
                    default -> 1;
                };
            }
            long seconds = n * unit;
            if (seconds < 1 || seconds > 7 * 86400) {
                throw CliException.usage(
                        "invalid_presigned_url_ttl",
                        "--presigned-url-ttl must be from 1s to 7d (e.g. 900, 15m, 2h), not '" + text + "'");
            }
            return seconds;
        }
    }

    @Command(
            name = "add",
            aliases = "a",
            description = "Register an app with the server (app id and name default to capacitor.config.json).",
            footerHeading = "%nExamples:%n",
            footer = {"  updraft app add", "  updraft app add com.example.app --name \"Example\""})
    public static final class Add extends AdminCommand {
        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "APP_ID",
                description = "The app id, reverse-domain (default: appId of capacitor.config.json).")
        String appIdArg;

        @Option(
                names = {"-n", "--name"},
                paramLabel = "NAME",
                description = "A display name (default: appName of capacitor.config.json).")
        String name;

        @Option(
                names = "--expose-metadata",
                description =
                        "Send bundles' link and comment in update answers (to plugins from 5.35 / 6.35 / 7.35 / 8.35; default off).")
        boolean exposeMetadata;

        @Mixin
        DownloadUrlOptions downloadUrls;

        @Override
        protected void run() {
            String appId = appId(appIdArg);
            String displayName = name;
            if (displayName == null && appIdArg == null) {
                Project.Config config = project().config();
                displayName = config == null ? null : config.appName();
            }
            ObjectNode body = Json.object().put("app_id", appId);
            if (displayName != null) {
                body.put("name", displayName);
            }
            if (exposeMetadata) {
                body.put("expose_metadata", true);
            }
            downloadUrls.addTo(body);
            JsonNode app = client().post("apps", body);
            say("App " + appId + " added"
                    + (app.hasNonNull("name") ? " (" + app.get("name").asText() + ")" : ""));
            printJson(app);
        }
    }

    @Command(
            name = "set",
            description = {
                "Change an app: its name, metadata in update answers, default key, how devices get bundle URLs.",
                "The display name; whether update answers carry bundles' link and comment; the default key, whose variant of a",
                "release goes to devices whose plugin sends no usable key id (before 8.40.7; without one they get the release's",
                "first variant, docs/operations.md \"Key rotation\"); public or presigned download URLs."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  updraft app set --expose-metadata",
                "  updraft app set --default-key-id MIIBCgKCAQEAzNUtP9rS",
                "  updraft app set --default-key-id none",
                "  updraft app set com.example.app --no-expose-metadata --name \"Example\"",
                "  updraft app set --download-url-mode presigned --presigned-url-ttl 15m"
            })
    public static final class Set extends AdminCommand {
        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "APP_ID",
                description = "The app id (default: appId of capacitor.config.json).")
        String appIdArg;

        @Option(
                names = {"-n", "--name"},
                paramLabel = "NAME",
                description = "A new display name.")
        String name;

        @Option(
                names = "--expose-metadata",
                negatable = true,
                description =
                        "Send bundles' link and comment in update answers (to plugins from 5.35 / 6.35 / 7.35 / 8.35), or stop.")
        Boolean exposeMetadata;

        @Option(
                names = "--default-key-id",
                paramLabel = "KEY_ID",
                description =
                        "The key_id whose variant devices with an unknown key get ('updraft key create' prints it); 'none': the release's first.")
        String defaultKeyId;

        @Mixin
        DownloadUrlOptions downloadUrls;

        @Override
        protected void run() {
            String appId = appId(appIdArg);
            ObjectNode body = Json.object();
            if (defaultKeyId != null) {
                if (!defaultKeyId.equals("none") && !defaultKeyId.matches("[A-Za-z0-9+/]{20}")) {
                    throw CliException.usage(
                            "invalid_key_id",
                            "--default-key-id must be a key_id (20 characters, as 'updraft key create' prints it) or none");
                }
                body.put("default_key_id", defaultKeyId.equals("none") ? "" : defaultKeyId);
            }
            if (name != null) {
                body.put("name", name);
            }
            if (exposeMetadata != null) {
                body.put("expose_metadata", exposeMetadata);
            }
            downloadUrls.addTo(body);
            if (body.isEmpty()) {
                throw CliException.usage(
                        "nothing_to_set",
                        "nothing to change: pass --name, --[no-]expose-metadata, --default-key-id, --download-url-mode or --presigned-url-ttl (see updraft app set --help)");
            }
            JsonNode app = client().patch(appPath(appId), body);
            say("App " + appId + " updated: metadata "
                    + (app.path("expose_metadata").asBoolean() ? "exposed" : "not exposed") + ", default key "
                    + (app.path("default_key_id").isTextual()
                            ? app.get("default_key_id").asText()
                            : "none (first variant)")
                    + (app.hasNonNull("download_url_mode")
                            ? "; download URLs " + app.get("download_url_mode").asText()
                                    + ("presigned"
                                                    .equals(app.get("download_url_mode")
                                                            .asText())
                                            ? " for "
                                                    + app.path("presigned_url_ttl_seconds")
                                                            .asLong() + " s"
                                            : "")
                            : ""));
            printJson(app);
        }
    }

    @Command(
            name = "list",
            aliases = "l",
            description = "List the apps on the server.",
            footerHeading = "%nExamples:%n",
            footer = {"  updraft app list", "  updraft app list --json"})
    public static final class ListApps extends AdminCommand {
        @Mixin
        ListOptions listing;

        @Override
        protected void run() {
            JsonNode apps = list("apps", listing, "apps");
            printJson(apps);
            if (apps.isEmpty()) {
                say("No apps yet (updraft app add registers one)");
                return;
            }
            table(rows(new String[] {"APP_ID", "NAME", "CREATED"}, apps, a ->
                    new String[] {cell(a.get("app_id")), cell(a.get("name")), cell(a.get("created_at"))}));
        }
    }

    @Command(
            name = "delete",
            aliases = "d",
            description =
                    "Delete an app and everything the server holds for it: bundles, channels, overrides, devices, stats.",
            footerHeading = "%nExamples:%n",
            footer = {"  updraft app delete com.example.app"})
    public static final class Delete extends AdminCommand {
        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "APP_ID",
                description = "The app id (default: appId of capacitor.config.json).")
        String appIdArg;

        @Override
        protected void run() {
            String appId = appId(appIdArg);
            client().delete(appPath(appId));
            say("App " + appId + " deleted with its bundles, channels, overrides, devices and stats");
            printJson(Json.object().put("app_id", appId).put("deleted", true));
        }
    }
}
