package dev.updraft.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Capacitor project folder: its {@code capacitor.config.json} (app id, web dir, the updater's public key) and its
 * {@code package.json} (version). Editing the config keeps the rest of the file as it was: key order, values,
 * indentation and the final newline.
 */
public final class Project {
    public static final String CONFIG_FILE = "capacitor.config.json";
    public static final String PACKAGE_JSON = "package.json";
    public static final String PRIVATE_KEY_FILE = ".capgo_key_v2";
    public static final String PUBLIC_KEY_FILE = ".capgo_key_v2.pub";
    /** The next key of a rotation ('key create --rotate'), beside the current one until 'key delete_old'. */
    public static final String NEXT_PRIVATE_KEY_FILE = ".capgo_key_v2.next";

    public static final String NEXT_PUBLIC_KEY_FILE = ".capgo_key_v2.next.pub";
    private static final String[] OTHER_CONFIGS = {"capacitor.config.ts", "capacitor.config.js"};
    private static final Pattern FIRST_INDENT = Pattern.compile("\\n([ \\t]+)\\S");

    private final Path dir;

    public Project(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** The parsed {@code capacitor.config.json}, or null when the project has none. */
    public Config config() {
        Path file = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.failed("config_unreadable", "cannot read " + file + ": " + e.getMessage());
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw CliException.failed("invalid_config", file + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            throw CliException.failed("invalid_config", file + " does not hold a JSON object");
        }
        Matcher m = FIRST_INDENT.matcher(text);
        return new Config(file, object, m.find() ? m.group(1) : "  ", text.endsWith("\n"));
    }

    /** Why there is no JSON config, for messages: a TypeScript or JavaScript config is not edited automatically. */
    public String missingConfigHint() {
        for (String other : OTHER_CONFIGS) {
            if (Files.exists(dir.resolve(other))) {
                return "this project uses " + other
                        + ", which updraft does not edit: put the public key (updraft key save prints how) "
                        + "under plugins.CapacitorUpdater.publicKey yourself";
            }
        }
        return "there is no " + CONFIG_FILE + " in " + dir;
    }

    /** The {@code version} of {@code package.json}, or null when there is no such file or field. */
    public String packageVersion(Path packageJson) {
        Path file = packageJson == null ? dir.resolve(PACKAGE_JSON) : packageJson;
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode version = Json.MAPPER.readTree(file.toFile()).path("version");
            return version.isTextual() ? version.asText() : null;
        } catch (IOException e) {
            throw CliException.failed(
                    "invalid_package_json", "cannot read the version from " + file + ": " + e.getMessage());
        }
    }

    /** A {@code capacitor.config.json}, parsed, with what is needed to write it back the way it was written. */
    public static final class Config {
        private final Path file;
        private final ObjectNode root;
        private final String indent;
        private final boolean trailingNewline;

        Config(Path file, ObjectNode root, String indent, boolean trailingNewline) {
            this.file = file;
            this.root = root;
            this.indent = indent;
            this.trailingNewline = trailingNewline;
        }

        public Path file() {
            return file;
        }

        public String appId() {
            return text(root.path("appId"));
        }

        public String appName() {
            return text(root.path("appName"));
        }

        public String webDir() {
            return text(root.path("webDir"));
        }

        /** {@code plugins.CapacitorUpdater.publicKey}, or null. */
        public String publicKey() {
            return text(root.path("plugins").path("CapacitorUpdater").path("publicKey"));
        }

        /** {@code plugins.CapacitorUpdater.version}, or null. */
        public String updaterVersion() {
            return text(root.path("plugins").path("CapacitorUpdater").path("version"));
        }

        /**
         * Sets {@code plugins.CapacitorUpdater.publicKey} (creating the objects if needed) and removes a legacy v1
         * {@code privateKey} there, which plugin 8.x no longer reads.
         *
         * @return whether a legacy v1 private key was removed
         */
        public boolean setPublicKey(String pem) {
            ObjectNode plugins = child(root, "plugins");
            ObjectNode updater = child(plugins, "CapacitorUpdater");
            updater.put("publicKey", pem);
            return updater.remove("privateKey") != null;
        }

        /** Sets one string of {@code plugins.CapacitorUpdater} (creating the objects if needed). */
        public void setUpdaterSetting(String name, String value) {
            child(child(root, "plugins"), "CapacitorUpdater").put(name, value);
        }

        private static ObjectNode child(ObjectNode parent, String name) {
            JsonNode existing = parent.get(name);
            if (existing instanceof ObjectNode object) {
                return object;
            }
            if (existing != null && !existing.isNull()) {
                throw CliException.failed("invalid_config", "\"" + name + "\" in " + CONFIG_FILE + " is not an object");
            }
            return parent.putObject(name);
        }

        /** Writes the config back (atomically), in its own indentation and with its own final newline. */
        public void save() {
            String text = Json.pretty(root, indent) + (trailingNewline ? "\n" : "");
            try {
                Path tmp = Files.createTempFile(file.getParent(), ".capacitor.config-", ".tmp");
                try {
                    Files.writeString(tmp, text, StandardCharsets.UTF_8);
                    keepPermissions(tmp);
                    try {
                        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                throw CliException.failed("config_unwritable", "cannot write " + file + ": " + e.getMessage());
            }
        }

        /** The temp file is owner-only; the config keeps the permissions it had. */
        private void keepPermissions(Path tmp) throws IOException {
            try {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the new file gets the folder's defaults
            }
        }

        private static String text(JsonNode node) {
            return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
        }
    }
}
