package dev.updraft.cli;

import static dev.updraft.cli.KeyCommandTest.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** app, channel, device, stats, bundle list/delete and login against a fake admin API; where the server and key come from. */
class AdminCommandsTest {
    private static final String APP = "/api/v1/apps/" + Vectors.APP_ID;

    @TempDir
    Path dir;

    Cli cli;
    FakeAdminApi api;

    @BeforeEach
    void setUp() throws Exception {
        Vectors.copyProject(dir);
        api = new FakeAdminApi();
        cli = new Cli(dir);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Cli.Result run(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = api.url();
        all[args.length + 2] = "--apikey";
        all[args.length + 3] = FakeAdminApi.API_KEY;
        return cli.run(all);
    }

    @Test
    void aMissingChoiceOfAnArgumentGroupIsOneLineWithoutPicocliPrefix() {
        Cli.Result r = run("device", "override", "9f1c7a52-0000-4000-8000-1234567890ab");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err().strip())
                .isEqualTo("error: Missing required argument (specify one of these): (-c=NAME | --remove)"
                        + " (see 'updraft device override --help')");
        assertThat(api.routesCalled()).isEmpty();
    }

    @Test
    void aServerUrlThatIsTheBundleStoreIsNamedAsSuch() {
        // what the mock store (and most storages) answer for a path they do not have: a 404 with a bare not_found
        api.on("GET", APP + "/channels", 404, FakeAdminApi.error("not_found", "no such file"));
        Cli.Result r = run("channel", "list");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(r.err())
                .contains("has no Updraft admin API; is --server the Updraft server, not the bundle storage?")
                .doesNotStartWith("error: no such file");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void appAddTakesIdAndNameFromTheConfig() {
        api.on(
                "POST",
                "/api/v1/apps",
                201,
                "{\"app_id\":\"com.example.selfhosted\",\"name\":\"Capgo Vector App\",\"created_at\":\"2025-01-01T00:00:00Z\"}");
        Cli.Result r = run("app", "add");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode body = api.request("POST /api/v1/apps").body();
        assertThat(fieldNames(body)).containsExactly("app_id", "name");
        assertThat(body.get("app_id").asText()).isEqualTo(Vectors.APP_ID);
        assertThat(body.get("name").asText()).isEqualTo("Capgo Vector App");
        assertThat(r.out()).contains("App com.example.selfhosted added (Capgo Vector App)");
    }

    @Test
    void appExposeMetadata_onAddAndSet() {
        api.on(
                "POST",
                "/api/v1/apps",
                201,
                "{\"app_id\":\"com.example.m\",\"name\":\"com.example.m\",\"expose_metadata\":true,\"created_at\":\"2025-01-01T00:00:00Z\"}");
        Cli.Result add = run("app", "add", "com.example.m", "--expose-metadata");
        assertThat(add.exitCode()).as(add.toString()).isZero();
        assertThat(Json.compact(api.request("POST /api/v1/apps").body()))
                .isEqualTo("{\"app_id\":\"com.example.m\",\"expose_metadata\":true}");

        api.on(
                "PATCH",
                "/api/v1/apps/com.example.m",
                200,
                "{\"app_id\":\"com.example.m\",\"name\":\"M\",\"expose_metadata\":false,\"created_at\":\"2025-01-01T00:00:00Z\"}");
        Cli.Result set = run("app", "set", "com.example.m", "--no-expose-metadata", "--name", "M");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(Json.compact(api.request("PATCH /api/v1/apps/com.example.m").body()))
                .isEqualTo("{\"name\":\"M\",\"expose_metadata\":false}");
        assertThat(set.out()).contains("App com.example.m updated: metadata not exposed");

        Cli.Result nothing = run("app", "set", "com.example.m");
        assertThat(nothing.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(nothing.err()).contains("nothing to change");
        Cli.Result badId = run("app", "set", "..", "--expose-metadata");
        assertThat(badId.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(api.routesCalled()).containsExactly("POST /api/v1/apps", "PATCH /api/v1/apps/com.example.m");
    }

    @Test
    void appDownloadUrlModeAndLifetime_onSetAndAdd() {
        api.on(
                "PATCH",
                "/api/v1/apps/com.example.m",
                200,
                "{\"app_id\":\"com.example.m\",\"name\":\"M\",\"expose_metadata\":false,\"download_url_mode\":\"presigned\","
                        + "\"presigned_url_ttl_seconds\":900,\"created_at\":\"2025-01-01T00:00:00Z\"}");
        Cli.Result set =
                run("app", "set", "com.example.m", "--download-url-mode", "presigned", "--presigned-url-ttl", "15m");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(Json.compact(api.request("PATCH /api/v1/apps/com.example.m").body()))
                .isEqualTo("{\"download_url_mode\":\"presigned\",\"presigned_url_ttl_seconds\":900}");
        assertThat(set.out()).contains("download URLs presigned for 900 s");

        for (String[] bad : new String[][] {
            {"--download-url-mode", "signed"},
            {"--presigned-url-ttl", "0"},
            {"--presigned-url-ttl", "8d"},
            {"--presigned-url-ttl", "15 minutes"}
        }) {
            Cli.Result r = run("app", "set", "com.example.m", bad[0], bad[1]);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err().lines()).hasSize(1);
        }
        Cli.Result add = run("app", "add", "com.example.n", "--presigned-url-ttl", "0");
        assertThat(add.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(api.routesCalled()).containsExactly("PATCH /api/v1/apps/com.example.m");
    }

    @Test
    void appAddConflictAndValidationErrorsShowTheServersMessage() throws Exception {
        api.on("POST", "/api/v1/apps", 409, FakeAdminApi.error("app_exists", "app com.example.x already exists"));
        Cli.Result conflict = run("app", "add", "com.example.x", "--json");
        assertThat(conflict.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(conflict.errorJson().get("error").asText()).isEqualTo("app_exists");
        assertThat(conflict.errorJson().get("message").asText()).isEqualTo("app com.example.x already exists");
        assertThat(api.request("POST /api/v1/apps").body().has("name")).isFalse();

        api.close();
        api = new FakeAdminApi();
        api.on(
                "POST",
                "/api/v1/apps",
                400,
                "{\"error\":\"validation_failed\",\"message\":\"invalid app\",\"details\":[{\"field\":\"name\",\"message\":\"is too long\"}]}");
        Cli.Result invalid = run("app", "add", "com.example.y", "--name", "Y");
        assertThat(invalid.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(invalid.err()).isEqualTo("error: invalid app; name: is too long\n");

        Cli.Result notAnId = run("app", "add", "NotAnId");
        assertThat(notAnId.exitCode()).isEqualTo(ExitCode.USAGE); // refused here, before the server sees it
        assertThat(notAnId.err()).startsWith("error: APP_ID: the app id must be a reverse-domain id");
        assertThat(api.routesCalled()).containsExactly("POST /api/v1/apps");
    }

    @Test
    void everyIdentifierIsCheckedBeforeAnyRequest() throws Exception {
        String device = "9f1c7a52-0000-4000-8000-1234567890ab";
        String[][] commands = {
            {"invalid_bundle_version", "bundle", "delete", "..", Vectors.APP_ID},
            {"invalid_bundle_version", "bundle", "delete", "1.0.1/..", Vectors.APP_ID},
            {"invalid_app_id", "bundle", "delete", "1.0.1", ".."},
            {"invalid_app_id", "bundle", "list", "../apps"},
            {"invalid_app_id", "app", "delete", ".."},
            {"invalid_app_id", "app", "delete", "com.example.app/.."},
            {"invalid_app_id", "stats", "."},
            {"invalid_app_id", "device", "list", "com.x%2F.."},
            {"invalid_channel_name", "channel", "add", "..", Vectors.APP_ID},
            {"invalid_channel_name", "channel", "set", "a/b", "--bundle", "1.0.1"},
            {"invalid_channel_name", "channel", "delete", "."},
            {"invalid_bundle_version", "channel", "set", "beta", "--bundle", ".."},
            {"invalid_device_id", "device", "override", "..", "--channel", "beta"},
            {"invalid_device_id", "device", "override", "not-a-uuid", "--remove"},
            {"invalid_channel_name", "device", "override", device, "--channel", "../beta"},
        };
        for (String[] c : commands) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            Cli.Result r = run(concat(args, "--json"));
            assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isEqualTo(ExitCode.USAGE);
            assertThat(r.errorJson().get("error").asText())
                    .as(String.join(" ", args))
                    .isEqualTo(c[0]);
        }
        // an app id taken from capacitor.config.json is checked too
        Files.writeString(
                dir.resolve("capacitor.config.json"), "{\"appId\": \"..\", \"appName\": \"x\", \"webDir\": \"www\"}");
        Cli.Result fromConfig = run("bundle", "delete", "1.0.1");
        assertThat(fromConfig.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(fromConfig.err()).startsWith("error: appId of capacitor.config.json: the app id must be");
        assertThat(api.requests).isEmpty();
    }

    private static String[] concat(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void appListAndDelete() {
        api.on(
                "GET",
                "/api/v1/apps",
                200,
                FakeAdminApi.page(
                        null,
                        "{\"app_id\":\"com.example.a\",\"name\":\"A\",\"created_at\":\"2025-01-01T00:00:00Z\"}",
                        "{\"app_id\":\"com.example.bb\",\"name\":null,\"created_at\":\"2025-01-02T00:00:00Z\"}"));
        Cli.Result list = run("app", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).isEqualTo("""
                APP_ID          NAME  CREATED
                com.example.a   A     2025-01-01T00:00:00Z
                com.example.bb  -     2025-01-02T00:00:00Z
                """);
        Cli.Result json = run("app", "list", "--json");
        assertThat(json.json().size()).isEqualTo(2);

        api.on("DELETE", "/api/v1/apps/com.example.a", 204, null);
        Cli.Result delete = run("app", "delete", "com.example.a");
        assertThat(delete.exitCode()).as(delete.toString()).isZero();
        assertThat(api.routesCalled()).contains("DELETE /api/v1/apps/com.example.a");
    }

    /** Lists are read page by page (docs/admin-api.md, "Lists and paging"), up to --limit, with a warning when more exist. */
    @Test
    void listsFollowTheCursor_upToTheLimit() throws Exception {
        String device = "{\"device_id\":\"%s\",\"platform\":\"ios\",\"last_seen\":\"2025-01-01T00:00:00Z\"}";
        api.on("GET", APP + "/devices", 200, FakeAdminApi.page("c1", device.formatted("d-1"), device.formatted("d-2")))
                .on(
                        "GET",
                        APP + "/devices",
                        200,
                        FakeAdminApi.page("c-2/+", device.formatted("d-3"), device.formatted("d-4")))
                .on("GET", APP + "/devices", 200, FakeAdminApi.page(null, device.formatted("d-5")));
        Cli.Result all = run("device", "list", "--json");
        assertThat(all.exitCode()).as(all.toString()).isZero();
        assertThat(all.json())
                .extracting(d -> d.get("device_id").asText())
                .containsExactly("d-1", "d-2", "d-3", "d-4", "d-5");
        assertThat(api.requests.stream().map(FakeAdminApi.Request::query).toList())
                .containsExactly(null, "cursor=c1", "cursor=c-2%2F%2B");
        assertThat(all.err()).isEmpty();

        api.close();
        api = new FakeAdminApi();
        api.on("GET", APP + "/devices", 200, FakeAdminApi.page("c1", device.formatted("d-1"), device.formatted("d-2")));
        Cli.Result first = run("device", "list", "--limit", "2");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("d-1", "d-2").doesNotContain("d-3");
        assertThat(first.err())
                .isEqualTo(
                        "warning: showing the first 2 devices; there are more (--limit N shows more, --limit 0 all)\n");
        assertThat(api.routesCalled()).hasSize(1); // no page is read beyond what is shown

        Cli.Result negative = run("device", "list", "--limit", "-1");
        assertThat(negative.exitCode()).isEqualTo(ExitCode.USAGE);

        api.on("GET", APP + "/bundles", 200, "[" + UploadCommandTest.bundleJson("1.0.1", true) + "]");
        Cli.Result old = run("bundle", "list");
        assertThat(old.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(old.err()).contains("did not answer a page of a list");

        api.on(
                "GET",
                APP + "/channels",
                200,
                FakeAdminApi.page("same", UploadCommandTest.channelJson("beta", null, false)));
        Cli.Result looping = run("channel", "list");
        assertThat(looping.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(looping.err()).contains("same next_cursor twice");
    }

    @Test
    void channelAddAndSetSendExactlyTheFieldsGiven() {
        api.on("POST", APP + "/channels", 201, UploadCommandTest.channelJson("beta", null, false));
        Cli.Result add = run("channel", "add", "beta", "--self-assign", "--default", "--no-emulator");
        assertThat(add.exitCode()).as(add.toString()).isZero();
        JsonNode created = api.request("POST " + APP + "/channels").body();
        assertThat(fieldNames(created))
                .containsExactlyInAnyOrder("name", "allow_device_self_set", "public", "allow_emulator");
        assertThat(created.get("allow_device_self_set").asBoolean()).isTrue();
        assertThat(created.get("public").asBoolean()).isTrue();
        assertThat(created.get("allow_emulator").asBoolean()).isFalse();

        api.on("PATCH", APP + "/channels/beta", 200, UploadCommandTest.channelJson("beta", "1.0.1", false));
        Cli.Result set = run(
                "channel",
                "set",
                "beta",
                "--bundle",
                "1.0.1",
                "--no-public",
                "--platforms",
                "android,ios",
                "--no-prod",
                "--dev",
                "--disable-auto-update",
                "metadata",
                "--downgrade",
                "--no-device");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        JsonNode patch = api.request("PATCH " + APP + "/channels/beta").body();
        assertThat(Json.compact(patch))
                .isEqualTo("{\"bundle\":\"1.0.1\",\"public\":false,\"ios\":true,\"android\":true,\"electron\":false,"
                        + "\"allow_dev\":true,\"allow_prod\":false,\"allow_device\":false,\"disable_auto_update\":\"version_number\","
                        + "\"disable_auto_update_under_native\":false}");
        assertThat(set.out()).contains("Channel beta updated: bundle 1.0.1");
    }

    @Test
    void channelSetBuiltinTarget() {
        api.on("PATCH", APP + "/channels/native", 200, UploadCommandTest.channelJson("native", null, false));
        Cli.Result keep = run("channel", "set", "native", "--bundle", "builtin", "--builtin-target", "KEEP");
        assertThat(keep.exitCode()).as(keep.toString()).isZero();
        assertThat(Json.compact(api.request("PATCH " + APP + "/channels/native").body()))
                .isEqualTo("{\"bundle\":null,\"builtin_target\":\"keep\"}");
    }

    @Test
    void channelSetBuiltinStateAndUsageErrors() {
        api.on("PATCH", APP + "/channels/production", 200, UploadCommandTest.channelJson("production", null, true));
        Cli.Result builtin = run(
                "channel",
                "set",
                "production",
                "--bundle",
                "builtin",
                "--state",
                "default",
                "--disable-auto-update-under-native");
        assertThat(builtin.exitCode()).as(builtin.toString()).isZero();
        assertThat(Json.compact(
                        api.request("PATCH " + APP + "/channels/production").body()))
                .isEqualTo("{\"bundle\":null,\"public\":true,\"disable_auto_update_under_native\":true}");
        assertThat(builtin.out()).contains("bundle builtin");

        Cli.Result nothing = run("channel", "set", "production");
        assertThat(nothing.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(nothing.err()).contains("nothing to change");
        Cli.Result level = run("channel", "set", "production", "--disable-auto-update", "huge");
        assertThat(level.exitCode()).isEqualTo(ExitCode.USAGE);
        Cli.Result platform = run("channel", "set", "production", "--platforms", "windows");
        assertThat(platform.exitCode()).isEqualTo(ExitCode.USAGE);
        Cli.Result target = run("channel", "set", "production", "--builtin-target", "stay");
        assertThat(target.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(target.err()).contains("--builtin-target is reset or keep");
        assertThat(api.routesCalled()).hasSize(1);

        api.on("PATCH", APP + "/channels/nope", 404, FakeAdminApi.error("channel_not_found", "no channel nope"));
        Cli.Result missing = run("channel", "set", "nope", "--bundle", "1.0.1");
        assertThat(missing.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(missing.err()).isEqualTo("error: no channel nope\n");
    }

    @Test
    void channelListAndDelete() {
        api.on(
                "GET",
                APP + "/channels",
                200,
                FakeAdminApi.page(
                        null,
                        UploadCommandTest.channelJson("production", "1.0.1", true),
                        UploadCommandTest.channelJson("beta", null, false)));
        Cli.Result list = run("channel", "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out().lines().toList()).hasSize(3);
        assertThat(list.out().lines().skip(1).findFirst().orElseThrow())
                .startsWith("production  1.0.1")
                .contains("yes");
        assertThat(list.out()).contains("beta        builtin");

        api.on("DELETE", APP + "/channels/beta", 204, null);
        assertThat(run("channel", "delete", "beta").exitCode()).isZero();
    }

    @Test
    void deviceOverrideSetRemoveAndList() {
        String device = "9f1c7a52-0000-4000-8000-1234567890ab";
        api.on(
                        "PUT",
                        APP + "/devices/" + device + "/override",
                        200,
                        "{\"device_id\":\"" + device + "\",\"channel\":\"beta\"}")
                .on("DELETE", APP + "/devices/" + device + "/override", 204, null)
                .on(
                        "GET",
                        APP + "/devices",
                        200,
                        FakeAdminApi.page(
                                null,
                                "{\"device_id\":\"" + device + "\",\"platform\":\"android\",\"version_name\":\"1.0.1\","
                                        + "\"version_build\":\"1.0.0\",\"plugin_version\":\"8.51.23\",\"is_prod\":false,\"is_emulator\":true,\"custom_id\":null,"
                                        + "\"channel_override\":\"beta\",\"last_seen\":\"2025-01-01T00:00:00Z\"}"));

        Cli.Result set = run("device", "override", device, "--channel", "beta");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(Json.compact(api.request("PUT " + APP + "/devices/" + device + "/override")
                        .body()))
                .isEqualTo("{\"channel\":\"beta\"}");

        assertThat(run("device", "override", device, "--remove").exitCode()).isZero();
        assertThat(api.routesCalled()).contains("DELETE " + APP + "/devices/" + device + "/override");

        Cli.Result neither = run("device", "override", device);
        assertThat(neither.exitCode()).isEqualTo(ExitCode.USAGE);

        Cli.Result list = run("device", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains(device).contains("dev/emulator").contains("beta");
    }

    @Test
    void statsPerVersionAndChannel() {
        // TOP FAILURE counts what the server counts: an unknown action is never a failure, even named *_fail, and
        // failures without _fail (session_key_required) are; health events (app_crash) are not update failures.
        api.on(
                "GET",
                APP + "/stats",
                200,
                "{\"versions\":[{\"version\":\"1.0.1\",\"installs\":7,\"failures\":2,\"devices\":9,"
                        + "\"actions\":{\"set\":7,\"checksum_fail\":2,\"get\":20,\"download_something_new_fail\":5}},"
                        + "{\"version\":\"1.0.0\",\"installs\":3,\"failures\":0,\"devices\":3,\"actions\":{}},"
                        + "{\"version\":\"0.9.0\",\"installs\":1,\"failures\":5,\"devices\":4,"
                        + "\"actions\":{\"update_fail\":1,\"session_key_required\":4,\"app_crash\":9}}],"
                        + "\"channels\":[{\"channel\":\"production\",\"version\":\"1.0.1\",\"installs\":7,\"failures\":2,\"devices\":9}]}");
        Cli.Result r = run("stats");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("""
                VERSION  INSTALLS  FAILURES  DEVICES  TOP FAILURE
                1.0.1    7         2         9        checksum_fail (2)
                1.0.0    3         0         3        -
                0.9.0    1         5         4        session_key_required (4)

                CHANNEL     VERSION  INSTALLS  FAILURES  DEVICES
                production  1.0.1    7         2         9
                """);
        Cli.Result json = run("stats", "--json");
        assertThat(json.json().get("versions").get(0).get("installs").asInt()).isEqualTo(7);
    }

    @Test
    void bundleListAndDeleteInCapgosArgumentOrder() {
        api.on("GET", APP + "/bundles", 200, FakeAdminApi.page(null, UploadCommandTest.bundleJson("1.0.1", true)))
                .on("DELETE", APP + "/bundles/1.0.0%2Bbuild.5", 204, null)
                .on(
                        "DELETE",
                        APP + "/bundles/1.0.1",
                        409,
                        FakeAdminApi.error("bundle_in_use", "channel production points at 1.0.1"));
        Cli.Result list = run("bundle", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains("1.0.1    yes");

        assertThat(run("bundle", "delete", "1.0.0+build.5").exitCode()).isZero();
        Cli.Result inUse = run("bundle", "delete", "1.0.1", Vectors.APP_ID);
        assertThat(inUse.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(inUse.err()).contains("channel production points at 1.0.1");
    }

    @Test
    void serverAndKeyComeFromFlagsThenEnvironmentThenTheConfigFile() throws Exception {
        api.on("GET", "/api/v1/apps", 200, FakeAdminApi.page(null));
        Path config = dir.resolve(".home/.config/updraft/config.json");
        Files.createDirectories(config.getParent());
        Files.writeString(dir.resolve("key.txt"), FakeAdminApi.API_KEY + "\n");
        Files.writeString(config, "{\"server\": \"" + api.url() + "\", \"api_key_file\": \"../../../key.txt\"}");

        Cli.Result fromConfig = cli.run("app", "list");
        assertThat(fromConfig.exitCode()).as(fromConfig.toString()).isZero();
        assertThat(fromConfig.out()).contains("No apps yet");

        cli.env.put("UPDRAFT_API_KEY", "env-key-is-wrong"); // environment beats the config file
        assertThat(cli.run("app", "list").exitCode()).isEqualTo(ExitCode.AUTH);
        assertThat(cli.run("app", "list", "--apikey", FakeAdminApi.API_KEY).exitCode())
                .isZero(); // the flag beats the environment
        assertThat(cli.run("app", "list", "--apikey-file", "key.txt").exitCode())
                .isZero();

        cli.env.remove("UPDRAFT_API_KEY");
        cli.env.put("UPDRAFT_API_KEY_FILE", "missing-key-file");
        Cli.Result missingFile = cli.run("app", "list");
        assertThat(missingFile.exitCode()).isEqualTo(ExitCode.AUTH);
        assertThat(missingFile.err()).contains("cannot read the API key file").contains("no such file");

        cli.env.remove("UPDRAFT_API_KEY_FILE");
        cli.env.put("UPDRAFT_SERVER", "http://127.0.0.1:1"); // environment beats the config file's server
        assertThat(cli.run("app", "list").exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(cli.run("app", "list", "--server", api.url() + "/api/v1/").exitCode())
                .isZero();

        cli.env.put("UPDRAFT_CONFIG", "elsewhere.json");
        Cli.Result noConfig = cli.run("app", "list");
        assertThat(noConfig.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noConfig.err()).contains("$UPDRAFT_CONFIG points at");

        Cli.Result badUrl = cli.run("app", "list", "--server", "localhost:8080", "--apikey", "k");
        assertThat(badUrl.exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void anAnswerThatIsNotTheAdminApiIsReportedAsSuch() {
        api.on("GET", "/api/v1/apps", 200, "<html>welcome to nginx</html>").on("GET", APP + "/channels", 404, null);
        Cli.Result html = run("app", "list");
        assertThat(html.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(html.err()).contains("is not JSON: is " + api.url() + " an Updraft server?");

        Cli.Result bare404 = run("channel", "list");
        assertThat(bare404.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(bare404.err()).contains("HTTP 404").contains("an Updraft server?");

        api.on("GET", APP + "/stats", 500, FakeAdminApi.error("internal", "database is down"));
        Cli.Result failing = run("stats");
        assertThat(failing.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(failing.err()).contains("failed (HTTP 500): database is down");
    }

    @Test
    void loginChecksTheKeyAndWritesAnOwnerOnlyConfigThatLaterCommandsUse() throws Exception {
        api.on("GET", "/api/v1/apps", 200, FakeAdminApi.page(null));
        Cli.Result login = cli.run("login", FakeAdminApi.API_KEY, "--server", api.url());
        assertThat(login.exitCode()).as(login.toString()).isZero();
        Path config = dir.resolve(".home/.config/updraft/config.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
                .isEqualTo("rw-------");
        JsonNode saved = Json.MAPPER.readTree(config.toFile());
        assertThat(saved.get("server").asText()).isEqualTo(api.url());
        assertThat(login.out() + login.err()).doesNotContain(FakeAdminApi.API_KEY);

        Cli.Result later = cli.run("app", "list");
        assertThat(later.exitCode()).as(later.toString()).isZero();

        Cli.Result rejected = cli.run("login", "bad-key", "--server", api.url());
        assertThat(rejected.exitCode()).isEqualTo(ExitCode.AUTH);
        assertThat(Json.MAPPER.readTree(config.toFile()).get("api_key").asText())
                .isEqualTo(FakeAdminApi.API_KEY);
    }

    @Test
    void everyCommandHasHelpAndTheTopLevelHelpListsExitCodes() {
        Cli.Result top = cli.run("--help");
        assertThat(top.exitCode()).isZero();
        assertThat(top.out())
                .contains("Exit codes:")
                .contains("UPDRAFT_API_KEY")
                .contains("config.json");
        for (String[] command : new String[][] {
            {"key", "create"},
            {"key", "save"},
            {"bundle", "zip"},
            {"bundle", "encrypt"},
            {"bundle", "decrypt"},
            {"bundle", "upload"},
            {"bundle", "list"},
            {"bundle", "delete"},
            {"app", "add"},
            {"app", "list"},
            {"app", "delete"},
            {"channel", "add"},
            {"channel", "set"},
            {"channel", "show"},
            {"channel", "list"},
            {"channel", "delete"},
            {"device", "list"},
            {"device", "override"},
            {"stats"},
            {"webhook", "set"},
            {"webhook", "show"},
            {"webhook", "remove"},
            {"webhook", "deliveries"},
            {"login"}
        }) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            Cli.Result help = cli.run(args);
            assertThat(help.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(help.out())
                    .as(String.join(" ", args))
                    .contains("Usage: updraft " + String.join(" ", command))
                    .contains("--json");
        }
        Cli.Result group = cli.run("channel");
        assertThat(group.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(group.err()).contains("missing subcommand: one of add, set, show, list, delete");
        Cli.Result unknown = cli.run("bundle", "zipp");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
        Cli.Result jsonUsage = cli.run("bundle", "zip", "--nope", "--json");
        assertThat(jsonUsage.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(jsonUsage.errorJson().get("error").asText()).isEqualTo("usage");
    }

    static final String ROLLED_OUT =
            "{\"name\":\"production\",\"bundle\":\"1.0.2\",\"public\":true,\"rollout_version\":\"1.0.3\","
                    + "\"rollout_percentage_bps\":1000,\"rollout_enabled\":true,\"rollout_paused_at\":null}";

    @Test
    void channelSetRollout_sendsCapgosFields_andActionsGoToTheirEndpoints() {
        api.on("PATCH", APP + "/channels/production", 200, ROLLED_OUT);
        Cli.Result r = run("channel", "set", "production", "--rollout-bundle", "1.0.3", "--rollout-percentage", "10");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode body = api.request("PATCH " + APP + "/channels/production").body();
        assertThat(body.get("rollout_version").asText()).isEqualTo("1.0.3");
        assertThat(body.get("rollout_percentage_bps").asInt()).isEqualTo(1000);
        assertThat(r.out()).contains("rollout 1.0.3 at 10%");

        api.on(
                "POST",
                APP + "/channels/production/rollout/pause",
                200,
                ROLLED_OUT.replace(
                        "\"rollout_paused_at\":null",
                        "\"rollout_paused_at\":\"2026-12-01T00:00:00Z\",\"rollout_paused_by\":\"auto\",\"rollout_pause_reason\":\"6 of 20 devices failed\""));
        r = run("channel", "set", "production", "--rollout-pause");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("paused by auto: 6 of 20 devices failed");
        assertThat(api.routesCalled()).contains("POST " + APP + "/channels/production/rollout/pause");
    }

    @Test
    void channelSetRolloutAdvance_takesTheNextStep() {
        api.on("GET", APP + "/channels/production", 200, ROLLED_OUT);
        api.on("PATCH", APP + "/channels/production", 200, ROLLED_OUT.replace("1000", "2500"));
        Cli.Result r = run("channel", "set", "production", "--rollout-advance");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(api.request("PATCH " + APP + "/channels/production")
                        .body()
                        .get("rollout_percentage_bps")
                        .asInt())
                .isEqualTo(2500);
    }

    @Test
    void badRolloutOptions_areUsageErrors_andSendNothing() {
        assertThat(run("channel", "set", "production", "--rollout-percentage", "101")
                        .exitCode())
                .isEqualTo(ExitCode.USAGE);
        assertThat(run("channel", "set", "production", "--rollout-percentage-bps", "-1")
                        .exitCode())
                .isEqualTo(ExitCode.USAGE);
        assertThat(run("channel", "set", "production", "--rollout-percentage", "5", "--rollout-percentage-bps", "500")
                        .exitCode())
                .isEqualTo(ExitCode.USAGE);
        Cli.Result two = run("channel", "set", "production", "--rollout-pause", "--rollout-promote");
        assertThat(two.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(two.err().lines()).hasSize(1);
        assertThat(run("channel", "set", "production", "--rollout-bundle", "..").exitCode())
                .isEqualTo(ExitCode.USAGE);
        assertThat(api.routesCalled()).isEmpty();
    }

    @Test
    void statsForOneBundle_showsItsFunnel() {
        api.on(
                "GET",
                APP + "/stats",
                200,
                "{\"versions\":[{\"version\":\"1.0.3\",\"installs\":5,\"failures\":9,\"devices\":9,"
                        + "\"actions\":{},\"funnel\":{\"offered\":10,\"download_started\":9,\"downloaded\":5,\"installed\":5,\"confirmed\":1,"
                        + "\"rolled_back\":4,\"failed\":8,\"failure_rate\":0.8888,\"failed_by_stage\":{\"rollback\":4,\"unzip\":4,\"set\":0}}}],"
                        + "\"channels\":[]}");
        Cli.Result r = run("stats", "--bundle", "1.0.3");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("offered")
                .contains("confirmed (notifyAppReady)")
                .contains("failed at unzip")
                .contains("88.9%")
                .doesNotContain("failed at set");
        Cli.Result none = run("stats", "--bundle", "9.9.9");
        assertThat(none.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(none.err()).contains("no stats for 9.9.9");
    }

    static final String WITH_POLICY =
            "{\"name\":\"production\",\"bundle\":\"1.0.2\",\"public\":true,\"rollout_version\":null,"
                    + "\"auto_pause_min_attempts\":50,\"auto_pause_min_failures\":null,\"auto_pause_max_failure_rate\":0.05,\"auto_pause_confidence\":null,"
                    + "\"auto_pause_action\":\"rollback\",\"auto_pause\":{\"min_attempts\":50,\"min_failures\":3,\"max_failure_rate\":0.05,"
                    + "\"confidence\":0.95,\"action\":\"rollback\"}}";

    @Test
    void channelSetAutoPause_sendsTheChannelsPolicy_andListAndShowShowIt() {
        api.on("PATCH", APP + "/channels/production", 200, WITH_POLICY);
        Cli.Result r = run(
                "channel",
                "set",
                "production",
                "--auto-pause-min-attempts",
                "50",
                "--auto-pause-failure-rate",
                "5",
                "--auto-pause-confidence",
                "99",
                "--auto-pause-action",
                "rollback");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Json.compact(
                        api.request("PATCH " + APP + "/channels/production").body()))
                .isEqualTo(
                        "{\"auto_pause_min_attempts\":50,\"auto_pause_max_failure_rate\":0.05,\"auto_pause_confidence\":0.99,\"auto_pause_action\":\"rollback\"}");
        assertThat(r.out())
                .contains("auto-pause rollback above 5% (95% sure), after 50 devices and 3 failures (channel's own)");

        api.on("GET", APP + "/channels", 200, "{\"entries\":[" + WITH_POLICY + "],\"next_cursor\":null}");
        Cli.Result list = run("channel", "list");
        assertThat(list.out())
                .contains("AUTO-PAUSE")
                .contains("rollback above 5% (95% sure), after 50 devices and 3 failures (channel's own)");
        api.on(
                "GET",
                APP + "/channels/production",
                200,
                WITH_POLICY
                        .replace("\"auto_pause_min_attempts\":50", "\"auto_pause_min_attempts\":null")
                        .replace("\"auto_pause_max_failure_rate\":0.05,", "\"auto_pause_max_failure_rate\":null,")
                        .replace("\"auto_pause_action\":\"rollback\",", "\"auto_pause_action\":null,"));
        Cli.Result show = run("channel", "show", "production");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out()).contains("after 50 devices").doesNotContain("channel's own");

        run("channel", "set", "production", "--auto-pause-defaults");
        assertThat(Json.compact(api.requests.get(api.requests.size() - 1).body()))
                .isEqualTo(
                        "{\"auto_pause_min_attempts\":null,"
                                + "\"auto_pause_min_failures\":null,\"auto_pause_max_failure_rate\":null,\"auto_pause_confidence\":null,\"auto_pause_action\":null}");
    }

    @Test
    void badAutoPauseOptions_areUsageErrors_andSendNothing() {
        for (String[] bad : new String[][] {
            {"--auto-pause-min-attempts", "0"},
            {"--auto-pause-min-failures", "-2"},
            {"--auto-pause-failure-rate", "100"},
            {"--auto-pause-failure-rate", "-1"},
            {"--auto-pause-confidence", "40"},
            {"--auto-pause-confidence", "100"},
            {"--auto-pause-action", "stop"},
            {"--auto-pause-defaults", "--auto-pause-action", "pause"}
        }) {
            String[] args = new String[bad.length + 3];
            args[0] = "channel";
            args[1] = "set";
            args[2] = "production";
            System.arraycopy(bad, 0, args, 3, bad.length);
            Cli.Result r = run(args);
            assertThat(r.exitCode()).as(String.join(" ", bad)).isEqualTo(ExitCode.USAGE);
            assertThat(r.err().lines()).as(r.err()).hasSize(1);
        }
        assertThat(api.routesCalled()).isEmpty();
    }

    @Test
    void statsHourly_showsOneRowPerHour() {
        api.on(
                "GET",
                APP + "/stats/hourly",
                200,
                "{\"version\":\"1.0.3\",\"channel\":\"production\",\"since\":\"2026-11-29T17:00:00Z\","
                        + "\"hours\":[{\"hour\":\"2026-12-01T15:00:00Z\",\"offered\":7,\"download_started\":6,\"downloaded\":6,\"installed\":5,"
                        + "\"confirmed\":4,\"rolled_back\":1,\"failed\":2},{\"hour\":\"2026-12-01T16:00:00Z\",\"offered\":3,\"download_started\":3,"
                        + "\"downloaded\":3,\"installed\":3,\"confirmed\":0,\"rolled_back\":3,\"failed\":3}]}");
        Cli.Result r = run("stats", "--bundle", "1.0.3", "--hourly", "--channel", "production", "--hours", "24");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        FakeAdminApi.Request sent = api.request("GET " + APP + "/stats/hourly");
        assertThat(sent.query()).isEqualTo("version=1.0.3&hours=24&channel=production");
        assertThat(r.out())
                .contains("1.0.3 in " + Vectors.APP_ID + " on production per hour (UTC)")
                .contains("ROLLED BACK");
        assertThat(r.out().lines().filter(l -> l.startsWith("2026-12-01T1"))).hasSize(2);
        assertThat(r.out()
                        .lines()
                        .filter(l -> l.startsWith("2026-12-01T16"))
                        .findFirst()
                        .orElseThrow())
                .matches(".*3\\s+3\\s+3\\s+3\\s+0\\s+3\\s+3");

        assertThat(run("stats", "--hourly").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run("stats", "--bundle", "1.0.3", "--channel", "production").exitCode())
                .isEqualTo(ExitCode.USAGE);
        assertThat(run("stats", "--bundle", "1.0.3", "--hourly", "--hours", "0").exitCode())
                .isEqualTo(ExitCode.USAGE);
        assertThat(run("stats", "--bundle", "1.0.3", "--hourly", "--channel", "../x")
                        .exitCode())
                .isEqualTo(ExitCode.USAGE);
        assertThat(api.routesCalled()).hasSize(1);
    }

    @Test
    void webhookSet_printsTheGeneratedSecretOnce_orSavesItOwnerOnly() throws Exception {
        String answer =
                "{\"url\":\"https://hooks.example.com/u\",\"secret\":\"whsec_abc0123456789abcdef\",\"created_at\":\"2026-12-01T16:00:00Z\","
                        + "\"updated_at\":\"2026-12-01T16:00:00Z\"}";
        api.on("PUT", APP + "/webhook", 200, answer);
        Cli.Result r = run("webhook", "set", "--url", "https://hooks.example.com/u");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Json.compact(api.request("PUT " + APP + "/webhook").body()))
                .isEqualTo("{\"url\":\"https://hooks.example.com/u\"}");
        assertThat(r.out()).contains("whsec_abc0123456789abcdef");
        assertThat(r.err()).contains("shown this once");

        Cli.Result saved = run(
                "webhook",
                "set",
                "--app",
                Vectors.APP_ID,
                "--url",
                "https://hooks.example.com/u",
                "--save",
                "hook.secret",
                "--json");
        assertThat(saved.exitCode()).as(saved.toString()).isZero();
        assertThat(saved.out()).doesNotContain("whsec_").contains("secret_saved_to");
        java.nio.file.Path file = dir.resolve("hook.secret");
        assertThat(java.nio.file.Files.readString(file).strip()).isEqualTo("whsec_abc0123456789abcdef");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        Cli.Result again = run("webhook", "set", "--url", "https://hooks.example.com/u", "--save", "hook.secret");
        assertThat(again.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(again.err()).contains("already exists");

        java.nio.file.Files.writeString(dir.resolve("mine.secret"), "my-own-secret-0123456789\n");
        int before = api.requests.size();
        Cli.Result own = run("webhook", "set", "--url", "https://hooks.example.com/u", "--secret-file", "mine.secret");
        assertThat(own.exitCode()).as(own.toString()).isZero();
        assertThat(api.requests.get(before).body().get("secret").asText()).isEqualTo("my-own-secret-0123456789");
        assertThat(own.out()).doesNotContain("whsec_").doesNotContain("my-own-secret");
        assertThat(run("webhook", "set", "--url", "https://x.example", "--secret-file", "missing.secret")
                        .exitCode())
                .isEqualTo(ExitCode.USAGE);
        assertThat(run("webhook", "set").exitCode()).as("--url is required").isEqualTo(ExitCode.USAGE);
    }

    @Test
    void webhookShowRemoveAndDeliveries_andTheServersRefusal() {
        api.on(
                "GET",
                APP + "/webhook",
                200,
                "{\"url\":\"https://hooks.example.com/u\",\"created_at\":\"2026-12-01T16:00:00Z\",\"updated_at\":\"2026-12-01T16:00:00Z\"}");
        assertThat(run("webhook", "show").out()).contains("https://hooks.example.com/u");
        api.on(
                "GET",
                APP + "/webhook/deliveries",
                200,
                "{\"entries\":[{\"id\":2,\"event_id\":\"e2\",\"event_type\":\"rollout.paused\",\"state\":\"pending\","
                        + "\"attempts\":2,\"last_status\":500,\"last_error\":\"HTTP 500\",\"created_at\":\"2026-12-01T16:00:00Z\",\"next_attempt_at\":\"2026-12-01T16:01:00Z\"},"
                        + "{\"id\":1,\"event_id\":\"e1\",\"event_type\":\"rollout.promoted\",\"state\":\"delivered\",\"attempts\":1,\"last_status\":204,"
                        + "\"last_error\":null,\"created_at\":\"2026-12-01T15:00:00Z\",\"next_attempt_at\":null}],\"next_cursor\":null}");
        Cli.Result d = run("webhook", "deliveries");
        assertThat(d.exitCode()).as(d.toString()).isZero();
        assertThat(d.out())
                .contains("rollout.paused")
                .contains("HTTP 500")
                .contains("2026-12-01T16:01:00Z")
                .contains("rollout.promoted")
                .contains("204");
        api.on("DELETE", APP + "/webhook", 204, null);
        assertThat(run("webhook", "remove").exitCode()).isZero();
        api.on(
                "PUT",
                APP + "/webhook",
                400,
                "{\"error\":\"validation_failed\",\"message\":\"url: must be an http or https URL\","
                        + "\"details\":[{\"field\":\"url\",\"message\":\"must be an http or https URL\"}]}");
        Cli.Result bad = run("webhook", "set", "--url", "ftp://x");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(bad.err().lines()).hasSize(1);
        assertThat(bad.err()).contains("http or https");
    }
}
