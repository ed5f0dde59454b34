package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.crypto.BundleChecksum;
import dev.updraft.sim.BundleInfo;
import dev.updraft.sim.BundleStatus;
import dev.updraft.sim.SimulatedDevice;
import dev.updraft.sim.store.RequestRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Publishing never destroys what is live, across real processes: the packaged CLI, the packaged server, the mock
 * store, a simulated device. A refused re-upload leaves the stored object byte for byte as it was, and devices keep
 * installing the original.
 */
class PublishSafetyTest extends EndToEnd {

    private static List<RequestRecord> puts(String path) {
        return store.requests(path).stream()
                .filter(r -> r.method().equals("PUT"))
                .toList();
    }

    @Test
    void aRefusedReuploadLeavesTheLiveBundleByteIdenticalAndDevicesStillInstallIt() throws Exception {
        SampleProject p = project("dev.updraft.it.publish");
        p.keyCreate();
        SampleProject.Release first = p.release("1.0.1", p.www(), true, true);
        String firstPlainSha =
                BundleChecksum.of(p.dir().resolve(p.appId() + "_1.0.1.zip")).hex();
        String url = storeUrl(p, first);
        String objectPath = "/" + p.appId() + "/" + first.file().getFileName();
        Path stored = store.dir().resolve(objectPath.substring(1));
        publish(p, first, "production");
        String liveSha = BundleChecksum.of(stored).hex();
        assertThat(liveSha).isEqualTo(BundleChecksum.of(first.file()).hex());
        assertThat(puts(objectPath)).hasSize(1);

        // 1.0.1 again, other content, same URL: the server refuses before a byte goes to the store.
        Path other = p.variant("www-other", "other content", true);
        SampleProject.Release again = p.release("1.0.1", other, true, true);
        assertThat(again.file()).isEqualTo(first.file()); // the same file name, so the same URL
        assertThat(BundleChecksum.of(again.file()).hex()).isNotEqualTo(liveSha);
        CliRunner.Result refused = p.cli()
                .run(
                        "bundle",
                        "upload",
                        p.appId(),
                        "--bundle",
                        "1.0.1",
                        "--external",
                        url,
                        "--upload-file",
                        again.file().toString(),
                        "--upload-token",
                        UPLOAD_TOKEN,
                        "--iv-session-key",
                        again.ivSessionKey(),
                        "--encrypted-checksum",
                        again.checksum());
        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(3);
        assertThat(refused.stderr())
                .contains("already exists with other content")
                .contains("nothing was uploaded to the store");
        assertThat(BundleChecksum.of(stored).hex()).isEqualTo(liveSha);
        assertThat(puts(objectPath)).hasSize(1);

        // The same other bytes as a new version, pointed at the live URL: the store's object is compared, not replaced.
        CliRunner.Result overwrite = p.cli()
                .run(
                        "bundle",
                        "upload",
                        p.appId(),
                        "--bundle",
                        "1.0.2",
                        "--external",
                        url,
                        "--upload-file",
                        again.file().toString(),
                        "--upload-token",
                        UPLOAD_TOKEN,
                        "--iv-session-key",
                        again.ivSessionKey(),
                        "--encrypted-checksum",
                        again.checksum(),
                        "--json");
        assertThat(overwrite.exitCode()).as(overwrite.stderr()).isEqualTo(3);
        assertThat(lastLine(overwrite.stderr())).contains("\"error\":\"store_object_exists\"");
        assertThat(BundleChecksum.of(stored).hex()).isEqualTo(liveSha);
        assertThat(puts(objectPath)).hasSize(1);
        assertThat(p.json("bundle", "list", p.appId()))
                .extracting(b -> b.path("version").asText())
                .containsExactly("1.0.1");

        // A new device installs the original 1.0.1, decrypted and verified.
        SimulatedDevice d = device(p.appId(), p.publicKeyFile());
        launchAndApply(d);
        assertThat(d.currentBundle())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.1", BundleStatus.SUCCESS);
        assertThat(d.currentBundle().checksum()).isEqualTo(firstPlainSha);
        assertThat(d.sentActions()).doesNotContain("download_fail", "checksum_fail");
    }

    @Test
    void contentAddressedUploadsNeverCollideAndAnIdenticalRetryIsFine() throws Exception {
        SampleProject p = project("dev.updraft.it.addressed");
        p.keyCreate();
        SampleProject.Release r = p.release("1.0.1", p.www(), true, true);
        List<String> args = new ArrayList<>(List.of(
                "bundle",
                "upload",
                p.appId(),
                "--bundle",
                "1.0.1",
                "--upload-to",
                store.url("/cas/"),
                "--upload-file",
                r.file().toString(),
                "--upload-token",
                UPLOAD_TOKEN,
                "--iv-session-key",
                r.ivSessionKey(),
                "--encrypted-checksum",
                r.checksum()));

        JsonNode published = p.json(args.toArray(String[]::new));
        String sha = BundleChecksum.of(r.file()).hex();
        assertThat(published.path("external_url").asText())
                .isEqualTo(store.url("/cas/" + p.appId() + "/" + sha + ".zip"));
        assertThat(published.path("upload").asText()).isEqualTo("created");
        assertThat(published.path("bundle_created").asBoolean()).isTrue();
        assertThat(published.path("channel_created").asBoolean()).isTrue();
        assertThat(published.path("channel_public").asBoolean()).isTrue();
        assertThat(Files.readAllBytes(store.dir().resolve("cas/" + p.appId() + "/" + sha + ".zip")))
                .isEqualTo(Files.readAllBytes(r.file()));

        JsonNode retry = p.json(args.toArray(String[]::new)); // e.g. after a timeout: nothing changes, nothing fails
        assertThat(retry.path("upload").asText()).isEqualTo("identical");
        assertThat(retry.path("bundle_created").asBoolean()).isFalse();
        assertThat(puts("/cas/" + p.appId() + "/" + sha + ".zip")).hasSize(1);

        SimulatedDevice d = device(p.appId(), p.publicKeyFile());
        launchAndApply(d);
        assertThat(d.currentBundle())
                .extracting(BundleInfo::version, BundleInfo::status)
                .containsExactly("1.0.1", BundleStatus.SUCCESS);
    }

    @Test
    void badIdentifiersAndFilesThatAreNotBundlesAreRefusedByTheCliAndTheServerKeepsEverything() throws Exception {
        SampleProject p = encryptedApp("dev.updraft.it.edge", "1.0.1");
        CliRunner.Result dots = p.cli().run("bundle", "delete", "..", p.appId());
        assertThat(dots.exitCode()).as(dots.stderr()).isEqualTo(2);
        assertThat(dots.stderr()).startsWith("error: VERSION: the bundle version must be");
        assertThat(admin("/api/v1/apps/" + p.appId()).path("app_id").asText()).isEqualTo(p.appId());
        assertThat(admin("/api/v1/apps/" + p.appId() + "/bundles/1.0.1")
                        .path("version")
                        .asText())
                .isEqualTo("1.0.1");

        Path notAZip = p.dir().resolve("notes.txt");
        Files.writeString(notAZip, "release notes, not a bundle");
        CliRunner.Result encrypt = p.cli()
                .run(
                        "bundle",
                        "encrypt",
                        notAZip.toString(),
                        BundleChecksum.of(notAZip).hex());
        assertThat(encrypt.exitCode()).isEqualTo(1);
        assertThat(encrypt.stderr()).startsWith("error: not a zip file");
        assertThat(p.dir().resolve("notes.txt_encrypted.zip")).doesNotExist();
    }

    private static String lastLine(String text) {
        return text.lines().reduce((a, b) -> b).orElse("");
    }
}
