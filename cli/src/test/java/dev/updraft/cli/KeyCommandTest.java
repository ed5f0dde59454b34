package dev.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.crypto.BundlePrivateKey;
import dev.updraft.crypto.BundlePublicKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyCommandTest {
    private static final String GOLDEN_PUB = Vectors.text("keys/.capgo_key_v2.pub");

    @TempDir
    Path dir;

    Cli cli;

    @BeforeEach
    void project() throws Exception {
        Vectors.copyProject(dir);
        cli = new Cli(dir);
    }

    /** The after-key-create vector with another public key in it: what Capgo would have written for that key. */
    private static String expectedConfigWith(String publicKeyPem) {
        String after = Vectors.text("project/capacitor.config.after-key-create.json");
        String escapedGolden = GOLDEN_PUB.replace("\n", "\\n");
        assertThat(after).contains(escapedGolden);
        return after.replace(escapedGolden, publicKeyPem.replace("\n", "\\n"));
    }

    @Test
    void createWritesAnOwnerOnlyPrivateKeyThePublicKeyAndTheConfigLikeCapgo() throws Exception {
        Cli.Result r = cli.run("key", "create");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path privateFile = dir.resolve(".capgo_key_v2");
        Path publicFile = dir.resolve(".capgo_key_v2.pub");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile)))
                .isEqualTo("rw-------");
        BundlePrivateKey privateKey = BundlePrivateKey.read(privateFile);
        String publicPem = Files.readString(publicFile);
        assertThat(publicPem).startsWith("-----BEGIN RSA PUBLIC KEY-----\n").endsWith("-----END RSA PUBLIC KEY-----\n");
        assertThat(BundlePublicKey.fromPem(publicPem)).isEqualTo(privateKey.publicKey());
        // byte for byte what Capgo wrote for its key, with this key instead: other fields, order, format all kept
        assertThat(Files.readString(dir.resolve("capacitor.config.json"))).isEqualTo(expectedConfigWith(publicPem));
        assertThat(r.out()).contains("key_id: " + privateKey.publicKey().keyId());
        assertThat(r.out() + r.err())
                .doesNotContain(Files.readString(privateFile)
                        .lines()
                        .skip(1)
                        .findFirst()
                        .orElseThrow());
    }

    @Test
    void createRefusesToOverwriteWithoutForceAndReplacesWithIt() throws Exception {
        assertThat(cli.run("key", "create").exitCode()).isZero();
        String firstPrivate = Files.readString(dir.resolve(".capgo_key_v2"));
        String firstConfig = Files.readString(dir.resolve("capacitor.config.json"));

        Cli.Result again = cli.run("key", "create");
        assertThat(again.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(again.err()).contains(".capgo_key_v2 already exists").contains("--force");
        assertThat(again.err().lines()).hasSize(1);
        assertThat(Files.readString(dir.resolve(".capgo_key_v2"))).isEqualTo(firstPrivate);
        assertThat(Files.readString(dir.resolve("capacitor.config.json"))).isEqualTo(firstConfig);

        Cli.Result forced = cli.run("key", "create", "--force");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        String secondPrivate = Files.readString(dir.resolve(".capgo_key_v2"));
        assertThat(secondPrivate).isNotEqualTo(firstPrivate);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(".capgo_key_v2"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("capacitor.config.json")))
                .isEqualTo(expectedConfigWith(
                        BundlePrivateKey.fromPem(secondPrivate).publicKey().toPem()));
    }

    @Test
    void createRefusesWhenOnlyThePublicKeyExists() throws Exception {
        Files.writeString(dir.resolve(".capgo_key_v2.pub"), GOLDEN_PUB);
        Cli.Result r = cli.run("key", "create");
        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains(".capgo_key_v2.pub already exists");
        assertThat(dir.resolve(".capgo_key_v2")).doesNotExist();
    }

    @Test
    void createInAnotherDirWithoutConfigWarnsAndPrintsCapgoStyleJson() throws Exception {
        Path other = Files.createDirectories(dir.resolve("keys-only"));
        Cli.Result r = cli.run("key", "create", "--dir", "keys-only", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(other.resolve(".capgo_key_v2")).exists();
        assertThat(other.resolve(".capgo_key_v2.pub")).exists();
        JsonNode json = r.json();
        assertThat(fieldNames(json)).containsExactly("privateKey", "publicKey", "config", "keyId");
        assertThat(json.get("config").isNull()).isTrue();
        assertThat(json.get("keyId").asText())
                .isEqualTo(
                        BundlePublicKey.read(other.resolve(".capgo_key_v2.pub")).keyId());
        assertThat(r.err()).contains("\"warning\":\"missing_config\"");
        // the project's own config was not touched
        assertThat(Files.readString(dir.resolve("capacitor.config.json")))
                .isEqualTo(Vectors.text("project/capacitor.config.before-key-create.json"));
    }

    @Test
    void createWarnsWhenGitignoreDoesNotListThePrivateKey() throws Exception {
        Files.writeString(dir.resolve(".gitignore"), "node_modules/\n");
        Cli.Result r = cli.run("key", "create");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).contains("warning: .gitignore does not list .capgo_key_v2");

        Files.writeString(dir.resolve(".gitignore"), "node_modules/\n.capgo_key_v2\n");
        assertThat(cli.run("key", "create", "--force").err()).doesNotContain(".gitignore");
    }

    @Test
    void createKeepsIndentationMissingNewlineAndKeyOrderOfAnyConfig() throws Exception {
        String config =
                "{\n    \"webDir\": \"dist\",\n    \"appId\": \"com.example.four\",\n    \"server\": {\"androidScheme\": \"https\", \"list\": [1, 2.50, {}], \"empty\": []},\n"
                        + "    \"plugins\": {\"SplashScreen\": {\"launchShowDuration\": 0}, \"CapacitorUpdater\": {\"privateKey\": \"old v1 key\", \"autoUpdate\": false}}\n}";
        Files.writeString(dir.resolve("capacitor.config.json"), config);

        Cli.Result r = cli.run("key", "create");

        // 2.50 becomes 2.5, as JSON.stringify (the Capgo CLI) writes it
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String pub = Files.readString(dir.resolve(".capgo_key_v2.pub")).replace("\n", "\\n");
        assertThat(Files.readString(dir.resolve("capacitor.config.json"))).isEqualTo("""
                {
                    "webDir": "dist",
                    "appId": "com.example.four",
                    "server": {
                        "androidScheme": "https",
                        "list": [
                            1,
                            2.5,
                            {}
                        ],
                        "empty": []
                    },
                    "plugins": {
                        "SplashScreen": {
                            "launchShowDuration": 0
                        },
                        "CapacitorUpdater": {
                            "autoUpdate": false,
                            "publicKey": "%s"
                        }
                    }
                }""".formatted(pub));
        assertThat(r.err()).contains("legacy v1 privateKey");
    }

    @Test
    void saveConvertsAnSpkiKeyToExactlyWhatCapgoWrites() throws Exception {
        Vectors.copy("keys/capgo_key_v2.spki.pem", dir, "public.pem");

        Cli.Result r = cli.run("key", "save", "--key", "public.pem");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.readString(dir.resolve("capacitor.config.json")))
                .isEqualTo(Vectors.text("project/capacitor.config.after-key-create.json"));
        assertThat(r.err()).contains("Converted the SPKI key");
        assertThat(r.out()).contains("key_id: " + Vectors.KEY_ID);
    }

    @Test
    void saveReadsCapgoKeyPubByDefaultAndKeyDataInline() throws Exception {
        Vectors.copy("keys/.capgo_key_v2.pub", dir, ".capgo_key_v2.pub");
        Cli.Result r = cli.run("key", "save", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json().get("converted").asBoolean()).isFalse();
        assertThat(Files.readString(dir.resolve("capacitor.config.json")))
                .isEqualTo(Vectors.text("project/capacitor.config.after-key-create.json"));

        Vectors.copyProject(dir);
        Cli.Result inline = cli.run("key", "save", "--key-data", Vectors.text("keys/capgo_key_v2.spki.pem"));
        assertThat(inline.exitCode()).as(inline.toString()).isZero();
        assertThat(Files.readString(dir.resolve("capacitor.config.json")))
                .isEqualTo(Vectors.text("project/capacitor.config.after-key-create.json"));
    }

    @Test
    void saveRefusesAPrivateKeyABadPemAndAMissingFile() throws Exception {
        Vectors.copy("keys/.capgo_key_v2", dir, "private.pem");
        Cli.Result privateKey = cli.run("key", "save", "--key", "private.pem");
        assertThat(privateKey.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(privateKey.err()).contains("this is a private key");

        Cli.Result garbage = cli.run("key", "save", "--key-data", "not a key", "--json");
        assertThat(garbage.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(fieldNames(garbage.errorJson())).containsExactly("error", "message");
        assertThat(garbage.errorJson().get("error").asText()).isEqualTo("bad_pem");
        assertThat(garbage.out()).isEmpty();

        Cli.Result missing = cli.run("key", "save", "--key", "nope.pub");
        assertThat(missing.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(missing.err()).contains("no public key at nope.pub");

        Cli.Result both = cli.run("key", "save", "--key", "a", "--key-data", "b");
        assertThat(both.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(both.err()).contains("mutually exclusive");

        assertThat(Files.readString(dir.resolve("capacitor.config.json")))
                .isEqualTo(Vectors.text("project/capacitor.config.before-key-create.json"));
    }

    @Test
    void saveRefusesToReplaceADifferentKeyWithoutForce() throws Exception {
        assertThat(cli.run("key", "create").exitCode()).isZero();
        Vectors.copy("keys/.capgo_key_v2.pub", dir, "golden.pub");

        Cli.Result refused = cli.run("key", "save", "--key", "golden.pub");
        assertThat(refused.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.err()).contains("already has a different publicKey").contains("--force");

        Cli.Result forced = cli.run("key", "save", "--key", "golden.pub", "--force");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(Files.readString(dir.resolve("capacitor.config.json")))
                .isEqualTo(Vectors.text("project/capacitor.config.after-key-create.json"));
    }

    @Test
    void saveWithoutAJsonConfigPrintsTheKeyToPasteAndFails() throws Exception {
        Files.delete(dir.resolve("capacitor.config.json"));
        Files.writeString(dir.resolve("capacitor.config.ts"), "export default {}");
        Vectors.copy("keys/.capgo_key_v2.pub", dir, ".capgo_key_v2.pub");

        Cli.Result r = cli.run("key", "save");
        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("capacitor.config.ts").contains("-----BEGIN RSA PUBLIC KEY-----");
    }

    @Test
    void aBrokenConfigFailsBeforeAnyKeyIsWritten() throws Exception {
        Files.writeString(dir.resolve("capacitor.config.json"), "{ \"appId\": ");
        Cli.Result r = cli.run("key", "create");
        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("is not valid JSON");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(dir.resolve(".capgo_key_v2")).doesNotExist();
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
