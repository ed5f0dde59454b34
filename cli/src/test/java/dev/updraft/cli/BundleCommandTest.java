package dev.updraft.cli;

import static dev.updraft.cli.KeyCommandTest.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.crypto.BundleChecksum;
import dev.updraft.crypto.BundlePrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCommandTest {
    private static final String ZIP = Vectors.APP_ID + "_1.0.1.zip";

    @TempDir
    Path dir;

    Cli cli;

    @BeforeEach
    void project() throws Exception {
        Vectors.copyProject(dir);
        cli = new Cli(dir);
    }

    @Test
    void keyCreateZipEncryptDecryptRoundTrip() throws Exception {
        assertThat(cli.run("key", "create").exitCode()).isZero();

        Cli.Result zip = cli.run("bundle", "zip", "--json");
        assertThat(zip.exitCode()).as(zip.toString()).isZero();
        JsonNode zipped = zip.json();
        assertThat(fieldNames(zipped)).containsExactly("bundle", "filename", "checksum");
        assertThat(zipped.get("bundle").asText()).isEqualTo("1.0.1"); // from package.json
        assertThat(zipped.get("filename").asText()).isEqualTo(ZIP); // appId from capacitor.config.json
        String checksum = zipped.get("checksum").asText();
        assertThat(checksum).isEqualTo(BundleChecksum.of(dir.resolve(ZIP)).hex());

        Cli.Result enc = cli.run("bundle", "encrypt", ZIP, checksum, "--json");
        assertThat(enc.exitCode()).as(enc.toString()).isZero();
        JsonNode encrypted = enc.json();
        assertThat(fieldNames(encrypted)).containsExactly("checksum", "filename", "ivSessionKey");
        assertThat(encrypted.get("filename").asText()).isEqualTo(ZIP + "_encrypted.zip");
        assertThat(encrypted.get("checksum").asText()).matches("[0-9a-f]{512}");
        assertThat(encrypted.get("ivSessionKey").asText()).hasSize(369).contains(":");
        assertThat(Files.size(dir.resolve(ZIP + "_encrypted.zip")))
                .isEqualTo((Files.size(dir.resolve(ZIP)) / 16 + 1) * 16);

        Cli.Result dec = cli.run(
                "bundle",
                "decrypt",
                ZIP + "_encrypted.zip",
                encrypted.get("ivSessionKey").asText(),
                "--checksum",
                encrypted.get("checksum").asText());
        assertThat(dec.exitCode()).as(dec.toString()).isZero();
        assertThat(dec.out())
                .contains("Decrypted zip file at " + ZIP + "_encrypted.zip_decrypted.zip")
                .contains("Checksum matches");
        assertThat(dir.resolve(ZIP + "_encrypted.zip_decrypted.zip")).hasSameBinaryContentAs(dir.resolve(ZIP));
    }

    @Test
    void humanOutputCarriesTheValuesUnderCapgosLabels() throws Exception {
        assertThat(cli.run("key", "create").exitCode()).isZero();
        Cli.Result zip = cli.run("bundle", "zip", Vectors.APP_ID, "--path", "www", "--bundle", "1.0.1");
        assertThat(zip.exitCode()).isZero();
        String checksum = BundleChecksum.of(dir.resolve(ZIP)).hex();
        assertThat(zip.out()).contains("Checksum SHA256: " + checksum).contains("Saved to " + ZIP);

        Cli.Result enc = cli.run("bundle", "encrypt", ZIP, checksum);
        assertThat(enc.exitCode()).isZero();
        assertThat(enc.out())
                .containsPattern("Encoded Checksum: [0-9a-f]{512}\n")
                .containsPattern("ivSessionKey: [A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]{344}\n")
                .contains("Encrypted zip saved at " + ZIP + "_encrypted.zip");
    }

    @Test
    void theGoldenCapgoBundleDecryptsAndItsChecksumVerifies() throws Exception {
        Vectors.copy("bundle/" + ZIP + "_encrypted.zip", dir, ZIP + "_encrypted.zip");
        Vectors.copy(
                "keys/.capgo_key_v2.pub",
                dir,
                ".capgo_key_v2.pub"); // the config has no publicKey: the .pub file is used

        Cli.Result r = cli.run(
                "bundle",
                "decrypt",
                ZIP + "_encrypted.zip",
                Vectors.IV_SESSION_KEY,
                "--checksum",
                Vectors.ENCRYPTED_CHECKSUM,
                "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json().get("checksum").asText()).isEqualTo(Vectors.PLAIN_SHA256);
        assertThat(r.json().get("checksumMatches").asBoolean()).isTrue();
        assertThat(r.json().get("filename").asText()).isEqualTo(ZIP + "_encrypted.zip_decrypted.zip");
        assertThat(dir.resolve(ZIP + "_encrypted.zip_decrypted.zip"))
                .hasSameBinaryContentAs(Vectors.file("bundle/" + ZIP));
    }

    @Test
    void theGoldenBundleDecryptsWithKeyFromConfigOrFlagAndAPlainChecksum() throws Exception {
        Vectors.copy("bundle/" + ZIP + "_encrypted.zip", dir, "enc.zip");
        Files.copy(
                Vectors.file("project/capacitor.config.after-key-create.json"),
                dir.resolve("capacitor.config.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Cli.Result fromConfig =
                cli.run("bundle", "decrypt", "enc.zip", Vectors.IV_SESSION_KEY, "--checksum", Vectors.PLAIN_SHA256);
        assertThat(fromConfig.exitCode()).as(fromConfig.toString()).isZero();
        assertThat(dir.resolve("enc.zip_decrypted.zip")).hasSameBinaryContentAs(Vectors.file("bundle/" + ZIP));

        Files.delete(dir.resolve("capacitor.config.json"));
        Files.delete(dir.resolve("enc.zip_decrypted.zip"));
        Vectors.copy("keys/capgo_key_v2.spki.pem", dir, "keys/app.pem");
        Cli.Result fromFlag = cli.run("bundle", "decrypt", "enc.zip", Vectors.IV_SESSION_KEY, "--key", "keys/app.pem");
        assertThat(fromFlag.exitCode()).as(fromFlag.toString()).isZero();
        assertThat(fromFlag.out()).contains("Checksum SHA256: " + Vectors.PLAIN_SHA256);
        assertThat(dir.resolve("enc.zip_decrypted.zip")).hasSameBinaryContentAs(Vectors.file("bundle/" + ZIP));
    }

    @Test
    void aWrongChecksumFailsTheDecryptAndWritesNothing() throws Exception {
        Vectors.copy("bundle/" + ZIP + "_encrypted.zip", dir, "enc.zip");
        Vectors.copy("keys/.capgo_key_v2.pub", dir, ".capgo_key_v2.pub");
        Vectors.copy("keys/.capgo_key_v2", dir, ".capgo_key_v2");
        String otherPlain = "0".repeat(64);
        String otherSigned = BundleChecksum.parse(otherPlain)
                .sign(BundlePrivateKey.read(dir.resolve(".capgo_key_v2")))
                .hex();

        Cli.Result signedMismatch =
                cli.run("bundle", "decrypt", "enc.zip", Vectors.IV_SESSION_KEY, "--checksum", otherSigned);
        assertThat(signedMismatch.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(signedMismatch.err()).startsWith("error: checksum mismatch").contains(Vectors.PLAIN_SHA256);
        assertThat(dir.resolve("enc.zip_decrypted.zip")).doesNotExist();

        Cli.Result plainMismatch =
                cli.run("bundle", "decrypt", "enc.zip", Vectors.IV_SESSION_KEY, "--checksum", otherPlain, "--json");
        assertThat(plainMismatch.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(plainMismatch.errorJson().get("error").asText()).isEqualTo("checksum_mismatch");
        assertThat(dir.resolve("enc.zip_decrypted.zip")).doesNotExist();

        String tampered =
                (Vectors.ENCRYPTED_CHECKSUM.charAt(0) == '3' ? "4" : "3") + Vectors.ENCRYPTED_CHECKSUM.substring(1);
        Cli.Result forged = cli.run("bundle", "decrypt", "enc.zip", Vectors.IV_SESSION_KEY, "--checksum", tampered);
        assertThat(forged.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(forged.err()).contains("not signed by the private key");
        assertThat(dir.resolve("enc.zip_decrypted.zip")).doesNotExist();
    }

    @Test
    void decryptingAPlainZipSaysSoAndWritesNothing() throws Exception {
        Vectors.copy("bundle/" + ZIP, dir, "plain.zip"); // the zip itself, given where the encrypted file belongs
        Vectors.copy("keys/.capgo_key_v2.pub", dir, ".capgo_key_v2.pub");
        Cli.Result r = cli.run("bundle", "decrypt", "plain.zip", Vectors.IV_SESSION_KEY, "--json");
        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(r.errorJson().get("error").asText()).isEqualTo("not_encrypted");
        assertThat(r.errorJson().get("message").asText())
                .contains("plain zip, not an encrypted bundle")
                .doesNotContain("truncated");
        assertThat(dir.resolve("plain.zip_decrypted.zip")).doesNotExist();
    }

    @Test
    void decryptErrors() throws Exception {
        Vectors.copy("bundle/" + ZIP + "_encrypted.zip", dir, "enc.zip");

        Cli.Result noKey = cli.run("bundle", "decrypt", "enc.zip", Vectors.IV_SESSION_KEY, "--json");
        assertThat(noKey.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(noKey.errorJson().get("error").asText()).isEqualTo("missing_public_key");

        Vectors.copy("keys/.capgo_key_v2.pub", dir, ".capgo_key_v2.pub");
        Cli.Result noZip = cli.run("bundle", "decrypt", "missing.zip", Vectors.IV_SESSION_KEY, "--json");
        assertThat(noZip.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(noZip.errorJson().get("error").asText()).isEqualTo("zip_not_found");

        Cli.Result malformed = cli.run("bundle", "decrypt", "enc.zip", "no-colon-here");
        assertThat(malformed.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(malformed.err()).contains("the session key has no ':'");

        Cli.Result privateAsPublic = cli.run(
                "bundle",
                "decrypt",
                "enc.zip",
                Vectors.IV_SESSION_KEY,
                "--key-data",
                Vectors.text("keys/.capgo_key_v2"));
        assertThat(privateAsPublic.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(privateAsPublic.err()).contains("this is a private key");

        Cli.Result missingDir = cli.run("key", "create", "--dir", "other");
        assertThat(missingDir.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(missingDir.err()).contains("does not exist");
        Files.createDirectory(dir.resolve("other"));
        assertThat(cli.run("key", "create", "--dir", "other").exitCode()).isZero();
        Cli.Result otherKey = cli.run(
                "bundle", "decrypt", "enc.zip", Vectors.IV_SESSION_KEY, "--key", "other/.capgo_key_v2.pub", "--json");
        assertThat(otherKey.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(otherKey.errorJson().get("error").asText()).isEqualTo("session_key_wrong_key");
        assertThat(dir.resolve("enc.zip_decrypted.zip")).doesNotExist();
    }

    @Test
    void encryptingTheGoldenZipWithTheGoldenKeyGivesCapgosExactChecksum() throws Exception {
        Vectors.copy("bundle/" + ZIP, dir, ZIP);
        Vectors.copy("keys/.capgo_key_v2", dir, ".capgo_key_v2");

        Cli.Result r = cli.run("bundle", "encrypt", ZIP, Vectors.PLAIN_SHA256, "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json().get("checksum").asText())
                .isEqualTo(Vectors.ENCRYPTED_CHECKSUM); // RSA type-1 padding is deterministic
        assertThat(Files.size(dir.resolve(ZIP + "_encrypted.zip"))).isEqualTo(2096);
        // like Capgo, the public key is written into a config that lacks it
        assertThat(Files.readString(dir.resolve("capacitor.config.json")))
                .isEqualTo(Vectors.text("project/capacitor.config.after-key-create.json"));
    }

    @Test
    void encryptRefusesAChecksumThatIsNotTheZipsAndWritesNothing() throws Exception {
        Vectors.copy("bundle/" + ZIP, dir, ZIP);
        Vectors.copy("keys/.capgo_key_v2", dir, ".capgo_key_v2");

        Cli.Result r = cli.run("bundle", "encrypt", ZIP, "a".repeat(64), "--json");

        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(r.out()).isEmpty();
        assertThat(fieldNames(r.errorJson())).containsExactly("error", "message");
        assertThat(r.errorJson().get("error").asText()).isEqualTo("checksum_mismatch");
        assertThat(r.errorJson().get("message").asText()).contains(Vectors.PLAIN_SHA256);
        assertThat(dir.resolve(ZIP + "_encrypted.zip")).doesNotExist();
    }

    @Test
    void encryptErrors() throws Exception {
        Vectors.copy("bundle/" + ZIP, dir, ZIP);

        Cli.Result noKey = cli.run("bundle", "encrypt", ZIP, Vectors.PLAIN_SHA256, "--json");
        assertThat(noKey.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(noKey.errorJson().get("error").asText()).isEqualTo("missing_key");
        assertThat(noKey.errorJson().get("message").asText()).contains("updraft key create");

        Vectors.copy("keys/.capgo_key_v2.pub", dir, ".capgo_key_v2");
        Cli.Result publicAsPrivate = cli.run("bundle", "encrypt", ZIP, Vectors.PLAIN_SHA256, "--json");
        assertThat(publicAsPrivate.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(publicAsPrivate.errorJson().get("error").asText()).isEqualTo("invalid_private_key");
        assertThat(publicAsPrivate.errorJson().get("message").asText()).contains("this is a public key");

        Files.writeString(
                dir.resolve("bad.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        Cli.Result badPem = cli.run("bundle", "encrypt", ZIP, Vectors.PLAIN_SHA256, "--key", "bad.pem");
        assertThat(badPem.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(badPem.err()).startsWith("error: bad.pem: ").doesNotContain("Exception");

        Cli.Result noZip = cli.run("bundle", "encrypt", "nope.zip", Vectors.PLAIN_SHA256, "--json");
        assertThat(noZip.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(noZip.errorJson().get("error").asText()).isEqualTo("zip_not_found");

        Cli.Result crc = cli.run("bundle", "encrypt", ZIP, "deadbeef");
        assertThat(crc.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(crc.err()).contains("64 hex digits").contains("CRC32");

        Cli.Result missingArg = cli.run("bundle", "encrypt", ZIP);
        assertThat(missingArg.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(missingArg.err())
                .contains("Missing required parameter: 'CHECKSUM'")
                .contains("(see 'updraft bundle encrypt --help')");
        assertThat(missingArg.err().lines()).as("the reason once, on one line").hasSize(1);
    }

    @Test
    void encryptRefusesWhatIsNotABundleZipAndWritesNothing() throws Exception {
        Vectors.copy("keys/.capgo_key_v2", dir, ".capgo_key_v2");
        byte[] random = new byte[4096];
        new java.util.Random(9).nextBytes(random);
        Files.write(dir.resolve("random.zip"), random);
        Cli.Result notAZip = cli.run(
                "bundle",
                "encrypt",
                "random.zip",
                BundleChecksum.of(dir.resolve("random.zip")).hex(),
                "--json");
        assertThat(notAZip.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(notAZip.errorJson().get("error").asText()).isEqualTo("not_a_zip");
        assertThat(notAZip.errorJson().get("message").asText()).startsWith("not a zip file");
        assertThat(dir.resolve("random.zip_encrypted.zip")).doesNotExist();

        Path noIndex = dir.resolve("no-index.zip");
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(noIndex))) {
            out.putNextEntry(new java.util.zip.ZipEntry("site/index.html"));
            out.putNextEntry(new java.util.zip.ZipEntry("other/app.js"));
        }
        Cli.Result nested = cli.run(
                "bundle", "encrypt", "no-index.zip", BundleChecksum.of(noIndex).hex());
        assertThat(nested.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(nested.err())
                .isEqualTo(
                        "error: index.html is neither at the root nor in a single top-level folder: devices cannot start this bundle (set_fail)\n");
        assertThat(dir.resolve("no-index.zip_encrypted.zip")).doesNotExist();
        assertThat(cli.run("bundle", "encrypt", ZIP + ".missing", Vectors.PLAIN_SHA256)
                        .exitCode())
                .isEqualTo(ExitCode.FAILED);
    }

    @Test
    void aZipCorruptPastItsStartIsRefusedAsBeforeWhileTheEncryptionRunsBesideTheCheck() throws Exception {
        Vectors.copy("keys/.capgo_key_v2", dir, ".capgo_key_v2");
        String config = Files.readString(dir.resolve("capacitor.config.json"));
        Path corrupt = dir.resolve("corrupt.zip");
        byte[] data = new byte[2 << 20];
        new java.util.Random(3).nextBytes(data);
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(corrupt))) {
            out.setMethod(java.util.zip.ZipOutputStream.STORED);
            for (String name : new String[] {"index.html", "a.bin", "b.bin"}) {
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(data);
                java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry(name);
                entry.setSize(data.length);
                entry.setCrc(crc.getValue());
                out.putNextEntry(entry);
                out.write(data);
            }
        }
        byte[] bytes = Files.readAllBytes(corrupt);
        bytes[bytes.length - (1 << 20)] ^= 1; // inside the last entry: its CRC no longer matches
        Files.write(corrupt, bytes);
        String sha = BundleChecksum.of(corrupt).hex();

        Cli.Result r = cli.run("bundle", "encrypt", "corrupt.zip", sha, "--json");
        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(r.out()).isEmpty();
        assertThat(r.errorJson().get("error").asText()).isEqualTo("not_a_zip");
        assertThat(r.errorJson().get("message").asText()).contains("CRC");
        // the layout's verdict comes first, as when the check ran before the encryption
        Cli.Result wrongSum = cli.run("bundle", "encrypt", "corrupt.zip", "a".repeat(64), "--json");
        assertThat(wrongSum.errorJson().get("error").asText()).isEqualTo("not_a_zip");
        Files.writeString(dir.resolve("bad.pem"), "not a key");
        Cli.Result badKey = cli.run("bundle", "encrypt", "corrupt.zip", sha, "--key", "bad.pem", "--json");
        assertThat(badKey.errorJson().get("error").asText()).isEqualTo("not_a_zip");

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("no output, no temporary file")
                    .noneMatch(n -> n.contains("encrypted") || n.endsWith(".tmp"));
        }
        assertThat(Files.readString(dir.resolve("capacitor.config.json")))
                .as("a refused bundle leaves the config as it was")
                .isEqualTo(config);
    }

    @Test
    void encryptWarnsWhenTheConfiguredPublicKeyIsAnotherOne() throws Exception {
        Vectors.copy("bundle/" + ZIP, dir, ZIP);
        assertThat(cli.run("key", "create").exitCode()).isZero(); // config gets this new key
        Vectors.copy("keys/.capgo_key_v2", dir, "golden.key");

        Cli.Result r = cli.run("bundle", "encrypt", ZIP, Vectors.PLAIN_SHA256, "--key", "golden.key");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).contains("does not match this private key (key_id " + Vectors.KEY_ID + ")");
    }

    @Test
    void reproducibleZipsHaveTheSameChecksumWhateverTheTimestamps() throws Exception {
        Cli.Result first = cli.run("bundle", "zip", "--reproducible", "--name", "a.zip", "--json");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        try (Stream<Path> files = Files.walk(dir.resolve("www"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2031-05-06T07:08:09Z")));
            }
        }
        Cli.Result second = cli.run("bundle", "zip", "--reproducible", "--name", "b.zip", "--json");
        assertThat(second.exitCode()).isZero();
        assertThat(second.json().get("checksum").asText())
                .isEqualTo(first.json().get("checksum").asText());
        assertThat(dir.resolve("a.zip")).hasSameBinaryContentAs(dir.resolve("b.zip"));
        assertThat(first.json().get("filename").asText()).isEqualTo("a.zip");
    }

    @Test
    void zipRefusesBadVersionsAndBuildFoldersWithCapgosCodes() throws Exception {
        Cli.Result semver = cli.run("bundle", "zip", "--bundle", "1.0", "--json");
        assertThat(semver.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(semver.errorJson().get("error").asText()).isEqualTo("invalid_bundle_version");

        Files.writeString(dir.resolve("www/js/app.js"), "console.log('no ready call')");
        Cli.Result notify = cli.run("bundle", "zip", "--json");
        assertThat(notify.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(notify.errorJson().get("error").asText()).isEqualTo("notifyAppReady_not_in_source_code");
        assertThat(cli.run("bundle", "zip", "--no-code-check").exitCode()).isZero();

        Files.delete(dir.resolve("www/index.html"));
        Cli.Result index = cli.run("bundle", "zip", "--bundle", "1.0.2");
        assertThat(index.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(index.err()).contains("index.html is not at the root");
        assertThat(dir.resolve(Vectors.APP_ID + "_1.0.2.zip")).doesNotExist();

        Cli.Result noFolder = cli.run("bundle", "zip", "--path", "dist");
        assertThat(noFolder.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(noFolder.err()).contains("the build folder dist does not exist");
    }

    @Test
    void zipWithoutConfigNeedsTheAppIdAndPath() throws Exception {
        Files.delete(dir.resolve("capacitor.config.json"));
        Files.delete(dir.resolve("package.json"));
        Cli.Result noApp = cli.run("bundle", "zip", "--path", "www", "--bundle", "2.0.0");
        assertThat(noApp.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noApp.err()).contains("no app id");

        Cli.Result noVersion = cli.run("bundle", "zip", "com.example.x", "--path", "www");
        assertThat(noVersion.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noVersion.err()).contains("no bundle version");

        Cli.Result ok = cli.run("bundle", "zip", "com.example.x", "--path", "www", "--bundle", "2.0.0-beta.1");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(dir.resolve("com.example.x_2.0.0-beta.1.zip")).exists();
    }

    @Test
    void capgosOlderSpellingsWork() throws Exception {
        Vectors.copy("bundle/" + ZIP, dir, ZIP);
        Vectors.copy("keys/.capgo_key_v2", dir, ".capgo_key_v2");
        assertThat(cli.run("bundle", "zip", Vectors.APP_ID, "--key-v2", "--json", "--name", "k.zip")
                        .exitCode())
                .isZero();
        Cli.Result enc = cli.run("encrypt", ZIP, Vectors.PLAIN_SHA256, "--json");
        assertThat(enc.exitCode()).as(enc.toString()).isZero();
        assertThat(enc.json().get("checksum").asText()).isEqualTo(Vectors.ENCRYPTED_CHECKSUM);
    }
}
