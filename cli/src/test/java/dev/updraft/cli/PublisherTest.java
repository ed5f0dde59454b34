package dev.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updraft.cli.admin.AdminClient;
import dev.updraft.cli.admin.Publisher;
import dev.updraft.cli.admin.ServerSettings;
import dev.updraft.crypto.BundlePublicKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Publisher} driven directly, without picocli: what a script or another tool embedding the CLI would do. */
class PublisherTest {
    private static final String APP = "/api/v1/apps/" + Vectors.APP_ID;

    @TempDir
    Path dir;

    FakeAdminApi api;
    final List<String> said = new ArrayList<>();
    Context ctx;

    @BeforeEach
    void start() throws Exception {
        api = new FakeAdminApi();
        ctx = new Context(
                dir,
                Map.of("UPDRAFT_SERVER", api.url(), "UPDRAFT_API_KEY", FakeAdminApi.API_KEY),
                new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()),
                false);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Publisher publisher() {
        return new Publisher(
                () -> new AdminClient(ServerSettings.resolve(ctx, new ServerSettings.Options())), output());
    }

    private Publisher.Output output() {
        return new Publisher.Output() {
            @Override
            public void say(String line) {
                said.add(line);
            }

            @Override
            public void note(String line) {
                said.add(line);
            }

            @Override
            public void warn(String code, String message) {
                said.add(code);
            }

            @Override
            public Progress progress(String label, long total) {
                return Progress.of(ctx, true, label, total);
            }
        };
    }

    private static Publisher.Request request(String appId, String version, String channel, String uploadTo, Path file)
            throws Exception {
        Keys.Located key = new Keys.Located(BundlePublicKey.read(Vectors.file("keys/.capgo_key_v2.pub")), "test");
        return new Publisher.Request(
                appId,
                version,
                channel,
                null,
                uploadTo,
                file,
                "t",
                Vectors.IV_SESSION_KEY,
                Vectors.ENCRYPTED_CHECKSUM,
                null,
                key,
                null,
                null,
                null,
                null,
                null);
    }

    @Test
    void itChecksIdentifiersItselfAndNeverMakesAClientForBadOnes() throws Exception {
        Path file = Vectors.copy("bundle/com.example.selfhosted_1.0.1.zip_encrypted.zip", dir, "enc.zip");
        Publisher noClient = new Publisher(
                () -> {
                    throw new AssertionError("a client was made for a request that must not be sent");
                },
                output());
        String[][] bad = {
            {"..", "1.0.1", "production"}, {Vectors.APP_ID, "../1", "production"}, {Vectors.APP_ID, "1.0.1", ".."}
        };
        for (String[] b : bad) {
            assertThatThrownBy(() -> noClient.publish(request(b[0], b[1], b[2], api.url() + "/store", file)))
                    .isInstanceOfSatisfying(
                            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
        }
        assertThat(api.requests).isEmpty();
    }

    @Test
    void aContentAddressedPublishReportsEachStep() throws Exception {
        Path file = Vectors.copy("bundle/com.example.selfhosted_1.0.1.zip_encrypted.zip", dir, "enc.zip");
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        String object = "/store/" + Vectors.APP_ID + "/" + sha + ".zip";
        api.on(
                        "POST",
                        APP + "/bundles",
                        200,
                        UploadCommandTest.published("1.0.1", true, "production", true, true, true))
                .on(
                        "POST",
                        APP + "/bundles",
                        201,
                        UploadCommandTest.published("1.0.1", true, "production", true, true, false))
                .on("HEAD", object, 404, null)
                .on("PUT", object, 201, null);

        Publisher.Result result =
                publisher().publish(request(Vectors.APP_ID, "1.0.1", "production", api.url() + "/store", file));

        assertThat(result.externalUrl()).isEqualTo(api.url() + object);
        assertThat(result.upload()).isEqualTo("created");
        assertThat(result.bundleCreated()).isTrue();
        assertThat(result.channelCreated()).isTrue();
        assertThat(result.channelPublic()).isTrue();
        assertThat(result.bundle().keyId()).isEqualTo(Vectors.KEY_ID);
        assertThat(said)
                .contains(
                        "insecure_url",
                        "Uploaded enc.zip (2.0 KiB) to " + api.url() + object,
                        "Channel production now serves 1.0.1");
        assertThat(api.routesCalled())
                .containsExactly(
                        "POST " + APP + "/bundles", "HEAD " + object, "PUT " + object, "POST " + APP + "/bundles");
    }
}
