package dev.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged, shaded jar as a real process: {@code java -jar target/updraft-cli.jar ...}. */
class JarIT {
    private static final Path JAR = Path.of(System.getProperty("updraft.cli.jar", "target/updraft-cli.jar"))
            .toAbsolutePath();
    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(out);
        }
    }

    @BeforeEach
    void project() throws Exception {
        assertThat(JAR).exists();
        Vectors.copyProject(dir);
    }

    private Run updraft(String... args) throws Exception {
        return java(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), args);
    }

    private Run java(List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("UPDRAFT_"));
        pb.environment().put("HOME", dir.resolve(".home").toString());
        Process process = pb.start();
        process.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("updraft " + String.join(" ", args) + " finished")
                .isTrue();
        return new Run(process.exitValue(), out.get(), err.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void helpAndVersion() throws Exception {
        Run help = updraft("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out())
                .contains("Usage: updraft")
                .contains("Exit codes:")
                .contains("bundle");
        Run version = updraft("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("updraft 0.1.0");
    }

    /**
     * The package phase recorded a class-data archive of this jar (StartupTraining), and the JVM maps it:
     * {@code -Xshare:on} makes a JVM that cannot map it stop with an error instead of starting without it.
     */
    @Test
    void thePackagedClassDataArchiveMapsAndHoldsTheCommandsClasses() throws Exception {
        Path archive = JAR.resolveSibling("updraft-cli.jsa");
        assertThat(archive).as("written by the package phase's training run").exists();
        Run help = java(
                List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info"), "bundle", "--help");
        assertThat(help.exitCode()).as(help.err()).isZero();
        assertThat(help.out())
                .contains("Usage: updraft bundle")
                .containsPattern("dev\\.updraft\\.cli\\.bundle\\.ZipCommand source: shared objects file \\(top\\)")
                // Picocli as Java 17 class files (the updraft-picocli module): its Java 5 jar is refused by the
                // archive.
                .containsPattern("picocli\\.CommandLine\\$Model\\$CommandSpec source: shared objects file \\(top\\)")
                .doesNotContainPattern("picocli\\.\\S+ source: file:");
    }

    @Test
    void theSeedFlowOfflineSteps() throws Exception {
        assertThat(updraft("key", "create").exitCode()).isZero();
        assertThat(Files.readString(dir.resolve("capacitor.config.json")))
                .contains("\"publicKey\": \"-----BEGIN RSA PUBLIC KEY-----\\n");

        Run zip = updraft("bundle", "zip", "--path", "www", "--bundle", "1.0.1", "--json");
        assertThat(zip.exitCode()).as(zip.err()).isZero();
        String file = zip.json().get("filename").asText();

        Run enc = updraft("bundle", "encrypt", file, zip.json().get("checksum").asText(), "--json");
        assertThat(enc.exitCode()).as(enc.err()).isZero();

        Run dec = updraft(
                "bundle",
                "decrypt",
                enc.json().get("filename").asText(),
                enc.json().get("ivSessionKey").asText(),
                "--checksum",
                enc.json().get("checksum").asText());
        assertThat(dec.exitCode()).as(dec.err()).isZero();
        assertThat(dir.resolve(file + "_encrypted.zip_decrypted.zip")).hasSameBinaryContentAs(dir.resolve(file));
    }

    @Test
    void theGoldenVectorDecryptsAndAWrongChecksumFailsWithOneLine() throws Exception {
        Vectors.copy("bundle/com.example.selfhosted_1.0.1.zip_encrypted.zip", dir, "golden.zip");
        Vectors.copy("keys/.capgo_key_v2.pub", dir, ".capgo_key_v2.pub");

        Run ok = updraft(
                "bundle", "decrypt", "golden.zip", Vectors.IV_SESSION_KEY, "--checksum", Vectors.ENCRYPTED_CHECKSUM);
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("Checksum matches").contains(Vectors.PLAIN_SHA256);

        Run wrong = updraft("bundle", "decrypt", "golden.zip", Vectors.IV_SESSION_KEY, "--checksum", "1".repeat(64));
        assertThat(wrong.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(wrong.err())
                .startsWith("error: checksum mismatch")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(wrong.err().lines()).hasSize(1);

        Run usage = updraft("bundle", "decrypt", "golden.zip");
        assertThat(usage.exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void talksToTheAdminApiAndReportsAnUnreachableServer() throws Exception {
        try (FakeAdminApi api = new FakeAdminApi()) {
            api.on(
                    "GET",
                    "/api/v1/apps",
                    200,
                    FakeAdminApi.page(
                            null,
                            "{\"app_id\":\"com.example.selfhosted\",\"name\":\"Vector\",\"created_at\":\"2025-01-01T00:00:00Z\"}"));
            Run list = updraft("app", "list", "--server", api.url(), "--apikey", FakeAdminApi.API_KEY, "--json");
            assertThat(list.exitCode()).as(list.err()).isZero();
            assertThat(list.json().get(0).get("app_id").asText()).isEqualTo("com.example.selfhosted");
            assertThat(api.request("GET /api/v1/apps").authorization()).isEqualTo("Bearer " + FakeAdminApi.API_KEY);
        }
        Run down = updraft("app", "list", "--server", "http://127.0.0.1:1", "--apikey", "k");
        assertThat(down.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(down.err()).startsWith("error: cannot reach the Updraft server");
    }

    @Test
    void theJarCarriesBrotliForEveryPlatformAndPublishesADelta() throws Exception {
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(JAR.toFile())) {
            for (String lib : List.of(
                    "lib/linux-x86_64/libbrotli.so",
                    "lib/linux-aarch64/libbrotli.so",
                    "lib/osx-x86_64/libbrotli.dylib",
                    "lib/osx-aarch64/libbrotli.dylib",
                    "lib/windows-x86_64/brotli.dll")) {
                assertThat(jar.getEntry(lib)).as(lib).isNotNull();
            }
        }
        try (FakeAdminApi api = new FakeAdminApi();
                FakeStore store = new FakeStore()) {
            api.on(
                    "POST",
                    "/api/v1/apps/" + Vectors.APP_ID + "/bundles",
                    200,
                    UploadCommandTest.published("1.0.1", true, "production", false, true, true));
            Run delta = updraft(
                    "bundle",
                    "upload",
                    "--bundle",
                    "1.0.1",
                    "--delta-only",
                    "--path",
                    "www",
                    "--upload-to",
                    store.url(),
                    "--server",
                    api.url(),
                    "--apikey",
                    FakeAdminApi.API_KEY,
                    "--json");
            assertThat(delta.exitCode()).as(delta.err()).isZero();
            assertThat(delta.err()).doesNotContain("brotli_unavailable");
            assertThat(delta.json().get("delta").get("compressed").asInt()).isEqualTo(1);
            assertThat(store.objects.keySet()).anyMatch(k -> k.endsWith("_assets/data/big.txt.br"));
        }
    }
}
