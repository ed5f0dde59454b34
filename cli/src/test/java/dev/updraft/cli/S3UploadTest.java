package dev.updraft.cli;

import static dev.updraft.cli.UploadCommandTest.published;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.fixtures.S3Store;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bundle upload --s3-*} against a real S3 API (s3proxy on loopback, one per class) and the fake admin API: the
 * object lands at its content address and that URL is registered, after the server's dry run and before the
 * registration; an object with other bytes is never replaced; every failure of the store is one line and an exit code.
 */
class S3UploadTest {
    private static final String APP = "/api/v1/apps/" + Vectors.APP_ID;
    private static final String BUNDLES = "POST " + APP + "/bundles";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @TempDir
    static Path storeDir;

    static S3Store store;

    @TempDir
    Path dir;

    Cli cli;
    FakeAdminApi api;
    String bucket;
    String key;
    byte[] bundle;

    @BeforeAll
    static void startStore() throws Exception {
        store = S3Store.start(storeDir);
    }

    @AfterAll
    static void stopStore() throws Exception {
        store.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        Vectors.copyProject(dir);
        Files.copy(
                Vectors.file("project/capacitor.config.after-key-create.json"),
                dir.resolve("capacitor.config.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Vectors.copy("bundle/com.example.selfhosted_1.0.1.zip_encrypted.zip", dir, "enc.zip");
        bundle = Files.readAllBytes(dir.resolve("enc.zip"));
        key = Vectors.APP_ID + "/"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle)) + ".zip";
        bucket = "bundles-" + BUCKETS.incrementAndGet();
        store.createBucket(bucket);
        api = new FakeAdminApi();
        cli = new Cli(dir);
        cli.env.put("UPDRAFT_SERVER", api.url());
        cli.env.put("UPDRAFT_API_KEY", FakeAdminApi.API_KEY);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private String objectUrl() {
        return store.endpoint() + "/" + bucket + "/" + key;
    }

    private FakeAdminApi acceptsDryRunAndRegistration() {
        return api.on("POST", APP + "/bundles", 200, published("1.0.1", true, "production", true, true, true))
                .on("POST", APP + "/bundles", 201, published("1.0.1", true, "production", true, true, false));
    }

    private Cli.Result upload(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "bundle",
                "upload",
                "-b",
                "1.0.1",
                "--upload-file",
                "enc.zip",
                "--iv-session-key",
                Vectors.IV_SESSION_KEY,
                "--encrypted-checksum",
                Vectors.ENCRYPTED_CHECKSUM,
                "--s3-endpoint",
                store.endpoint().getHost(),
                "--s3-port",
                String.valueOf(store.port()),
                "--no-s3-ssl",
                "--s3-bucket-name",
                bucket));
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    /** The golden bundle to {@code bucketName} at {@code endpoint} (a URL), with the store's credentials. */
    private Cli.Result uploadTo(String endpoint, String bucketName) {
        return cli.run(
                "bundle",
                "upload",
                "-b",
                "1.0.1",
                "--upload-file",
                "enc.zip",
                "--iv-session-key",
                Vectors.IV_SESSION_KEY,
                "--encrypted-checksum",
                Vectors.ENCRYPTED_CHECKSUM,
                "--s3-endpoint",
                endpoint,
                "--s3-bucket-name",
                bucketName,
                "--s3-apikey",
                S3Store.ACCESS_KEY,
                "--s3-apisecret",
                S3Store.SECRET_KEY);
    }

    private static String lastLine(String text) {
        return text.lines().reduce((a, b) -> b).orElse("");
    }

    /** A failure is one error line (notes and warnings may come first), never a stack trace. */
    private static void assertOneLineError(Cli.Result r, int exitCode, String contains) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
        assertThat(lastLine(r.err())).startsWith("error: ").contains(contains);
        assertThat(r.err().lines().filter(l -> l.startsWith("error: ")))
                .as(r.err())
                .hasSize(1);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(S3Store.SECRET_KEY);
    }

    @Test
    void putsTheFileAtItsContentAddressAndRegistersThatUrl() throws Exception {
        acceptsDryRunAndRegistration();

        Cli.Result r = upload("--s3-apikey", S3Store.ACCESS_KEY, "--s3-apisecret", S3Store.SECRET_KEY, "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(store.get(bucket, key)).isEqualTo(bundle);
        assertThat(api.routesCalled()).containsExactly(BUNDLES, BUNDLES);
        assertThat(api.requests.get(0).body().get("dry_run").asBoolean()).isTrue();
        assertThat(api.requests.get(1).body().get("external_url").asText()).isEqualTo(objectUrl());
        JsonNode out = r.json();
        assertThat(out.get("external_url").asText()).isEqualTo(objectUrl());
        assertThat(out.get("upload").asText()).isEqualTo("created");
        assertThat(r.out() + r.err()).doesNotContain(S3Store.SECRET_KEY);

        // the same file again: the object is there with exactly these bytes, so it is not sent again
        acceptsDryRunAndRegistration();
        Cli.Result again = upload("--s3-apikey", S3Store.ACCESS_KEY, "--s3-apisecret", S3Store.SECRET_KEY);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains(objectUrl() + " already holds exactly this file; not uploaded again");
        assertThat(store.count(bucket)).isEqualTo(1);
    }

    @Test
    void externalNamesTheCdnInFrontOfTheBucket() {
        acceptsDryRunAndRegistration();
        String cdn = "https://cdn.example.com/" + key;

        Cli.Result r = upload(
                "--external", cdn, "--s3-apikey", S3Store.ACCESS_KEY, "--s3-apisecret", S3Store.SECRET_KEY, "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(store.get(bucket, key)).isEqualTo(bundle);
        assertThat(api.requests.get(1).body().get("external_url").asText()).isEqualTo(cdn);
    }

    @Test
    void credentialsComeFromTheAwsChainWithoutTheFlags() {
        acceptsDryRunAndRegistration();
        // the chain's first provider reads these system properties (then AWS_ACCESS_KEY_ID, ~/.aws, ...)
        System.setProperty("aws.accessKeyId", S3Store.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3Store.SECRET_KEY);
        try {
            Cli.Result r = upload();
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(store.get(bucket, key)).isEqualTo(bundle);
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    void anObjectWithOtherBytesAtTheKeyIsNeverReplaced() {
        byte[] planted = "someone else's bundle".getBytes(StandardCharsets.UTF_8);
        store.put(bucket, key, planted);
        acceptsDryRunAndRegistration();

        Cli.Result r = upload("--s3-apikey", S3Store.ACCESS_KEY, "--s3-apisecret", S3Store.SECRET_KEY);

        assertOneLineError(r, ExitCode.REFUSED, "the bucket already holds other bytes at " + objectUrl());
        assertThat(store.get(bucket, key)).isEqualTo(planted);
        assertThat(api.routesCalled()).containsExactly(BUNDLES); // the dry run only: nothing registered
    }

    @Test
    void wrongCredentialsAreOneLineAndNothingIsRegistered() {
        acceptsDryRunAndRegistration();

        Cli.Result r = upload("--s3-apikey", S3Store.ACCESS_KEY, "--s3-apisecret", "not-the-secret");

        assertOneLineError(r, ExitCode.AUTH, "the S3 store refused access to bucket " + bucket);
        assertThat(r.err()).doesNotContain("not-the-secret").contains("check --s3-apikey and --s3-apisecret");
        assertThat(store.get(bucket, key)).isNull();
        assertThat(api.routesCalled()).containsExactly(BUNDLES);
    }

    @Test
    void aMissingBucketIsOneLine() {
        acceptsDryRunAndRegistration();

        Cli.Result r = uploadTo(store.endpoint().toString(), "no-such-bucket");

        assertOneLineError(r, ExitCode.REFUSED, "there is no bucket no-such-bucket at " + store.endpoint());
        assertThat(api.routesCalled()).containsExactly(BUNDLES);
    }

    @Test
    void anEndpointThatDoesNotAnswerIsOneLine() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        acceptsDryRunAndRegistration();

        Cli.Result r = uploadTo("http://127.0.0.1:" + closed, bucket);

        assertOneLineError(
                r, ExitCode.UNREACHABLE, "cannot reach the bucket " + bucket + " at http://127.0.0.1:" + closed);
        assertThat(api.routesCalled()).containsExactly(BUNDLES);
    }

    @Test
    void inconsistentS3OptionsAreUsageErrorsBeforeAnythingIsSent() {
        Cli.Result noBucket = cli.run(
                "bundle", "upload", "-b", "1.0.1", "--upload-file", "enc.zip", "--s3-endpoint", "s3.example.com");
        assertOneLineError(noBucket, ExitCode.USAGE, "--s3-endpoint needs --s3-bucket-name");

        Cli.Result halfCredentials = upload("--s3-apikey", S3Store.ACCESS_KEY);
        assertOneLineError(halfCredentials, ExitCode.USAGE, "pass --s3-apikey and --s3-apisecret together");

        Cli.Result twoStores = upload("--upload-to", "https://store.example.com/bundles");
        assertOneLineError(twoStores, ExitCode.USAGE, "--upload-to and --s3-bucket-name name two stores");

        Cli.Result badEndpoint = cli.run(
                "bundle",
                "upload",
                "-b",
                "1.0.1",
                "--upload-file",
                "enc.zip",
                "--s3-bucket-name",
                bucket,
                "--s3-endpoint",
                "ftp://s3.example.com");
        assertOneLineError(badEndpoint, ExitCode.USAGE, "is not a host name or an http(s)://host[:port] URL");

        assertThat(api.requests).isEmpty();
    }

    /** The scratch project as before {@code key create} again (setUp gave it the golden key's config). */
    private void withoutKey() throws Exception {
        Files.copy(
                Vectors.file("project/capacitor.config.before-key-create.json"),
                dir.resolve("capacitor.config.json"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code --delta} of the unencrypted scratch project to the bucket. */
    private Cli.Result uploadDelta(String version, String... extra) throws Exception {
        withoutKey();
        api.on("POST", APP + "/bundles", 200, published(version, true, "production", false, true, true))
                .on("POST", APP + "/bundles", 201, published(version, true, "production", false, true, false));
        List<String> args = new ArrayList<>(List.of(
                "bundle",
                "upload",
                "-b",
                version,
                "--path",
                "www",
                "--delta",
                "--s3-endpoint",
                store.endpoint().toString(),
                "--s3-bucket-name",
                bucket,
                "--s3-apikey",
                S3Store.ACCESS_KEY,
                "--s3-apisecret",
                S3Store.SECRET_KEY,
                "--json"));
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    /** The registration (not the dry run) the fake admin API received last. */
    private JsonNode lastRegistration() {
        List<FakeAdminApi.Request> registrations;
        synchronized (api.requests) {
            registrations =
                    api.requests.stream().filter(q -> q.route().equals(BUNDLES)).toList();
        }
        JsonNode body = registrations.get(registrations.size() - 1).body();
        assertThat(body.has("dry_run")).isFalse();
        return body;
    }

    @Test
    void aDeltaReleasePutsEachPayloadInTheBucketByItsContentAndSkipsThoseItHolds() throws Exception {
        Cli.Result first = uploadDelta("1.0.1");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        JsonNode manifest = lastRegistration().get("manifest");
        assertThat(manifest).hasSize(5);
        String prefix = store.endpoint() + "/" + bucket + "/";
        for (JsonNode e : manifest) {
            String url = e.get("download_url").asText();
            assertThat(url).startsWith(prefix + Vectors.APP_ID + "/delta/");
            String objectKey = java.net.URLDecoder.decode(url.substring(prefix.length()), StandardCharsets.UTF_8);
            assertThat(store.get(bucket, objectKey))
                    .as(objectKey)
                    .hasSize(e.get("size").asInt());
        }
        String zipUrl = lastRegistration().get("external_url").asText();
        assertThat(zipUrl).startsWith(prefix + Vectors.APP_ID + "/");
        assertThat(store.get(bucket, zipUrl.substring(prefix.length()))).isNotNull();
        assertThat(first.json().get("delta").get("uploaded").asInt()).isEqualTo(5);

        Files.writeString(dir.resolve("www/css/style.css"), "body { color: blue }\n");
        Cli.Result second = uploadDelta("1.0.2");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.json().get("delta").get("uploaded").asInt()).isEqualTo(1);
        assertThat(second.json().get("delta").get("already_stored").asInt()).isEqualTo(4);
        JsonNode changed = lastRegistration().get("manifest").get(2);
        assertThat(changed.get("file_name").asText()).isEqualTo("css/style.css");
        String changedKey = java.net.URLDecoder.decode(
                changed.get("download_url").asText().substring(prefix.length()), StandardCharsets.UTF_8);
        assertThat(store.get(bucket, changedKey)).hasSize(changed.get("size").asInt());
    }

    @Test
    void aDeltaPayloadKeyHoldingOtherBytesIsNeverReplacedAndNothingIsRegistered() throws Exception {
        Cli.Result first = uploadDelta("1.0.1");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        String prefix = store.endpoint() + "/" + bucket + "/";
        String url =
                lastRegistration().get("manifest").get(2).get("download_url").asText();
        String objectKey = java.net.URLDecoder.decode(url.substring(prefix.length()), StandardCharsets.UTF_8);
        String otherBucket = bucket + "-planted";
        store.createBucket(otherBucket);
        byte[] planted = "not this payload".getBytes(StandardCharsets.UTF_8);
        store.put(otherBucket, objectKey, planted);
        bucket = otherBucket;
        int before = api.requests.size();

        Cli.Result r = uploadDelta("1.0.1");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REFUSED);
        JsonNode error =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(lastLine(r.err())); // after warnings
        assertThat(error.get("error").asText()).isEqualTo("store_object_exists");
        assertThat(error.get("message").asText())
                .contains("the bucket already holds other bytes at "
                        + url.replace("/" + otherBucket.replace("-planted", "") + "/", "/" + otherBucket + "/"));
        assertThat(store.get(otherBucket, objectKey)).isEqualTo(planted);
        assertThat(api.requests.subList(before, api.requests.size()))
                .extracting(FakeAdminApi.Request::route)
                .containsExactly(BUNDLES); // the dry run only
    }

    @Test
    void severalKeysPutOneObjectPerVariantInTheBucket() throws Exception {
        withoutKey();
        assertThat(cli.run("key", "create").exitCode()).isZero();
        assertThat(cli.run("key", "create", "--rotate").exitCode()).isZero();
        Vectors.copy("bundle/com.example.selfhosted_1.0.1.zip", dir, "plain.zip");
        acceptsDryRunAndRegistration();

        Cli.Result r = cli.run(
                "bundle",
                "upload",
                "-b",
                "1.0.1",
                "--upload-file",
                "plain.zip",
                "--key",
                ".capgo_key_v2",
                "--key",
                ".capgo_key_v2.next",
                "--s3-endpoint",
                store.endpoint().toString(),
                "--s3-bucket-name",
                bucket,
                "--s3-apikey",
                S3Store.ACCESS_KEY,
                "--s3-apisecret",
                S3Store.SECRET_KEY,
                "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode registration = lastRegistration();
        String prefix = store.endpoint() + "/" + bucket + "/" + Vectors.APP_ID + "/";
        String first = registration.get("external_url").asText();
        String second = registration.get("variants").get(0).get("external_url").asText();
        assertThat(first).startsWith(prefix).endsWith(".zip");
        assertThat(second).startsWith(prefix).endsWith(".zip").isNotEqualTo(first);
        for (String url : List.of(first, second)) {
            byte[] object = store.get(bucket, url.substring((store.endpoint() + "/" + bucket + "/").length()));
            assertThat(url)
                    .endsWith("/"
                            + HexFormat.of()
                                    .formatHex(
                                            MessageDigest.getInstance("SHA-256").digest(object)) + ".zip");
        }
        assertThat(r.json().get("variants").get(0).get("external_url").asText()).isEqualTo(second);
    }
}
